"""Travaux de fond : import suivi par une page, exports produits en fichier, processus arrêtés, purge."""

import datetime
import io
import os
import socket
import subprocess
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from inclusion.models import Lieu
from tests.taches import executer_les_taches, octets_de
from travaux import registre
from travaux.deroulement import MESSAGE_PROCESSUS_ARRETE, constater_les_arrets
from travaux.enums import NatureTraitement, StatutTraitement
from travaux.models import Traitement
from travaux.services import demander, demander_import, place_dans_la_file
from travaux.views import avancement


def _zip(fichiers):
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as archive:
        for nom, texte in fichiers.items():
            archive.writestr(nom, texte)
    return tampon.getvalue()


def test_le_televersement_rend_la_main_et_la_page_suit_l_import(client, coordination):
    client.force_login(coordination)
    lieux = "nom\n" + "".join(f"ESC {i}\n" for i in range(12_000))
    reponse = client.post(
        reverse("rapports:import"), {"fichier": SimpleUploadedFile("i.zip", _zip({"lieux.csv": lieux}))}
    )
    assert reponse.status_code == 302
    traitement = Traitement.objects.get()
    assert reponse["Location"] == reverse("rapports:traitement", kwargs={"pk": traitement.pk})
    assert traitement.nature == NatureTraitement.IMPORT and traitement.fichier.name.startswith("traitements/")
    assert Lieu.objects.count() == 0  # rien n'est fait dans la requête
    page = client.get(reponse["Location"]).content.decode()
    assert "En attente." in page and 'hx-trigger="every 1s"' in page
    assert executer_les_taches() == 1
    traitement.refresh_from_db()
    assert traitement.statut == StatutTraitement.TERMINE and Lieu.objects.count() == 12_000
    # L'avancement a été noté fichier par fichier (lignes lues, octets lus sur le total).
    fichier = traitement.progression["fichiers"]["lieux.csv"]
    assert fichier["lignes"] == 12_000 and fichier["fait"] == fichier["total"] == len(lieux.encode())
    page = client.get(reponse["Location"], headers={"HX-Request": "true"}).content.decode()
    assert "Import terminé." in page and "12\u202f000 lignes" in page
    assert "hx-trigger" not in page  # fini : la page ne se recharge plus
    assert "<html" not in page  # htmx ne reçoit que le cadre d'avancement


def test_un_import_refuse_liste_ses_erreurs_et_n_ecrit_rien(client, coordination):
    client.force_login(coordination)
    contenu = "nom,adresse\nESC A,\n,rue sans nom\n"
    reponse = client.post(
        reverse("rapports:import"), {"fichier": SimpleUploadedFile("i.zip", _zip({"lieux.csv": contenu}))}
    )
    executer_les_taches()
    page = client.get(reponse["Location"]).content.decode()
    assert "Import refusé : 1 erreur, rien n'a été écrit." in page and "lieux.csv" in page
    assert Lieu.objects.count() == 0


def test_une_erreur_inattendue_est_dite_en_francais_et_la_tache_echoue(client, coordination, monkeypatch):
    def en_panne(traitement, progression):
        Lieu.objects.create(nom="Écrit avant la panne")
        raise RuntimeError("détail technique")

    monkeypatch.setitem(registre.TRAVAUX, NatureTraitement.EXPORT_COMPLET, en_panne)
    client.force_login(coordination)
    reponse = client.post(reverse("rapports:export_zip"))
    executer_les_taches()
    traitement = Traitement.objects.get()
    assert traitement.statut == StatutTraitement.ECHOUE
    assert "erreur inattendue" in traitement.message and "détail technique" not in traitement.message
    assert DBTaskResult.objects.get(id=traitement.tache).status == "FAILED"
    page = client.get(reponse["Location"]).content.decode()
    assert "Échec." in page and "erreur inattendue" in page
    assert client.get(reverse("rapports:traitement_fichier", kwargs={"pk": traitement.pk})).status_code == 404


def _pid_arrete():
    """Le numéro d'un processus qui vient de finir (et n'existe donc plus)."""
    processus = subprocess.Popen(["true"])  # noqa: S603, S607 - commande fixe ; jamais de fork dans un test
    processus.wait(10)
    return processus.pid


def test_un_processus_arrete_en_route_est_constate_et_la_tache_marquee_echouee(coordination):
    traitement = demander(NatureTraitement.EXPORT_COMPLET, demande_par=coordination)
    DBTaskResult.objects.filter(id=traitement.tache).update(status="RUNNING")
    Traitement.objects.filter(pk=traitement.pk).update(
        statut=StatutTraitement.EN_COURS, processus=f"{socket.gethostname()}:{_pid_arrete()}"
    )
    assert constater_les_arrets() == 1
    traitement.refresh_from_db()
    assert traitement.statut == StatutTraitement.ECHOUE and traitement.message == MESSAGE_PROCESSUS_ARRETE
    assert DBTaskResult.objects.get(id=traitement.tache).status == "FAILED"


def test_un_processus_vivant_n_est_pas_declare_arrete(coordination):
    from django.db import connection

    traitement = demander(NatureTraitement.EXPORT_COMPLET, demande_par=coordination)
    Traitement.objects.filter(pk=traitement.pk).update(
        statut=StatutTraitement.EN_COURS, processus=f"{socket.gethostname()}:{os.getpid()}"
    )
    if connection.vendor == "postgresql":  # le processus vivant tient son verrou (ici : une autre connexion)
        from travaux.deroulement import VERROU_PROCESSUS, _connexion_a_part

        autre = _connexion_a_part()
        with autre.cursor() as curseur:
            curseur.execute("SELECT pg_advisory_lock(%s, %s)", [VERROU_PROCESSUS, traitement.pk])
        try:
            assert constater_les_arrets() == 0
        finally:
            autre.close()
    else:
        assert constater_les_arrets() == 0
    traitement.refresh_from_db()
    assert traitement.statut == StatutTraitement.EN_COURS


