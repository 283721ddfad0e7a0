"""Un import ne reste jamais en attente en silence, et un fichier CSV téléversé seul est ce fichier (#27)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from freezegun import freeze_time

from inclusion.models import Lieu
from tests.taches import executer_les_taches, televerser
from travaux.enums import NatureTraitement, StatutTraitement
from travaux.models import Traitement
from travaux.services import (
    MESSAGE_SANS_PROCESSUS,
    abandonner_faute_de_processus,
    demander,
    sans_processus_de_fond,
)


@pytest.fixture
def dossier_lieux(tmp_path):
    (tmp_path / "lieux.csv").write_text("nom\nESC A\nESC B\n", encoding="utf-8")
    return tmp_path


@pytest.fixture
def horloge_de_la_commande(monkeypatch):
    """L'horloge gelée, que chaque attente de la commande fait avancer d'autant : les secondes d'attente sont
    comptées sans être attendues, et une commande qui attendrait pour toujours fait échouer le test."""
    from types import SimpleNamespace

    from echanges.management.commands import importer as module

    # _pytest ignoré : --durations mesure la fixture en heure réelle (sinon, des décennies affichées).
    with freeze_time(timezone.now(), ignore=["_pytest"]) as horloge:
        attendu = []

        def attendre(secondes):
            attendu.append(secondes)
            assert sum(attendu) < 60, "la commande attend toujours un processus de fond qui ne viendra pas"
            horloge.tick(datetime.timedelta(seconds=secondes))

        monkeypatch.setattr(module, "time", SimpleNamespace(sleep=attendre))
        yield attendu


def test_la_commande_dit_vite_qu_aucun_processus_ne_tourne_et_sort_en_erreur(
    db, dossier_lieux, horloge_de_la_commande
):
    with pytest.raises(CommandError) as erreur:
        call_command("importer", str(dossier_lieux))
    assert sum(horloge_de_la_commande) <= 10  # secondes d'attente avant de le dire
    assert "Aucun processus de fond ne tourne" in str(erreur.value)
    assert "--sync" in str(erreur.value) and "db_worker" in str(erreur.value)
    # Le travail est retiré de la file : un processus démarré plus tard ne le fera pas par surprise.
    traitement = Traitement.objects.get()
    assert traitement.statut == StatutTraitement.ECHOUE and traitement.message == MESSAGE_SANS_PROCESSUS
    assert DBTaskResult.objects.get(id=traitement.tache).status == TaskResultStatus.FAILED
    assert executer_les_taches() == 0 and Lieu.objects.count() == 0


def test_sans_processus_manage_py_sort_avec_un_code_non_nul(
    db, dossier_lieux, horloge_de_la_commande, capsys
):
    from django.core.management import ManagementUtility

    with pytest.raises(SystemExit) as sortie:
        ManagementUtility(["manage.py", "importer", str(dossier_lieux)]).execute()
    assert sortie.value.code == 1
    assert "Aucun processus de fond ne tourne" in capsys.readouterr().err


def test_un_processus_occupe_n_est_pas_un_processus_absent(db):
    """Un autre travail en cours, par un processus vivant (ce processus-ci ; sur PostgreSQL, il tient le verrou
    « processus vivant » du travail, comme deroulement) : le travail en attente n'est pas « sans processus »."""
    import contextlib

    from django.db import connection

    from travaux.deroulement import VERROU_PROCESSUS, _connexion_a_part, nom_du_processus

    ancien = timezone.now() - datetime.timedelta(minutes=5)
    en_cours = demander(NatureTraitement.EXPORT_COMPLET)
    Traitement.objects.filter(pk=en_cours.pk).update(
        statut=StatutTraitement.EN_COURS, processus=nom_du_processus(), commence_le=ancien
    )
    verrou = contextlib.ExitStack()
    if connection.vendor == "postgresql":
        a_part = _connexion_a_part()
        verrou.callback(a_part.close)
        with a_part.cursor() as curseur:
            curseur.execute("SELECT pg_advisory_lock(%s, %s)", [VERROU_PROCESSUS, en_cours.pk])
    attend = demander(NatureTraitement.EXPORT_COMPLET)
    Traitement.objects.filter(pk=attend.pk).update(demande_le=ancien)
    attend.refresh_from_db()
    with verrou:
        assert not sans_processus_de_fond(attend)  # un autre travail est en cours : le processus est occupé
    Traitement.objects.filter(pk=en_cours.pk).update(statut=StatutTraitement.TERMINE)
    assert sans_processus_de_fond(attend)
    with freeze_time(ancien + datetime.timedelta(seconds=3)):
        assert not sans_processus_de_fond(attend)  # trop tôt pour le dire


def test_un_travail_pris_entre_temps_n_est_pas_abandonne(db):
    traitement = demander(NatureTraitement.EXPORT_COMPLET)
    DBTaskResult.objects.filter(id=traitement.tache).update(status=TaskResultStatus.RUNNING)
    assert abandonner_faute_de_processus(traitement) is False
    traitement.refresh_from_db()
    assert traitement.statut == StatutTraitement.EN_ATTENTE


