"""Une figure, une seule mise en forme (#32) : l'étiquette d'une barre dit ce que dit la cellule du tableau,
arrondie par rapports.formats (au demi supérieur), jamais par le `round` de Python (arrondi au pair, et 53,55 est
53,549999… en binaire : « 53,5 % » dans le graphique, « 53,6 % » dans le tableau)."""

from rapports import graphiques
from rapports.definitions import COMPTE, PART
from rapports.formats import valeur_fr


def test_les_etiquettes_des_barres_sont_celles_des_tableaux():
    valeurs, precedent = (53.55, 46.45, 0.05), (50.05, 49.95, 0.0)
    graphique = graphiques.barres(
        "Parts", ["A", "B", "C"], list(valeurs), list(precedent), nature=PART, annees=("2025", "2024")
    )
    assert valeur_fr(53.55, PART).startswith("53,6")  # la règle des tableaux
    for v in valeurs:  # l'année précédente est un trait sans étiquette (#29, point 7)
        assert f">{valeur_fr(v, PART)}<" in graphique.svg, v


def test_les_etiquettes_des_nombres_sont_celles_des_tableaux():
    graphique = graphiques.barres("Nombres", ["A", "B"], [1234.5, 2.5], nature=COMPTE)
    for v in (1234.5, 2.5):
        assert f">{valeur_fr(v, COMPTE)}<" in graphique.svg, v
