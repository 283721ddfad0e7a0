"""Les phrases générées du Bilan, mot pour mot, et la page des chiffres clés choisis dans definitions.py."""

import html
import re
from types import SimpleNamespace

import pytest
from django.urls import reverse

from rapports import phrases
from rapports.bilan import bilan_json
from rapports.definitions import definition_de
from rapports.formats import valeur_fr
from rapports.premiere_page import CHIFFRES_CLES
from rapports.suivi import COMPLET, NON_SUIVI, EtatSuivi
from tests.rapports.jeu_de_donnees import construire


def _annee(libelle, refus=COMPLET):
    return SimpleNamespace(
        libelle=libelle, libelle_en=f"en {libelle}", etats={"refus": EtatSuivi("refus", refus, None)}
    )


def _permanences(usagers, tenues, moyenne, **refus):
    return {
        "permanences": {
            "usagers_recus": usagers,
            "permanences_tenues": tenues,
            "moyenne_usagers_par_permanence": moyenne,
            **refus,
        }
    }


def f(valeur, precedent, evolution=None, **autres):
    return {"valeur": valeur, "precedent": precedent, "evolution_pct": evolution, **autres}


@pytest.mark.parametrize(
    ("indicateurs", "attendu"),
    [
        (  # une hausse
            _permanences(f(6000, 5000, 20.0), f(400, 400, 0.0), f(15.0, 12.5, 20.0)),
            "En 2024, 6\u202f000 usagers reçus sur 400 permanences tenues, soit 15,0 personnes en moyenne par "
            "permanence. Par rapport à 2023, le nombre d'usagers reçus : +20,0\u202f% ; le nombre de permanences "
            "tenues : stable ; la moyenne par permanence : +2,5 personnes.",
        ),
        (  # une baisse
            _permanences(f(5541, 5941, -6.73), f(430, 600, -28.33), f(12.89, 9.9, 30.2)),
            "En 2024, 5\u202f541 usagers reçus sur 430 permanences tenues, soit 12,9 personnes en moyenne par "
            "permanence. Par rapport à 2023, le nombre d'usagers reçus : −6,7\u202f% ; le nombre de permanences "
            "tenues : −28,3\u202f% ; la moyenne par permanence : +3,0 personnes.",
        ),
        (  # rien d'évolué
            _permanences(f(100, 100, 0.0), f(10, 10, 0.0), f(10.0, 10.0, 0.0)),
            "En 2024, 100 usagers reçus sur 10 permanences tenues, soit 10,0 personnes en moyenne par permanence. "
            "Par rapport à 2023, le nombre d'usagers reçus : stable ; le nombre de permanences tenues : stable ; "
            "la moyenne par permanence : stable.",
        ),
        (  # non comparable : rien sur l'évolution
            _permanences(
                f(6000, 5000, None, comparabilite="x"),
                f(400, 400, None, comparabilite="x"),
                f(15.0, 12.5, None, comparabilite="x"),
            ),
            "En 2024, 6\u202f000 usagers reçus sur 400 permanences tenues, soit 15,0 personnes en moyenne par "
            "permanence.",
        ),
        (  # inconnue : pas de phrase
            _permanences(f(None, 5000), f(None, 400), f(None, 12.5)),
            "",
        ),
    ],
)
def test_phrase_des_permanences_mot_pour_mot(indicateurs, attendu):
    assert phrases.permanences(indicateurs, _annee("2024"), _annee("2023")) == attendu


def test_phrase_des_refus_mot_pour_mot():
    suivis = _permanences(
        f(1, 1),
        f(1, 1),
        f(1, 1),
        refus=f(1545, 1200, 28.75),
        taux_sans_reponse_pct=f(21.8, 18.3, None, evolution_points=3.5),
    )
    assert phrases.refus(suivis, _annee("2024"), _annee("2023")) == (
        "1\u202f545 personnes venues n'ont pas pu être reçues : 21,8\u202f% des personnes en demande sont restées "
        "sans réponse sur place. Par rapport à 2023, la part sans réponse : +3,5\u202fpts."
    )
    non_suivis = _permanences(
        f(1, 1),
        f(1, 1),
        f(1, 1),
        refus=f(1545, None, comparabilite="x"),
        taux_sans_reponse_pct=f(21.8, None, None, evolution_points=None, comparabilite="x"),
    )
    assert phrases.refus(non_suivis, _annee("2024"), _annee("2023", NON_SUIVI)) == (
        "1\u202f545 personnes venues n'ont pas pu être reçues : 21,8\u202f% des personnes en demande sont restées "
        "sans réponse sur place. Les refus n'étaient pas encore pointés en 2023 : pas de comparaison possible."
    )
    inconnus = _permanences(
        f(1, 1), f(1, 1), f(1, 1), refus=f(None, None), taux_sans_reponse_pct=f(None, None)
    )
    assert phrases.refus(inconnus, _annee("2024", NON_SUIVI), _annee("2023", NON_SUIVI)) == (
        "Les refus n'étaient pas pointés par l'accueil en 2024 : la part sans réponse sur place n'est pas connue."
    )


def test_phrase_par_lieu_de_la_plus_petite_a_la_plus_grande_hausse():
    ligne = lambda v, p: {"moyenne_usagers_par_permanence": f(v, p)}  # noqa: E731
    indicateurs = {
        "permanences": {"par_lieu": {"A": ligne(11.6, 10.4), "B": ligne(14.2, 9.6), "C": ligne(3, None)}}
    }
    assert phrases.par_lieu(indicateurs, _annee("2023")) == (
        "Selon les lieux, de +1,2 à +4,6 personnes en moyenne par permanence par rapport à 2023."
    )


@pytest.fixture
def jeu(db):
    return construire()


def test_la_page_des_chiffres_cles_montre_les_indicateurs_choisis(jeu, client, coordination, monkeypatch):
    client.force_login(coordination)
    bilan = bilan_json(2023)

    def chiffres_de_la_page():
        page = html.unescape(client.get(reverse("rapports:bilan", args=[2023])).content.decode())
        bloc = page[page.index('id="section-chiffres_cles"') : page.index('id="section-equipe"')]
        return bloc

    bloc = chiffres_de_la_page()
    for chemin, mots in CHIFFRES_CLES:
        feuille = bilan
        for cle in chemin.split("."):
            feuille = feuille[cle]
        attendu = valeur_fr(feuille["valeur"], definition_de(tuple(chemin.split("."))).nature)
        # Une durée moyenne porte la plus longue : « en moyenne par accompagnement, jusqu'à 2 h 00 ».
        assert re.search(
            re.escape(f'<p class="chiffre-valeur">{attendu}</p>\n  <p class="chiffre-mots">{mots}')
            + r"(, jusqu'à [^<]+)?</p>",
            bloc,
        ), chemin
    monkeypatch.setattr("rapports.lignes.CHIFFRES_CLES", [("formations.themes", "thématiques de formation")])
    bloc = chiffres_de_la_page()
    assert bloc.count('class="chiffre"') == 1 and "thématiques de formation" in bloc
