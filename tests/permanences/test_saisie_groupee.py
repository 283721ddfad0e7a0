"""Saisie groupée de fin de permanence : une grille, tout ou rien, les arrivées proposées, comptée dans le Bilan
comme une saisie une à une."""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from permanences.models import Passage
from rapports.indicateurs.permanences import indicateurs_permanences
from tests.inclusion.factories import LieuFactory, demarche, utilisateur
from tests.permanences.factories import ArriveeFactory, PassageFactory, PermanenceFactory

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


PREFECTURE = {"duree_minutes": "20", "autonomie": "accompagne"}


def nature(code):
    """La démarche d'une ligne (type de demande et démarche en un choix) ; « technique » sans démarche."""
    return "technique" if code == "technique" else str(demarche(code).pk)


def test_les_arrivees_sans_passage_sont_proposees_et_enregistrees_avec_leur_attente(client, contexte):
    permanence, mediateur = contexte
    arrivee = ArriveeFactory(
        permanence=permanence, horodatage=timezone.now() - datetime.timedelta(minutes=30), genre="feminin"
    )
    url = reverse("permanences:saisie_groupee", args=[permanence.pk])
    page = client.get(url).content.decode()
    assert f'name="form-0-arrivee" value="{arrivee.pk}"' in page
    assert "personne arrivée à" in page
    # Le genre noté à l'accueil est repris ; l'âge, non noté, n'est pas choisi d'avance.
    assert 'id="id_form-0-genre_0" value="feminin" checked' in page
    assert 'value="non_communique" checked' not in page
    donnees = {
        **gestion(3),
        **ligne(
            0,
            arrivee=arrivee.pk,
            nature=nature("prefecture_etrangers"),
            tranche_age="40_59",
            genre="feminin",
            **PREFECTURE,
        ),
        **ligne(
            1,
            nature="technique",
            duree_minutes_autre="35",
            autonomie="autonome",
            tranche_age="non_communique",
            genre="masculin",
        ),
        **ligne(2),  # laissée vide : ignorée
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
    assert (second.arrivee_id, second.type_demande, second.demarche, second.duree_minutes) == (
        None,
        "accompagnement_technique",
        None,
        35,  # tapée dans « Autre »
    )
    resultat = indicateurs_permanences(
        debut=permanence.date, fin=permanence.date + datetime.timedelta(days=1)
    )
    section, *_ = resultat
    assert section["usagers_recus"] == 2


def test_une_ligne_incomplete_n_enregistre_rien_et_dit_laquelle(client, contexte):
    permanence, _ = contexte
    url = reverse("permanences:saisie_groupee", args=[permanence.pk])
    complete = {"nature": nature("caf"), "tranche_age": "40_59", "genre": "feminin", **PREFECTURE}
    donnees = {
        **gestion(5),
        **ligne(0, **complete),
        **ligne(1, **complete),
        **ligne(2, **{**complete, "duree_minutes": ""}),  # la durée oubliée
        **ligne(3, **{**complete, "duree_minutes": "900", "genre": ""}),
    }
    reponse = client.post(url, donnees)
    page = html.unescape(reponse.content.decode())
    assert reponse.status_code == 400
    assert Passage.objects.count() == 0
    assert "Rien n’est enregistré" in page or "Rien n'est enregistré" in page
    assert (
        '2 lignes à compléter (<a href="#ligne-3" data-focus="id_form-2-duree_minutes">ligne 3 : durée</a> ; '
        '<a href="#ligne-4" data-focus="id_form-3-duree_minutes">ligne 4 : durée, genre</a>)'
    ) in page
    assert 'data-focus="id_form-2-duree_minutes"' in page.split('id="resume-erreurs"')[1].split(">")[0]
    # Chaque erreur est à côté de son champ, dans sa ligne ; ce qui est saisi reste choisi.
    assert page.index('id="ligne-3"') < page.index("Choisissez la durée.") < page.index('id="ligne-4"')
    assert (
        page.index('id="ligne-4"') < page.index("480 minutes (8 heures)") < page.index("Choisissez le genre")
    )
    assert 'id="id_form-2-autonomie_3" value="accompagne" checked' in page
    assert 'value="900"' in page  # la durée hors limites est gardée, à corriger


def test_une_seule_ligne_a_completer_le_dit_au_singulier(client, contexte):
    permanence, _ = contexte
    url = reverse("permanences:saisie_groupee", args=[permanence.pk])
    complete = {"nature": nature("caf"), "tranche_age": "40_59", "genre": "feminin", **PREFECTURE}
    donnees = {**gestion(3), **ligne(0, **complete), **ligne(2, **{**complete, "duree_minutes": ""})}
    page = html.unescape(client.post(url, donnees).content.decode())
    assert "Rien n'est enregistré :</strong> 1 ligne à compléter (" in page
    assert ">ligne 3 : durée</a>)" in page


def test_sans_profil_de_l_accueil_rien_n_est_choisi_d_avance(client, contexte):
    """Âge et genre : ni « Non communiqué » ni rien d'autre d'avance ; oubliés, ils sont demandés."""
    permanence, _ = contexte
    ArriveeFactory(permanence=permanence, horodatage=timezone.now() - datetime.timedelta(minutes=30))
    url = reverse("permanences:saisie_groupee", args=[permanence.pk])
    page = client.get(url).content.decode()
    assert " checked" not in page
    assert page.count('class="ligne-groupee') == 5 + 1  # 5 lignes (1 arrivée, 4 vides), plus le modèle
    donnees = {**gestion(1, 1), **ligne(0, arrivee="", nature="technique", **PREFECTURE)}
    page = html.unescape(client.post(url, donnees).content.decode())
    assert ">ligne 1 : âge, genre</a>" in page and Passage.objects.count() == 0


def test_les_durees_sont_dans_l_ordre_des_valeurs_la_plus_saisie_marquee(client, contexte):
    permanence, mediateur = contexte
    for duree in (45, 45, 90):
        PassageFactory(permanence=permanence, intervenant=mediateur.intervenant, duree_minutes=duree)
    page = client.get(reverse("permanences:saisie_groupee", args=[permanence.pk])).content.decode()
    ligne0 = page.split('id="ligne-1"')[1].split('id="ligne-2"')[0]
    principales, autres = ligne0.split("choix-duree")[1].split("</fieldset>")[0].split("<summary")
    motif = r'name="form-0-duree_minutes" id="[^"]+" value="(\d+)"'
    boutons, caches = ([int(v) for v in re.findall(motif, morceau)] for morceau in (principales, autres))
    # Les 5 boutons : les plus saisies (45, 90) puis les plus courantes (20, 30, 15), rangés par valeur ; les
    # autres durées derrière « Autre », par valeur aussi.
    assert (boutons, caches) == ([15, 20, 30, 45, 90], [5, 10, 60, 120])
    assert re.findall(r'class="btn btn-outline-primary frequente" for="([^"]+)"', ligne0) == [
        "id_form-0-duree_minutes_5"  # 45 minutes : la plus saisie
    ]


def test_ajouter_une_ligne_garde_ce_qui_est_saisi_sans_rien_enregistrer(client, contexte):
    permanence, _ = contexte
    url = reverse("permanences:saisie_groupee", args=[permanence.pk])
    donnees = {
        **gestion(1),
        **ligne(0, duree_minutes_autre="35"),
        "ajouter": "1",
    }
    page = client.post(url, donnees).content.decode()
    assert 'id="ligne-2"' in page and 'value="35"' in page
    assert "Précisez" not in page and Passage.objects.count() == 0


def test_rien_de_rempli_rien_d_enregistre(client, contexte):
    permanence, _ = contexte
    url = reverse("permanences:saisie_groupee", args=[permanence.pk])
    reponse = client.post(url, {**gestion(1), **ligne(0)}, follow=True)
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
            nature=nature("caf"),
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
