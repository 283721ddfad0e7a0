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


def test_un_nom_qui_ne_differe_que_par_ses_espaces_retrouve_le_lieu_a_l_import(db, tmp_path):
    """L'index de l'import compare les noms comme ils sont rangés : « ESC  Maurepas » (deux espaces) retrouve
    « ESC Maurepas » au lieu de tomber sur la règle du nom unique (IntegrityError avant)."""
    from echanges.importeur import importer
    from echanges.sources import SourceFichiers
    from inclusion.models import Lieu

    creer_lieu(nom="ESC Maurepas")
    (tmp_path / "lieux.csv").write_text(
        "nom,adresse\r\nESC  Maurepas,x\r\nESC Nouveau,y\r\nESC   Nouveau ,z\r\n"
    )
    importer(SourceFichiers.dossier(tmp_path))
    assert sorted(Lieu.objects.values_list("nom", flat=True)) == ["ESC Maurepas", "ESC Nouveau"]


def test_un_nom_qui_ne_differe_que_par_ses_espaces_est_un_homonyme_dans_l_annuaire(db):
    from echanges.data_inclusion import importer_annuaire
    from inclusion.services import creer_structure
    from tests.echanges.test_annuaire_national import _fichier, _structure

    creer_structure(nom="France Services Maurepas")
    plan = importer_annuaire(_fichier(_structure(2, "France  Services Maurepas")), essai=True)
    assert [p["structure"] for p in plan["propositions"]] == ["France Services Maurepas"]


def test_un_theme_saisi_avec_des_espaces_en_trop_est_refuse_comme_doublon(db):
    from formations.forms import ThemeForm
    from formations.services import creer_theme

    creer_theme(nom="Outils collaboratifs")
    formulaire = ThemeForm({"nom": "Outils  collaboratifs", "actif": "on"})
    assert not formulaire.is_valid() and "Un thème porte déjà ce nom." in str(formulaire.errors)
