"""Le verrou (requirements*.txt) dit la même chose que pyproject.toml, et le pip de `python3 -m venv` le lit (#27).

Une dépendance ajoutée à pyproject.toml sans `make lock`, une borne relevée sans recalculer le verrou, ou un extra
retiré du verrou (le pip 23 de Python 3.11 irait alors chercher la version du jour) font échouer ce test.
"""

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

RACINE = Path(__file__).resolve().parent.parent
PROJET = tomllib.loads((RACINE / "pyproject.toml").read_text())["project"]


def epingles(fichier):
    """{nom canonique: (version, extras, nombre d'empreintes)} d'un fichier produit par pip-compile."""
    texte = (RACINE / fichier).read_text()
    resultat = {}
    for bloc in re.split(r"\n(?=[A-Za-z0-9])", texte):
        entete = bloc.split(" \\", 1)[0].strip()
        if not entete or entete.startswith("#"):
            continue
        exigence = Requirement(entete)
        (specificateur,) = exigence.specifier
        assert specificateur.operator == "==", f"{fichier} : {entete} n'est pas épinglé avec =="
        resultat[canonicalize_name(exigence.name)] = (
            specificateur.version,
            exigence.extras,
            bloc.count("--hash=sha256:"),
        )
    return resultat


@pytest.mark.parametrize(
    "fichier,dependances",
    [
        ("requirements.txt", PROJET["dependencies"]),
        ("requirements-dev.txt", PROJET["dependencies"] + PROJET["optional-dependencies"]["dev"]),
    ],
)
def test_chaque_dependance_du_projet_est_epinglee_dans_ses_bornes_avec_ses_extras(fichier, dependances):
    verrou = epingles(fichier)
    for texte in dependances:
        exigence = Requirement(texte)
        nom = canonicalize_name(exigence.name)
        assert nom in verrou, f"{exigence.name} manque à {fichier} : lancer `make lock`"
        version, extras, empreintes = verrou[nom]
        assert exigence.specifier.contains(version, prereleases=True), (
            f"{fichier} épingle {exigence.name}=={version}, hors de « {exigence.specifier} » : `make lock`"
        )
        assert set(exigence.extras) <= set(extras), f"{fichier} : extras de {exigence.name} perdus"
        assert empreintes >= 1


def test_le_verrou_de_developpement_contient_celui_de_production_aux_memes_versions():
    production, developpement = epingles("requirements.txt"), epingles("requirements-dev.txt")
    for nom, (version, extras, _) in production.items():
        assert developpement[nom][:2] == (version, extras), nom


def test_les_extras_que_demandent_les_dependances_sont_dans_le_verrou():
    """weasyprint demande fonttools[woff] : épinglé sans son extra, pip 23 en cherche la dernière version."""
    from importlib.metadata import distributions

    verrou = epingles("requirements-dev.txt")
    for distribution in distributions():
        nom = canonicalize_name(distribution.metadata["Name"])
        if nom not in verrou:
            continue
        for texte in distribution.requires or []:
            exigence = Requirement(texte)
            if exigence.marker is not None and not exigence.marker.evaluate({"extra": ""}):
                continue  # dépendance d'un extra que le projet ne demande pas
            cible = canonicalize_name(exigence.name)
            if exigence.extras and cible in verrou:
                assert set(exigence.extras) <= set(verrou[cible][1]), (
                    f"{distribution.metadata['Name']} demande {exigence}, le verrou épingle {cible} sans "
                    "cet extra : lancer `make lock` (pip-compile --no-strip-extras)"
                )
