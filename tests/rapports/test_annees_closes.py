"""Ce qui passait dans une année close (#28, « What got through », point 1), essayé chemin par chemin.

Chaque test rejoue une attaque de la démonstration (2022 et 2023 publiées) : elle est refusée avec un message en
français, rien n'est écrit, et les chiffres publiés restent ceux que sert l'API.
"""

import datetime
import html
import json
import uuid

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from api.enums import PorteeApi
from api.jetons import creer_jeton
from echanges.importeur import ImportRefuse, importer
from echanges.sources import SourceFichiers
from formations.models import Inscription, SessionFormation
from inclusion.models import ClotureAnnee
from permanences.models import Arrivee, Passage, Permanence, RendezVous
from rapports.models import ChiffreExterne, PointAnalyse, SuiviDonnees
from rapports.services import publier_bilan, rouvrir_annee
from tests.formations.factories import InscriptionFactory, SessionFormationFactory
from tests.permanences.factories import (
    CreneauFactory,
    PassageFactory,
    PermanenceFactory,
    RefusFactory,
    RendezVousFactory,
)

MESSAGE = "L'année {} est close : son Bilan est publié"


def _texte(reponse):
    return html.unescape(reponse.content.decode())


@pytest.fixture
def admin_client_(client, db):
    client.force_login(User.objects.create_superuser("super", "super@example.org", "mot-de-passe-de-test"))
    return client


@pytest.fixture
def annee_2023_close(db):
    """Des enregistrements de 2023 (passages, rendez-vous, une session et ses inscriptions), puis 2023 close."""
    permanence = PermanenceFactory(date=datetime.date(2023, 3, 6))
    passages = [PassageFactory(permanence=permanence) for _ in range(3)]
    rendez_vous = RendezVousFactory(date=datetime.date(2023, 4, 3))
    session = SessionFormationFactory(date=datetime.date(2023, 5, 2))
    InscriptionFactory.create_batch(2, session=session)
    arrivee = Arrivee.objects.create(
        uuid=uuid.uuid4(),
        permanence=permanence,
        horodatage=timezone.make_aware(datetime.datetime(2023, 3, 6, 10)),
    )
    ClotureAnnee.objects.create(annee=2023, close=True)
    return {"passages": passages, "rendez_vous": rendez_vous, "session": session, "arrivee": arrivee}


@pytest.mark.parametrize(
    ("modele", "cle"),
    [(Passage, "passages"), (RendezVous, "rendez_vous"), (SessionFormation, "session")],
    ids=["passages", "rendez-vous", "session et inscriptions"],
)
def test_la_suppression_en_masse_de_l_administration_est_refusee(
    annee_2023_close, admin_client_, modele, cle
):
    choisis = annee_2023_close[cle]
    choisis = choisis if isinstance(choisis, list) else [choisis]
    liste = reverse(f"admin:{modele._meta.app_label}_{modele._meta.model_name}_changelist")
    avant = (modele.objects.count(), Inscription.objects.count())
    for etape in ({}, {"post": "yes"}):  # la page de confirmation, puis la confirmation
        reponse = admin_client_.post(
            liste,
            {"action": "delete_selected", "_selected_action": [o.pk for o in choisis], **etape},
            follow=True,
        )
        assert reponse.status_code == 200
        assert "Suppression refusée : " + MESSAGE.format(2023) in _texte(reponse)
    assert (modele.objects.count(), Inscription.objects.count()) == avant
    assert not LogEntry.objects.exists()  # pas d'entrée « supprimé » pour ce qui ne l'a pas été


def test_une_arrivee_ne_se_supprime_pas_dans_l_administration(annee_2023_close, admin_client_):
    arrivee = annee_2023_close["arrivee"]
    ClotureAnnee.objects.update(close=False)  # même dans une année ouverte
    assert (
        admin_client_.get(reverse("admin:permanences_arrivee_delete", args=[arrivee.pk])).status_code == 403
    )
    liste = admin_client_.get(reverse("admin:permanences_arrivee_changelist"))
    assert "delete_selected" not in _texte(liste)
    reponse = admin_client_.post(
        reverse("admin:permanences_arrivee_changelist"),
        {"action": "delete_selected", "_selected_action": [arrivee.pk], "post": "yes"},
    )
    assert reponse.status_code in (200, 302) and Arrivee.objects.filter(pk=arrivee.pk).exists()


