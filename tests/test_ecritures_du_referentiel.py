"""#32 point 3 : le référentiel (lieux, structures, quartiers, intervenants, thèmes, créneaux) est écrit par les
services de son application, depuis l'import, l'annuaire national et la démonstration. Le test parcourt tout le
code des applications (hors migrations) et y cherche chaque création directe d'une ligne de ces modèles."""

import ast

import pytest

from inclusion.services import creer_lieu, nom_propre
from tests.test_architecture import RACINE, _fichiers

MODELES = {"Lieu", "Structure", "Quartier", "Intervenant", "Theme", "Creneau"}
CREATIONS = {"create", "get_or_create", "update_or_create", "bulk_create"}
SERVICES = {"inclusion/services.py", "formations/services.py", "permanences/services.py"}


def creations_directes(source):
    """Les `Modele.objects.create(…)` (et get_or_create, update_or_create, bulk_create) d'un des MODELES."""
    for noeud in ast.walk(ast.parse(source)):
        if (
            isinstance(noeud, ast.Call)
            and isinstance(noeud.func, ast.Attribute)
            and noeud.func.attr in CREATIONS
            and isinstance(noeud.func.value, ast.Attribute)
            and noeud.func.value.attr == "objects"
            and isinstance(noeud.func.value.value, ast.Name)
            and noeud.func.value.value.id in MODELES
        ):
            yield noeud.lineno, noeud.func.value.value.id


def test_le_referentiel_n_est_cree_que_par_les_services():
    fautifs = [
        f"{chemin.relative_to(RACINE)}:{ligne} ({modele})"
        for chemin in _fichiers()
        if str(chemin.relative_to(RACINE)) not in SERVICES
        for ligne, modele in creations_directes(chemin.read_text())
    ]
    assert fautifs == []
    assert "echanges/enregistrements.py" in {str(c.relative_to(RACINE)) for c in _fichiers()}  # parcouru


def test_le_detecteur_voit_une_creation_directe():
    assert list(
        creations_directes("Lieu.objects.create(nom='x')\nx = Theme.objects.get_or_create(nom='y')")
    ) == [
        (1, "Lieu"),
        (2, "Theme"),
    ]
    assert list(creations_directes("Passage.objects.create()\ncreer_lieu(nom='x')")) == []


@pytest.mark.parametrize("saisi", ["ESC  Maurepas", " ESC Maurepas ", "ESC\tMaurepas"])
def test_un_nom_est_range_sans_espaces_en_trop(db, saisi):
    assert nom_propre(saisi) == "ESC Maurepas"
    assert creer_lieu(nom=saisi).nom == "ESC Maurepas"
