"""#19, point 12 : les exports détaillés du tableau de bord ne désignent personne (k personnes par ligne au moins)."""

import datetime
import io

from django.urls import reverse
from openpyxl import load_workbook

from confidentialite.anonymat import REGROUPE, regrouper
from tests.inclusion.factories import LieuFactory
from tests.permanences.factories import PassageFactory, PermanenceFactory
from tests.taches import exporter, octets_de

COLONNES = ["semaine", "lieu", "age"]


def test_regrouper_generalise_jusqu_a_k_et_garde_le_total():
    comptes = {
        ("s1", "A", "18_24"): 7,
        ("s1", "A", "70_plus"): 1,
        ("s1", "B", "25_39"): 2,
        ("s2", "A", "40_59"): 1,
        ("s2", "B", "70_plus"): 1,
    }
    lignes = regrouper(comptes, COLONNES, ["age", "lieu", "semaine"], k=5)
    detaillees = [n for c, n in lignes if c != (REGROUPE, REGROUPE, REGROUPE)]
    assert detaillees and all(n >= 5 for n in detaillees)
    assert sum(n for _, n in lignes) == 12
    assert (("s1", "A", "18_24"), 7) in lignes  # assez nombreux : gardé tel quel
    assert lignes[-1] == ((REGROUPE, REGROUPE, REGROUPE), 5)  # le reste, sans détail, k personnes au moins


def test_un_groupe_de_k_personnes_exactement_est_garde_un_groupe_de_k_moins_un_est_regroupe():
    """La limite elle-même (#32) : k personnes suffisent (n < k est rare, pas n <= k)."""
    comptes = {("s1", "A", "18_24"): 5, ("s1", "B", "25_39"): 4, ("s2", "A", "40_59"): 1}
    lignes = regrouper(comptes, COLONNES, ["age", "lieu", "semaine"], k=5)
    assert lignes == [(("s1", "A", "18_24"), 5), ((REGROUPE, REGROUPE, REGROUPE), 5)]


def test_le_xlsx_du_tableau_de_bord_n_a_aucune_ligne_de_moins_de_k_personnes(client, coordination):
    """Avant : une ligne par passage, 77 % uniques sur (date, lieu, âge, genre, démarche) dans la démo."""
    lieu = LieuFactory(nom="ESC Test")
    jour = datetime.date(2024, 3, 4)
    permanences = [PermanenceFactory(lieu=lieu, date=jour + datetime.timedelta(days=i)) for i in range(3)]
    for i in range(23):
        PassageFactory(
            permanence=permanences[i % 3],
            tranche_age=["18_24", "70_plus"][i % 4 == 0],
            genre="feminin",
            quartier=None,
        )
    client.force_login(coordination)
    octets = octets_de(exporter(client, reverse("rapports:export_xlsx") + "?debut=2024-03-01&fin=2024-03-31"))
    classeur = load_workbook(io.BytesIO(octets))
    entetes, *lignes = list(classeur["Passages"].values)
    assert entetes[-1] == "nombre" and "date" not in entetes
    detaillees = [ligne for ligne in lignes if set(ligne[:-1]) != {REGROUPE}]
    assert detaillees and all(ligne[-1] >= 5 for ligne in detaillees)
    assert sum(ligne[-1] for ligne in lignes) == 23
    assert "aucune ligne ne compte moins de 5 personnes" in " ".join(
        r[0] for r in classeur["Lisez-moi"].values
    )