def test_une_modification_dans_l_administration_est_une_erreur_du_formulaire(annee_2023_close, admin_client_):
    rendez_vous = annee_2023_close["rendez_vous"]
    adresse = reverse("admin:permanences_rendezvous_change", args=[rendez_vous.pk])
    page = admin_client_.get(adresse)
    donnees = {
        champ.name: champ.value() if champ.value() is not None else ""
        for champ in page.context["adminform"].form
    }
    donnees["duree_prevue_minutes"] = 90
    reponse = admin_client_.post(adresse, donnees)
    assert reponse.status_code == 200 and MESSAGE.format(2023) in _texte(reponse)
    rendez_vous.refresh_from_db()
    assert rendez_vous.duree_prevue_minutes != 90


def _bilan_d_un_autre(annee):
    return json.dumps(
        {"version": 2, "annee": annee, "dispositif": {"personnes_recues_hors_declares": {"valeur": 123456}}}
    ).encode()


def test_compter_un_autre_dispositif_pour_une_annee_close_est_refuse(db, client, coordination):
    ClotureAnnee.objects.create(annee=2022, close=True)
    client.force_login(coordination)
    adresse = reverse("rapports:import_bilan_externe")
    for _ in range(2):  # et encore une fois avec la même source : rien n'est écrasé en silence
        page = client.post(
            adresse, {"source": "ERE", "fichier": SimpleUploadedFile("b.json", _bilan_d_un_autre(2022))}
        )
        assert page.status_code == 400 and MESSAGE.format(2022) in _texte(page)
    assert not ChiffreExterne.objects.exists()


def test_chiffres_externes_csv_et_analyses_csv_refusent_les_annees_closes(db, tmp_path):
    ClotureAnnee.objects.create(annee=2022, close=True)
    ClotureAnnee.objects.create(annee=2023, close=True)
    (tmp_path / "chiffres_externes.csv").write_text(
        "annee,indicateur,valeur,source\n"
        "2024,dispositif.personnes_recues_externes,10,ERE\n"
        "2022,dispositif.personnes_recues_externes,130203,ERE\n"
        "2023,permanences.usagers_recus,1,ERE\n"
    )
    (tmp_path / "analyses.csv").write_text(
        "annee,section,ordre,titre,texte\n2023,permanences,1,Réécrit,Après publication\n"
    )
    with pytest.raises(ImportRefuse) as refus:
        importer(SourceFichiers.dossier(tmp_path))
    texte = str(refus.value)
    for ligne in (
        "chiffres_externes.csv:3: annee: " + MESSAGE.format(2022),
        "chiffres_externes.csv:4: annee: ",
    ):
        assert ligne in texte
    assert "analyses.csv:2: annee: " + MESSAGE.format(2023) in texte
    assert "chiffres_externes.csv:2" not in texte
    assert not ChiffreExterne.objects.exists() and not PointAnalyse.objects.exists()  # tout ou rien


def test_une_date_de_suivi_qui_changerait_une_annee_close_est_refusee(db, admin_client_):
    # Comme dans la démonstration : des refus pointés en 2023, suivis par défaut depuis le 1er janvier 2023 ; une
    # date au 1er janvier 2024 rendrait inconnus les refus publiés de 2023.
    RefusFactory(permanence=PermanenceFactory(date=datetime.date(2023, 3, 6)))
    ClotureAnnee.objects.create(annee=2023, close=True)
    reponse = admin_client_.post(
        reverse("admin:rapports_suividonnees_add"),
        {"famille": "refus", "depuis": "2024-01-01", "commentaire": ""},
    )
    assert reponse.status_code == 200 and MESSAGE.format(2023) in _texte(reponse)
    assert not SuiviDonnees.objects.exists()
    ClotureAnnee.objects.update(close=False)
    suivi = SuiviDonnees.objects.create(famille="refus", depuis=datetime.date(2024, 3, 1))
    ClotureAnnee.objects.update(close=True)
    suivi.depuis = datetime.date(2024, 1, 1)  # après l'année close, dans une année ouverte : permis
    suivi.save()
    suivi.commentaire = "Noté au propre"  # le commentaire ne change aucun chiffre
    suivi.save()
    for depuis in (datetime.date(2023, 6, 1), datetime.date(2019, 1, 1)):
        suivi.depuis = depuis
        with pytest.raises(Exception, match=MESSAGE.format(2023)):
            suivi.save()