def test_la_page_de_suivi_dit_qu_aucun_processus_ne_tourne(client, coordination):
    client.force_login(coordination)
    reponse = client.post(
        reverse("rapports:import"),
        {"fichier": SimpleUploadedFile("lieux.csv", b"nom\nESC A\n", content_type="text/csv")},
    )
    assert reponse.status_code == 302
    page = client.get(reponse["Location"]).content.decode()
    assert "Aucun processus de fond ne tourne" not in page  # dans les premières secondes : en attente
    Traitement.objects.update(demande_le=timezone.now() - datetime.timedelta(minutes=1))
    page = client.get(reponse["Location"], headers={"HX-Request": "true"}).content.decode()
    assert "aucun processus de fond ne tourne" in page and "db_worker" in page
    assert 'hx-trigger="every 1s"' in page  # elle continue de regarder : un processus peut démarrer


def test_un_csv_seul_porte_le_nom_d_un_fichier_declare(client, coordination):
    client.force_login(coordination)
    fichier = SimpleUploadedFile("lieux.csv", "nom\nESC A\nESC Bé\n".encode(), content_type="text/csv")
    page = televerser(client, fichier).content.decode()
    assert "Import terminé." in page
    assert sorted(Lieu.objects.values_list("nom", flat=True)) == ["ESC A", "ESC Bé"]


def test_passages_csv_seul_est_importe(client, coordination):
    from permanences.models import Passage
    from tests.echanges.test_echanges import FICHIERS
    from tests.travaux.test_traitements import _zip

    def texte(lignes):
        return "\r\n".join(",".join(cellules) for cellules in lignes) + "\r\n"

    client.force_login(coordination)
    # D'abord ce dont les passages dépendent, par une archive ; puis passages.csv seul.
    autres = {nom: texte(lignes) for nom, lignes in FICHIERS.items() if nom != "passages.csv"}
    assert (
        "Import terminé." in televerser(client, SimpleUploadedFile("base.zip", _zip(autres))).content.decode()
    )
    avant = Passage.objects.count()
    passages = texte(FICHIERS["passages.csv"]).encode()
    page = televerser(
        client, SimpleUploadedFile("passages.csv", passages, content_type="text/csv")
    ).content.decode()
    assert "Import terminé." in page, page
    assert Passage.objects.count() - avant == len(FICHIERS["passages.csv"]) - 1 > 0


def test_un_autre_csv_seul_est_refuse_avec_les_noms_acceptes(client, coordination):
    from echanges.formats import FICHIERS

    client.force_login(coordination)
    reponse = televerser(client, SimpleUploadedFile("autre.csv", b"nom\nESC A\n", content_type="text/csv"))
    assert reponse.status_code == 400
    page = reponse.content.decode()
    assert "autre.csv" in page and "non reconnu" in page
    assert all(nom in page for nom in FICHIERS)
    assert Traitement.objects.count() == 0 and Lieu.objects.count() == 0


@pytest.mark.sqlite
def test_sur_sqlite_la_barre_avance_pendant_la_transaction_de_l_import(
    client, coordination, monkeypatch, settings
):
    """SQLite n'a qu'un écrivain : pendant l'import, l'avancement passe par un fichier que la page lit (#31)."""
    from django.db import connection

    from tests.travaux.test_traitements import _zip
    from travaux import deroulement
    from travaux.views import avancement

    assert deroulement.INTERVALLE_ECRITURE_SECONDES <= 2  # la barre bouge au moins toutes les 2 secondes
    monkeypatch.setattr(deroulement, "INTERVALLE_ECRITURE_SECONDES", 0)  # chaque lot noté, sans attendre
    vus = []
    ecrire = deroulement.Progression.ecrire

    def ecrire_puis_lire_comme_la_page(self):
        ecrire(self)
        if connection.in_atomic_block and self.etat.get("fichiers"):
            suivi = Traitement.objects.get(pk=self.traitement.pk)
            vus.append(
                (avancement(suivi)["pourcent"], sum(f["lignes"] for f in avancement(suivi)["fichiers"]))
            )

    monkeypatch.setattr(deroulement.Progression, "ecrire", ecrire_puis_lire_comme_la_page)
    client.force_login(coordination)
    lieux = "nom\n" + "".join(f"ESC {i}\n" for i in range(40_000))
    page = televerser(client, SimpleUploadedFile("i.zip", _zip({"lieux.csv": lieux}))).content.decode()
    assert "Import terminé." in page
    intermediaires = [v for v in vus if 0 < v[0] < 100]
    assert len(intermediaires) >= 3, vus
    assert vus == sorted(vus)  # elle ne recule jamais
    assert not deroulement.fichier_de_progression(Traitement.objects.get().pk).exists()  # effacé à la fin