def test_le_second_import_dit_sa_place(db):
    premier = demander_import(SimpleUploadedFile("a.zip", _zip({"lieux.csv": "nom\nA\n"})))
    second = demander_import(SimpleUploadedFile("b.zip", _zip({"lieux.csv": "nom\nB\n"})))
    export = demander(NatureTraitement.EXPORT_COMPLET)
    assert place_dans_la_file(premier) == 0 and place_dans_la_file(second) == 1
    assert place_dans_la_file(export) == 2  # les exports attendent tous les travaux d'avant


def test_l_avancement_estime_le_temps_restant(db):
    traitement = Traitement(
        nature=NatureTraitement.IMPORT,
        statut=StatutTraitement.EN_COURS,
        commence_le=timezone.now() - datetime.timedelta(seconds=30),
        progression={
            "fichiers": {
                "lieux.csv": {"lignes": 10, "fait": 100, "total": 100},
                "passages.csv": {"lignes": 5000, "fait": 200, "total": 900},
            },
            "erreurs": 3,
        },
    )
    traitement.demande_le = timezone.now()
    a = avancement(traitement)
    assert a["pourcent"] == 30 and a["erreurs"] == 3
    assert 69 <= a["restant"] <= 71  # 30 s pour 30 % : encore 70 s


@pytest.mark.parametrize(
    "url,donnees,debut_du_nom",
    [
        ("rapports:export_zip", {}, "inclusion-export-"),
        ("rapports:export_coop", {"annee": "2023"}, "coop-mediation-numerique-2023"),
        ("rapports:export_xlsx", {}, "indicateurs-"),
    ],
)
def test_les_exports_sont_produits_en_fond_puis_servis_depuis_le_disque(
    client, coordination, url, donnees, debut_du_nom
):
    client.force_login(coordination)
    reponse = client.post(
        reverse(url) + ("?debut=2023-01-01&fin=2023-12-31" if "xlsx" in url else ""), donnees
    )
    traitement = Traitement.objects.get()
    assert client.get(reverse("rapports:traitement_fichier", kwargs={"pk": traitement.pk})).status_code == 404
    executer_les_taches()
    page = client.get(reponse["Location"]).content.decode()
    assert "Document prêt." in page
    document = client.get(reverse("rapports:traitement_fichier", kwargs={"pk": traitement.pk}))
    assert document.streaming and document["Content-Disposition"].startswith(
        f'attachment; filename="{debut_du_nom}'
    )
    assert octets_de(document)[:2] == b"PK"  # zip ou XLSX


def test_les_exports_en_get_sont_refuses(client, coordination):
    client.force_login(coordination)
    for url in ("rapports:export_zip", "rapports:export_coop", "rapports:export_xlsx"):
        assert client.get(reverse(url)).status_code == 405
    assert Traitement.objects.count() == 0


def test_la_purge_efface_les_documents_au_dela_d_un_jour(client, coordination, settings):
    client.force_login(coordination)
    client.post(reverse("rapports:export_zip"))
    executer_les_taches()
    traitement = Traitement.objects.get()
    chemin = traitement.fichier.path
    assert os.path.exists(chemin)
    call_command("purger_donnees_personnelles", "--appliquer", stdout=io.StringIO())
    assert os.path.exists(chemin)  # gardé un jour
    Traitement.objects.filter(pk=traitement.pk).update(
        demande_le=timezone.now() - datetime.timedelta(hours=25)
    )
    sortie = io.StringIO()
    call_command("purger_donnees_personnelles", "--appliquer", stdout=sortie)
    assert not os.path.exists(chemin)
    assert "fichiers téléversés" in sortie.getvalue()
    assert not Traitement.objects.filter(pk=traitement.pk).exists()  # le suivi aussi est oublié
    reponse = client.get(reverse("rapports:traitement_fichier", kwargs={"pk": traitement.pk}))
    assert reponse.status_code == 404


def test_la_commande_confie_l_import_au_fond(db, tmp_path):
    (tmp_path / "lieux.csv").write_text("nom\nESC Fond\n", encoding="utf-8")
    sortie = io.StringIO()
    call_command("importer", str(tmp_path), "--sans-attendre", stdout=sortie)
    assert "travail n°" in sortie.getvalue() and Lieu.objects.count() == 0
    executer_les_taches()
    assert Lieu.objects.get().nom == "ESC Fond"
    assert Traitement.objects.get().resultat["comptes"] == {"lieux.csv": 1}


def test_un_travail_d_un_autre_n_existe_pas_pour_qui_n_est_pas_coordination(client, coordination):
    from tests.inclusion.factories import utilisateur

    traitement = demander(NatureTraitement.EXPORT_COMPLET, demande_par=coordination)
    client.force_login(utilisateur("mediation", username="med_t"))
    assert client.get(reverse("rapports:traitement", kwargs={"pk": traitement.pk})).status_code == 403
    client.force_login(coordination)
    assert client.get(reverse("rapports:traitement", kwargs={"pk": 999_999})).status_code == 404
