"""Saisie groupée de fin de permanence : une grille, tout ou rien, les arrivées proposées, comptée dans le Bilan
comme une saisie une à une."""

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from permanences.models import Passage
from rapports.indicateurs.permanences import indicateurs_permanences
from tests.inclusion.factories import LieuFactory, demarche, utilisateur
from tests.permanences.factories import ArriveeFactory, PermanenceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def contexte(client):
    lieu = LieuFactory()
    permanence = PermanenceFactory(lieu=lieu, date=timezone.localdate())
    mediateur = utilisateur("mediation", lieux=[lieu])
    client.force_login(mediateur)
    return permanence, mediateur


def ligne(i, **valeurs):
    return {f"form-{i}-{cle}": valeur for cle, valeur in valeurs.items()}


def gestion(total, initial=0):
    return {"form-TOTAL_FORMS": str(total), "form-INITIAL_FORMS": str(initial), "form-MAX_NUM_FORMS": "1000"}


PREFECTURE = {"type_demande": "demarche_en_ligne", "duree_minutes": "20", "autonomie": "accompagne"}


def test_les_arrivees_sans_passage_sont_proposees_et_enregistrees_avec_leur_attente(client, contexte):
    permanence, mediateur = contexte
    arrivee = ArriveeFactory(
        permanence=permanence, horodatage=timezone.now() - datetime.timedelta(minutes=30), genre="feminin"
    )
    url = reverse("permanences:saisie_groupee", args=[permanence.pk])
    page = client.get(url).content.decode()
    assert f'name="form-0-arrivee" value="{arrivee.pk}"' in page
    assert "personne arrivée à" in page
    donnees = {
        **gestion(3),
        **ligne(
            0,
            arrivee=arrivee.pk,
            demarche=demarche("prefecture_etrangers").pk,
            tranche_age="40_59",
            genre="feminin",
            **PREFECTURE,
        ),
        **ligne(
            1,
            type_demande="accompagnement_technique",
            duree_minutes="10",
            autonomie="autonome",
            tranche_age="non_communique",
            genre="masculin",
        ),
        **ligne(2, tranche_age="non_communique", genre="non_communique"),  # laissée vide : ignorée
    }
    reponse = client.post(url, donnees, follow=True)
    assert "2 passages enregistrés." in reponse.content.decode()
    premier, second = Passage.objects.order_by("pk")
    assert (premier.arrivee_id, premier.demarche.code, premier.genre) == (
        arrivee.pk,
        "prefecture_etrangers",
        "feminin",
    )
    assert premier.intervenant == mediateur.intervenant and premier.cree_par == mediateur
    assert (second.arrivee_id, second.type_demande, second.demarche) == (
        None,
        "accompagnement_technique",
        None,
    )
    resultat = indicateurs_permanences(
        debut=permanence.date, fin=permanence.date + datetime.timedelta(days=1)
    )
    section, *_ = resultat
    assert section["usagers_recus"] == 2


def test_une_ligne_incomplete_n_enregistre_rien_et_dit_laquelle(client, contexte):
    permanence, _ = contexte
    url = reverse("permanences:saisie_groupee", args=[permanence.pk])
    donnees = {
        **gestion(2),
        **ligne(0, demarche=demarche("caf").pk, tranche_age="40_59", genre="feminin", **PREFECTURE),
        **ligne(
            1,
            type_demande="demarche_en_ligne",
            duree_minutes="900",
            autonomie="autonome",
            tranche_age="non_communique",
            genre="non_communique",
        ),
    }
    reponse = client.post(url, donnees)
    page = reponse.content.decode()
    assert reponse.status_code == 400
    assert Passage.objects.count() == 0
    assert page.index('id="ligne-2"') < page.index("Précisez la démarche") < page.index("Tout enregistrer")
    assert "La durée ne peut pas dépasser 480 minutes (8 heures)." in page
    assert page.index('id="ligne-2"') < page.index("480 minutes")


def test_ajouter_une_ligne_garde_ce_qui_est_saisi_sans_rien_enregistrer(client, contexte):
    permanence, _ = contexte
    url = reverse("permanences:saisie_groupee", args=[permanence.pk])
    donnees = {
        **gestion(1),
        **ligne(0, duree_minutes="35", tranche_age="non_communique", genre="non_communique"),
        "ajouter": "1",
    }
    page = client.post(url, donnees).content.decode()
    assert 'id="ligne-2"' in page and 'value="35"' in page
    assert "Précisez" not in page and Passage.objects.count() == 0


def test_rien_de_rempli_rien_d_enregistre(client, contexte):
    permanence, _ = contexte
    url = reverse("permanences:saisie_groupee", args=[permanence.pk])
    reponse = client.post(
        url, {**gestion(1), **ligne(0, tranche_age="non_communique", genre="non_communique")}, follow=True
    )
    assert "Aucune ligne remplie : rien n'a été enregistré." in html.unescape(reponse.content.decode())


def test_une_arrivee_d_une_autre_permanence_est_refusee(client, contexte):
    permanence, _ = contexte
    autre = ArriveeFactory(
        permanence=PermanenceFactory(
            lieu=permanence.lieu,
            date=permanence.date,
            heure_debut=datetime.time(14),
            heure_fin=datetime.time(17),
        )
    )
    url = reverse("permanences:saisie_groupee", args=[permanence.pk])
    donnees = {
        **gestion(1),
        **ligne(
            0,
            arrivee=autre.pk,
            demarche=demarche("caf").pk,
            tranche_age="40_59",
            genre="feminin",
            **PREFECTURE,
        ),
    }
    page = html.unescape(client.post(url, donnees).content.decode())
    assert "Cette arrivée n'est plus en attente de saisie" in page and Passage.objects.count() == 0


@pytest.mark.parametrize("total", ["", "abc", "-1", "0", "99999", "1e9", "2", "\x00", "١"])
@pytest.mark.parametrize("ajouter", [False, True])
def test_formulaire_de_gestion_hostile(client, contexte, total, ajouter):
    """Nombre de lignes absent, négatif, énorme ou illisible : jamais d'erreur 500, rien d'écrit."""
    permanence, _ = contexte
    url = reverse("permanences:saisie_groupee", args=[permanence.pk])
    donnees = {"form-TOTAL_FORMS": total, "form-INITIAL_FORMS": "0", **ligne(0, duree_minutes="=1+1")}
    if ajouter:
        donnees["ajouter"] = "1"
    reponse = client.post(url, donnees)
    assert reponse.status_code in (200, 400)
    assert Passage.objects.count() == 0