def test_creer_permanences_dans_une_annee_close_est_refuse(db):
    CreneauFactory(valide_du=datetime.date(2021, 1, 1))
    ClotureAnnee.objects.create(annee=2022, close=True)
    with pytest.raises(CommandError, match=MESSAGE.format(2022)):
        call_command("creer_permanences", "--du", "2022-01-01", "--au", "2022-12-31")
    with pytest.raises(CommandError, match=MESSAGE.format(2022)):
        call_command("creer_permanences", "--du", "2022-12-30", "--au", "2023-01-05")
    assert not Permanence.objects.exists()


def test_les_points_d_analyse_d_une_annee_publiee_sont_figes_sur_la_page(db, client, coordination):
    point = PointAnalyse.objects.create(annee=2023, section="permanences", titre="Avant publication")
    ClotureAnnee.objects.create(annee=2023, close=True)
    client.force_login(coordination)
    reponses = [
        client.post(
            reverse("rapports:point_ajouter", args=[2023, "permanences"]), {"titre": "Ajouté", "texte": ""}
        ),
        client.post(reverse("rapports:point_modifier", args=[point.pk]), {"titre": "Réécrit", "texte": ""}),
        client.post(reverse("rapports:point_supprimer", args=[point.pk])),
    ]
    for reponse in reponses:
        dits = [str(m) for m in get_messages(reponse.wsgi_request)]
        assert reponse.status_code == 302 and any(MESSAGE.format(2023) in m for m in dits), dits
    assert list(PointAnalyse.objects.values_list("titre", flat=True)) == ["Avant publication"]


def test_la_page_d_une_annee_close_ne_propose_plus_de_modifier_l_analyse(db, client, coordination):
    from tests.rapports.jeu_de_donnees import construire

    construire()
    PointAnalyse.objects.create(annee=2023, section="permanences", titre="Avant publication")
    client.force_login(coordination)
    adresse = reverse("rapports:bilan", args=[2023])
    assert "Ajouter un point d'analyse" in _texte(client.get(adresse))
    ClotureAnnee.objects.create(annee=2023, close=True)
    page = _texte(client.get(adresse))
    assert "Avant publication" in page
    assert "Ajouter un point d'analyse" not in page and "Modifier ce point" not in page


def test_l_api_sert_la_version_publiee_d_une_annee_close(db, client, coordination):
    from tests.rapports.jeu_de_donnees import construire

    construire()
    publication = publier_bilan(2022, auteur=coordination)
    _, secret = creer_jeton(
        nom="Métropole", portees=[PorteeApi.BILAN], expire_le=timezone.now() + datetime.timedelta(days=30)
    )
    entetes = {"Authorization": f"Bearer {secret}"}
    reponse = client.get("/api/v1/bilan/2022", headers=entetes)
    assert reponse.status_code == 200 and reponse.content.decode() == publication.json
    assert reponse["X-Bilan-Version-Publiee"] == "1"
    client.force_login(coordination)
    assert client.get(reverse("rapports:bilan_json", args=[2022])).content.decode() == publication.json
    # Rouverte, l'année sert de nouveau ses chiffres du jour ; la prochaine publication sera la version 2.
    rouvrir_annee(2022, motif="Passages saisis en retard", auteur=coordination)
    PassageFactory(permanence=Permanence.objects.filter(date__year=2022, annulee=False).first())
    rouverte = json.loads(client.get("/api/v1/bilan/2022", headers=entetes).content)
    publie = json.loads(publication.json)
    assert rouverte["permanences"] != publie["permanences"]


def test_un_travail_de_fond_refuse_par_la_cloture_dit_pourquoi():
    from inclusion.annees_closes import AnneeClose, message_annee_close
    from travaux.deroulement import message_d_echec

    message = message_d_echec(AnneeClose(message_annee_close(2023)))
    assert message.startswith(MESSAGE.format(2023)) and message.endswith("Rien n'a été écrit.")
