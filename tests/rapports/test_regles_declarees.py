"""Les règles de comparaison lisent la déclaration de chaque indicateur (rapports.definitions), pas la forme du
chemin (#32) : chaque chemin du Bilan JSON a sa déclaration, et le périmètre des chiffres déclarés est comparé
indicateur par indicateur."""

from decimal import Decimal

import pytest

from rapports.bilan import SECTIONS, bilan_json
from rapports.comparaison import est_une_part
from rapports.definitions import DEFINITIONS, definition_de, est_le_noeud_de
from rapports.models import ChiffreExterne
from tests.rapports.jeu_de_donnees import construire


def _noeuds(noeud, chemin):
    """(chemin, nœud) de chaque nœud sous une section : tables, lignes et feuilles."""
    for cle, valeur in noeud.items():
        yield (*chemin, cle), valeur
        if isinstance(valeur, dict) and "valeur" not in valeur:
            yield from _noeuds(valeur, (*chemin, cle))


@pytest.mark.django_db
def test_chaque_chemin_du_bilan_json_a_sa_declaration():
    construire()
    bilan = bilan_json(2023)
    feuilles = 0
    for section in SECTIONS:
        for chemin, noeud in _noeuds(bilan[section], (section,)):
            definition = definition_de(chemin)
            assert definition is not None, chemin
            parent = definition_de(chemin[:-1])
            if est_le_noeud_de(definition, chemin):
                assert len(chemin) == 2, chemin
            elif parent is not None and parent.colonnes and not est_le_noeud_de(parent, chemin[:-1]):
                assert definition.cle == f"{section}.{chemin[-1]}", chemin  # colonne d'une ligne de lieu
            else:
                assert definition.table and est_le_noeud_de(definition, chemin[:-1]), (
                    chemin
                )  # entrée de table
            if isinstance(noeud, dict) and "valeur" in noeud:
                feuilles += 1
                assert ("evolution_points" in noeud) == est_une_part(definition), chemin
                # La nature déclarée (qui fait compter l'évolution en points) suit le nom du contrat (« _pct »).
                assert est_une_part(definition) == definition.cle.endswith("_pct"), chemin
    assert feuilles > len(DEFINITIONS)  # les entrées des tables et les lignes des lieux ont été parcourues
    assert {d.cle for d in DEFINITIONS.values()} == set(DEFINITIONS)


def test_un_chemin_hors_declaration_n_a_pas_de_regle():
    assert definition_de(("permanences",)) is None
    assert definition_de(("permanences", "inconnu")) is None
    assert definition_de(("permanences", "usagers_recus", "x", "y")) is None  # pas une table à colonnes
    assert definition_de(("permanences", "par_lieu", "Mairie", "refus")) is DEFINITIONS["permanences.refus"]


def _declarer(annee, **chiffres):
    for indicateur, valeur in chiffres.items():
        ChiffreExterne.objects.create(
            annee=annee, indicateur=indicateur.replace("__", "."), valeur=Decimal(valeur), source="Tableur"
        )


@pytest.mark.django_db
def test_deux_annees_avec_des_chiffres_declares_differents_ne_se_comparent_pas():
    _declarer(2022, permanences__usagers_recus=1000, dispositif__personnes_recues_externes=300)
    _declarer(2023, permanences__usagers_recus=1100)
    bilan = bilan_json(2023)
    usagers = bilan["permanences"]["usagers_recus"]
    assert (usagers["valeur"], usagers["precedent"], usagers["evolution_pct"]) == (1100, 1000, 10.0)
    assert "comparabilite" not in usagers  # le même chiffre déclaré les deux années : même périmètre
    recues = bilan["dispositif"]["personnes_recues"]
    assert (recues["valeur"], recues["precedent"]) == (1100, 1300)
    assert recues["evolution_pct"] is None
    assert recues["comparabilite"].startswith("Chiffres déclarés différents en 2023 (« Usagers reçus »)")
    assert "en 2022 (« Usagers reçus, personnes reçues déclarées (ERE…) »)" in recues["comparabilite"]
