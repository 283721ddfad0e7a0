"""De vrais processus de fond (manage.py db_worker) sur PostgreSQL : import en fond, processus tué en route,
deux processus qui se partagent la file sans prendre deux fois le même travail."""

import html
import io
import signal
import time
import zipfile

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from inclusion.models import Lieu
from tests.taches import environnement_de_la_base_de_test, lancer_un_processus_de_fond
from travaux.deroulement import MESSAGE_PROCESSUS_ARRETE, VERROU_IMPORT, constater_les_arrets
from travaux.enums import NatureTraitement, StatutTraitement
from travaux.models import Traitement
from travaux.services import demander, demander_import

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def _zip_de_lieux(n, prefixe="ESC"):
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as archive:
        lignes = "".join(f"{prefixe} {i},{i} rue de la Paix\n" for i in range(n))
        archive.writestr("lieux.csv", "nom,adresse\n" + lignes)
    return SimpleUploadedFile(f"{prefixe}.zip", tampon.getvalue())


def _attendre(condition, secondes=90, quoi=""):
    limite = time.monotonic() + secondes
    while time.monotonic() < limite:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"délai dépassé : {quoi}")


def _arreter(processus):
    if processus.poll() is None:
        processus.send_signal(signal.SIGKILL)
    processus.wait(10)
    print(processus.stdout.read())  # le journal du processus, montré si le test échoue


def test_un_import_en_file_est_fait_par_un_processus_de_fond():
    traitement = demander_import(_zip_de_lieux(2_000))
    processus = lancer_un_processus_de_fond()
    try:
        _attendre(lambda: Traitement.objects.get(pk=traitement.pk).fini, quoi="import fini")
    finally:
        _arreter(processus)
    traitement.refresh_from_db()
    assert traitement.statut == StatutTraitement.TERMINE, traitement.message
    assert traitement.resultat["comptes"] == {"lieux.csv": 2_000} and Lieu.objects.count() == 2_000
    assert DBTaskResult.objects.get(id=traitement.tache).status == "SUCCESSFUL"


def test_un_processus_tue_en_plein_import_ne_laisse_rien_et_le_travail_echoue():
    traitement = demander_import(_zip_de_lieux(400_000))
    processus = lancer_un_processus_de_fond()
    try:
        # L'avancement, écrit par une connexion à part pendant la transaction de l'import, se voit d'ici.
        _attendre(
            lambda: (
                Traitement.objects.get(pk=traitement.pk)
                .progression.get("fichiers", {})
                .get("lieux.csv", {})
                .get("lignes", 0)
                > 0
            ),
            quoi="avancement visible",
        )
        assert Traitement.objects.get(pk=traitement.pk).statut == StatutTraitement.EN_COURS
        with connection.cursor() as curseur:  # l'import tient le verrou des imports tant qu'il écrit
            curseur.execute("SELECT pg_try_advisory_xact_lock(%s, 1)", [VERROU_IMPORT])
            assert curseur.fetchone()[0] is False
        processus.send_signal(signal.SIGKILL)
        processus.wait(10)
    finally:
        _arreter(processus)
    _attendre(
        lambda: constater_les_arrets() or Traitement.objects.get(pk=traitement.pk).fini, quoi="arrêt constaté"
    )
    traitement.refresh_from_db()
    assert traitement.statut == StatutTraitement.ECHOUE and traitement.message == MESSAGE_PROCESSUS_ARRETE
    assert Lieu.objects.count() == 0  # la transaction de l'import a été annulée par la base
    assert DBTaskResult.objects.get(id=traitement.tache).status == "FAILED"


def test_deux_processus_se_partagent_vingt_exports_sans_doublon_ni_perte():
    Lieu.objects.create(nom="ESC Unique")
    demandes = [demander(NatureTraitement.EXPORT_COMPLET) for _ in range(20)]
    processus = [lancer_un_processus_de_fond("--batch", f"--worker-id=ouvrier-{i}") for i in range(2)]
    try:
        for p in processus:
            p.wait(180)
    finally:
        for p in processus:
            _arreter(p)
    resultats = DBTaskResult.objects.filter(id__in=[t.tache for t in demandes])
    assert resultats.count() == 20
    assert all(
        r.status == "SUCCESSFUL" and len(r.worker_ids) == 1 for r in resultats
    )  # chacun une seule fois
    par_ouvrier = {r.worker_ids[0] for r in resultats}
    assert par_ouvrier <= {"ouvrier-0", "ouvrier-1"}
    traitements = Traitement.objects.filter(pk__in=[t.pk for t in demandes])
    assert all(t.statut == StatutTraitement.TERMINE and t.fichier for t in traitements)
    assert len({t.fichier.name for t in traitements}) == 20


def test_deux_imports_ne_tournent_jamais_ensemble(client, coordination):
    """Tant qu'un import tient le verrou des imports, un autre attend sans rien écrire, et sa page de suivi le dit.
    Le test tient lui-même ce verrou (comme un import en cours, sans qu'un gros fichier doive durer assez pour que
    les deux processus se croisent) : les deux processus de fond prennent chacun un import et s'arrêtent devant.
    Relâché, les deux imports passent. Qu'un import garde le verrou jusqu'à la fin de ce qu'il écrit (et donc que
    le second attend le premier) : test précédent, pendant l'import de 400 000 lieux."""
    client.force_login(coordination)
    premier = demander_import(_zip_de_lieux(500))
    second = demander_import(_zip_de_lieux(500, prefixe="Autre lieu"))
    imports = Traitement.objects.filter(pk__in=[premier.pk, second.pk])
    with psycopg.connect(environnement_de_la_base_de_test()["DATABASE_URL"]) as import_en_cours:
        import_en_cours.execute("SELECT pg_advisory_xact_lock(%s, 1)", [VERROU_IMPORT])
        processus = [lancer_un_processus_de_fond("--batch", f"--worker-id=import-{i}") for i in range(2)]
        try:
            _attendre(
                lambda: all(t.progression.get("attend_un_autre_import") for t in imports.all()),
                secondes=60,
                quoi="les deux imports en attente du verrou",
            )
            assert Lieu.objects.count() == 0
            assert len({t.processus for t in imports.all()}) == 2  # un import par processus
            page = client.get(reverse("rapports:traitement", args=[premier.pk])).content.decode()
            assert "attend la fin d'un autre import" in html.unescape(page)
        except BaseException:
            for p in processus:
                _arreter(p)
            raise
    # Fin de la transaction du test : le verrou est relâché.
    try:
        for p in processus:
            p.wait(120)
    finally:
        for p in processus:
            _arreter(p)
    for t in imports.all():
        assert t.statut == StatutTraitement.TERMINE, t.message
        assert t.progression["a_attendu_un_autre_import"] and not t.progression["attend_un_autre_import"]
    assert Lieu.objects.count() == 1_000
