"""De vrais processus de fond (manage.py db_worker) sur PostgreSQL : import en fond, processus tué en route,
deux processus qui se partagent la file sans prendre deux fois le même travail."""

import io
import signal
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tasks_db.models import DBTaskResult

from inclusion.models import Lieu
from tests.taches import lancer_un_processus_de_fond
from travaux.deroulement import MESSAGE_PROCESSUS_ARRETE, constater_les_arrets
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


def test_deux_imports_ne_tournent_jamais_ensemble():
    premier = demander_import(_zip_de_lieux(40_000))
    second = demander_import(_zip_de_lieux(40_000, prefixe="Autre lieu"))
    processus = [lancer_un_processus_de_fond("--batch", f"--worker-id=import-{i}") for i in range(2)]
    try:
        for p in processus:
            p.wait(240)
    finally:
        for p in processus:
            _arreter(p)
    premier.refresh_from_db()
    second.refresh_from_db()
    assert premier.statut == second.statut == StatutTraitement.TERMINE, (premier.message, second.message)
    assert Lieu.objects.count() == 80_000
    # Les deux processus ont pris chacun un import ; l'un a attendu que l'autre finisse (verrou de la base).
    attendu = [t for t in (premier, second) if t.progression.get("a_attendu_un_autre_import")]
    assert len(attendu) == 1
    autre = second if attendu[0] is premier else premier
    assert attendu[0].termine_le > autre.termine_le
