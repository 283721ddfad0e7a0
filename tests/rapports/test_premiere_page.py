"""#29, point 6 : la première page dit l'année — une phrase tirée des données (les trois évolutions les plus nettes,
comparables et au-delà de leur seuil ; ce qui ne se compare pas, en mots simples), puis les chiffres clés, chacun
avec son évolution ou sa raison en une ligne (la raison en note, pas dans la tuile) ; une durée moyenne avec la
plus longue ; jamais deux tuiles identiques ; « dont … déclarées » sous le total dont il fait partie."""

import datetime
import html
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse

from rapports import phrases
from rapports.formats import minutes_fr
from rapports.models import ChiffreExterne
from rapports.suivi import COMPLET, NON_SUIVI, EtatSuivi
from tests.rapports.jeu_de_donnees import attendu, construire

F = "\u202f"  # fine insécable devant % et pts


def f(valeur, precedent, evolution=None, **autres):
    return {"valeur": valeur, "precedent": precedent, "evolution_pct": evolution, **autres}


def _annee(libelle, refus, declares=()):
    return SimpleNamespace(
        libelle=libelle,
        libelle_en=f"en {libelle}",
        etats={"refus": EtatSuivi("refus", refus, datetime.date(2023, 1, 1))},
        declares=set(declares),
    )


COURANT = _annee("2023", COMPLET, {"dispositif.personnes_recues_externes"})
PRECEDENT = _annee("2022", NON_SUIVI)


def _indicateurs(**permanences):
    return {
        "dispositif": {
            "personnes_recues": f(10613, 6747, None, comparabilite="périmètres différents"),
            "personnes_recues_hors_declares": f(6462, 6747, -4.22),
            "personnes_recues_externes": f(4151, None),
        },
        "permanences": {
            "usagers_recus": f(5541, 5941, -6.73),
            "permanences_tenues": f(430, 600, -28.33),
            "moyenne_usagers_par_permanence": f(12.89, 9.9, 30.2),
            "taux_sans_reponse_pct": f(21.8, None, None, evolution_points=None, comparabilite="refus"),
            "duree_moyenne_minutes": f(21, 21.2, -0.94),  # sous le seuil de 2 %
            **permanences,
        },
        "rendez_vous": {"realises": f(400, 330, 21.21)},
        "formations": {"taux_annulation_pct": f(24.6, 50.0, None, evolution_points=-25.4)},
    }


def test_la_phrase_cite_les_trois_evolutions_les_plus_nettes_en_seuils_et_ce_qui_ne_se_compare_pas():
    """−25,4 points (25 seuils d'un point) passe devant +30,2 % (15 seuils de 2 %) : les évolutions se rangent
    en nombre de seuils, pas en valeur brute ; le total non comparable n'est pas une évolution, −0,9 % non plus."""
    assert phrases.a_la_une(_indicateurs(), COURANT, PRECEDENT) == (
        "En 2023, 10\u202f613 personnes reçues dans le dispositif, dont 4\u202f151 déclarées par d'autres structures. "
        f"Les évolutions les plus nettes depuis 2022 : taux d'annulation en baisse (−25,4{F}pts), usagers reçus "
        f"en moyenne par permanence en hausse (+30,2{F}%) et permanences tenues en baisse (−28,3{F}%). Sans "
        "comparaison possible avec 2022 : personnes reçues dans le dispositif (chiffre déclaré en 2023 seulement ; "
        f"à périmètre égal : −4,2{F}%) et part sans réponse sur place (refus pointés à l'accueil depuis le "
        "01/01/2023)."
    )


def test_une_annee_sans_evolution_nette_le_dit():
    calme = {
        "dispositif": {
            "personnes_recues": f(100, 99, 1.01),
            "personnes_recues_hors_declares": f(100, 99, 1.01),
            "personnes_recues_externes": f(None, None),
        },
        "permanences": {"usagers_recus": f(100, 99, 1.01)},
    }
    sans_declare = _annee("2025", COMPLET)
    assert phrases.a_la_une(calme, sans_declare, _annee("2024", COMPLET)) == (
        "En 2025, 100 personnes reçues dans le dispositif. Aucun chiffre clé n'évolue au-delà de son seuil depuis "
        "2024 (2\u202f%, 1 point pour une part)."
    )


@pytest.fixture
def jeu(db):
    return construire()


def _page(client, coordination, annee=2023):
    client.force_login(coordination)
    return html.unescape(client.get(reverse("rapports:bilan", args=[annee])).content.decode())


def _bloc(page, debut, fin):
    return page[page.index(f'id="{debut}"') : page.index(f'id="{fin}"')]


def _tuiles(bloc):
    return re.findall(r'<div class="chiffre">(.*?)</div>', bloc, re.S)


def test_les_raisons_des_chiffres_cles_sont_en_note_et_la_duree_porte_son_maximum(jeu, client, coordination):
    _, donnees, *_ = jeu
    ChiffreExterne.objects.create(
        annee=2023, indicateur="dispositif.personnes_recues_externes", valeur=Decimal(4151), source="ERE"
    )
    page = _page(client, coordination)
    bloc = _bloc(page, "section-chiffres_cles", "section-equipe")
    assert '<p class="a-la-une">En 2023, ' in bloc
    tuiles = _tuiles(bloc)
    total = next(t for t in tuiles if "personnes reçues dans le dispositif" in t)
    # Dans la tuile : l'évolution à périmètre égal et un renvoi ; la raison est dans la note sous la grille.
    assert "à périmètre égal<sup>1</sup>" in total and "chiffre déclaré" not in total and "ERE" not in total
    notes = re.search(r'<ol class="notes petit">(.*?)</ol>', bloc, re.S).group(1)
    assert "2023 compte des personnes reçues déclarées par d'autres structures (ERE…), pas 2022" in notes
    maximum = attendu(donnees[2023])["permanences"]["duree_max_minutes"]
    duree = next(t for t in tuiles if "en moyenne par accompagnement" in t)
    assert f"en moyenne par accompagnement, jusqu'à {minutes_fr(maximum)}" in duree


@pytest.mark.parametrize("declare", [None, 0, 4151])
def test_jamais_deux_tuiles_identiques_et_dont_sous_son_total(jeu, client, coordination, declare):
    """Sans chiffre déclaré, ou déclaré à 0, les deux totaux du dispositif sont le même chiffre : une seule tuile.
    La ligne « dont … déclarées » est juste sous « Personnes reçues dans le dispositif », en retrait."""
    if declare is not None:
        ChiffreExterne.objects.create(
            annee=2023,
            indicateur="dispositif.personnes_recues_externes",
            valeur=Decimal(declare),
            source="ERE",
        )
    page = _page(client, coordination)
    for debut, fin in (
        ("section-chiffres_cles", "section-equipe"),
        ("section-a_retenir", "section-methodologie"),
    ):
        valeurs = [
            re.search(r'<p class="chiffre-valeur">(.*?)</p>', t).group(1)
            for t in _tuiles(_bloc(page, debut, fin))
        ]
        assert len(valeurs) == len(set(valeurs)), (debut, valeurs)
    a_retenir = _bloc(page, "section-a_retenir", "section-methodologie")
    assert len(_tuiles(a_retenir)) == (2 if declare else 1)
    if declare:
        lignes = re.findall(r'<tr( class="dont")?>\s*<th scope="row">(.*?)</th>', a_retenir)
        assert lignes[:3] == [
            ("", "Personnes reçues dans le dispositif"),
            (' class="dont"', "dont personnes reçues déclarées (ERE…)"),
            ("", "Personnes reçues, enregistrements seuls"),
        ]
