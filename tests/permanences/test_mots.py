"""#18, petits points : les mots justes (pluriels, valeurs possibles, un seul message)."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inclusion.echanges import ErreurLigne, index_choix, lire_choix
from permanences.enums import Autonomie
from tests.inclusion.factories import utilisateur
from tests.permanences.factories import PermanenceFactory
from tests.taches import televerser


def test_zero_personne_en_attente_au_singulier(client, lieu):
    permanence = PermanenceFactory(lieu=lieu)
    client.force_login(utilisateur("mediation", lieux=[lieu], username="med_mots"))
    assert (
        "<strong>0</strong> personne en attente."
        in client.get(reverse("permanences:file", args=[permanence.pk])).content.decode()
    )


def test_une_valeur_inconnue_dit_les_valeurs_possibles():
    try:
        lire_choix("très autonome", "autonomie", index_choix(Autonomie.choices))
    except ErreurLigne as erreur:
        message = erreur.message
    assert message == (
        "valeur « très autonome » inconnue (valeurs possibles : autonome, partiellement_autonome, accompagne, "
        "fait_a_sa_place)"
    )


def test_import_termine_dit_une_seule_fois(client, coordination):
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w") as archive:
        archive.writestr("lieux.csv", "nom\nESC Nouveau\n")
    client.force_login(coordination)
    page = televerser(client, SimpleUploadedFile("i.zip", tampon.getvalue())).content.decode()
    assert page.count("Import terminé.") == 1


def test_duree_prevue_hors_limites_dite_en_mots(client, lieu):
    from freezegun import freeze_time

    from inclusion.roles import intervenant_de
    from tests.permanences.test_rendez_vous import donnees_rdv

    compte = utilisateur("mediation", lieux=[lieu], username="med_duree")
    client.force_login(compte)
    with freeze_time("2024-03-04 12:00:00+01:00"):
        for duree, message in (
            ("0", "au moins 1 minute"),
            ("600", "ne peut pas dépasser 480 minutes (8 heures)"),
        ):
            reponse = client.post(
                reverse("permanences:rendez_vous_nouveau"),
                donnees_rdv(lieu, intervenant_de(compte), duree_prevue_minutes=duree),
            )
            assert message in reponse.content.decode(), duree


def test_une_issue_inchangee_ne_se_dit_pas_enregistree(client, lieu):
    import datetime

    from inclusion.roles import intervenant_de
    from tests.permanences.factories import RendezVousFactory

    compte = utilisateur("mediation", lieux=[lieu], username="med_issue")
    rdv = RendezVousFactory(
        lieu=lieu, intervenant=intervenant_de(compte), date=datetime.date.today(), statut="a_renseigner"
    )
    client.force_login(compte)
    reponse = client.post(
        reverse("permanences:rendez_vous_resultat", args=[rdv.pk]),
        {"statut": "a_renseigner", "tranche_age": rdv.tranche_age, "genre": rdv.genre, "motif": rdv.motif},
        follow=True,
    )
    page = reponse.content.decode()
    assert "Issue du rendez-vous enregistrée" not in page and "Aucune modification" in page


def test_les_agents_d_accueil_ne_sont_pas_formateurs(client, db):
    from formations.forms import SessionFormationForm
    from inclusion.roles import intervenant_de

    agent = intervenant_de(utilisateur("accueil", username="agent_formation"))
    formateur = intervenant_de(utilisateur("formation", username="formateur_liste"))
    choix = SessionFormationForm(user=None).fields["formateur"].queryset
    assert formateur in choix and agent not in choix


def test_les_formulaires_d_analyse_du_bilan_ont_des_identifiants_uniques(client, coordination):
    import re

    from tests.rapports.jeu_de_donnees import construire

    construire()
    client.force_login(coordination)
    page = client.get(reverse("rapports:bilan", args=[2023])).content.decode()
    identifiants = re.findall(r'\sid="([^"]+)"', page)
    assert len(identifiants) == len(set(identifiants)), [
        i for i in set(identifiants) if identifiants.count(i) > 1
    ][:5]


@pytest.mark.django_db
def test_l_accueil_compte_des_arrivees_pas_des_personnes_recues(client):
    import datetime

    from django.urls import reverse
    from django.utils import timezone

    from tests.inclusion.factories import LieuFactory, utilisateur
    from tests.permanences.factories import PermanenceFactory

    lieu = LieuFactory()
    PermanenceFactory(
        lieu=lieu, date=timezone.localdate(), heure_debut=datetime.time(0), heure_fin=datetime.time(23)
    )
    client.force_login(utilisateur("accueil", lieux=[lieu]))
    page = client.get(reverse("permanences:accueil")).content.decode()
    assert '<span class="compteur-libelle">arrivées</span>' in page and "reçues" not in page
    client.force_login(utilisateur("mediation", lieux=[lieu]))
    page = client.get(reverse("permanences:mes_permanences")).content.decode()
    assert ">Arrivées</th>" in page and "Reçues" not in page
