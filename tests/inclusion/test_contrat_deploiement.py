"""#33, points 5 et 6 : le déploiement tel que le README l'écrit est sûr, et le tableau des réglages est complet."""

import ast
import base64
import os
import random
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from inclusion.settings.controles import faiblesse_de_la_cle, refus_des_reglages_de_developpement

RACINE = Path(settings.BASE_DIR)
README = (RACINE / "README.md").read_text()
CLE_SURE = "k7Qe2-Vb9LsX_3mWn8RzT0yHc4JdGu6PaFq1NoEiZ5xBtYlKvMwSrA"
# Ce que lisent les réglages de Django et de gunicorn, et le choix des réglages lui-même.
FICHIERS_DE_REGLAGES = [
    *sorted((RACINE / "inclusion" / "settings").glob("*.py")),
    RACINE / "inclusion" / "gunicorn.py",
]


def variables_lues(chemin):
    """Les noms de variables d'environnement que lit un fichier : os.environ.get("X"), os.environ["X"],
    os.getenv("X"), env_bool("X"), env_list("X")."""
    noms = set()
    for noeud in ast.walk(ast.parse(chemin.read_text())):
        if isinstance(noeud, ast.Call) and noeud.args and isinstance(noeud.args[0], ast.Constant):
            fonction = ast.unparse(noeud.func)
            if fonction in {"os.environ.get", "os.getenv", "env_bool", "env_list", "environ.get"}:
                noms.add(noeud.args[0].value)
        elif (
            isinstance(noeud, ast.Subscript)
            and ast.unparse(noeud.value) == "os.environ"
            and isinstance(noeud.slice, ast.Constant)
        ):
            noms.add(noeud.slice.value)
    return noms


def tableau_des_reglages():
    section = README.split("## Réglages (variables d'environnement)", 1)[1].split("\n## ", 1)[0]
    noms = set()
    for ligne in section.splitlines():
        if ligne.startswith("| `"):
            noms |= set(re.findall(r"`([A-Z][A-Z0-9_]+)`", ligne.split("|")[1]))
    return noms


def test_chaque_variable_lue_par_les_reglages_est_au_tableau_du_readme():
    lues = set().union(*(variables_lues(f) for f in FICHIERS_DE_REGLAGES))
    assert {
        "SECRET_KEY",
        "AXES_FAILURE_LIMIT",
        "GUNICORN_KEEPALIVE",
        "LOG_LEVEL",
    } <= lues  # le test sait lire
    manquantes = sorted(lues - tableau_des_reglages())
    assert manquantes == [], (
        f"variables lues par les réglages, absentes du tableau « Réglages » : {manquantes}"
    )


def test_le_fichier_d_exemple_choisit_la_production_et_ne_dit_que_des_reglages_connus():
    exemple = (RACINE / "deploiement" / "inclusion.env.exemple").read_text()
    valeurs = dict(
        ligne.split("=", 1) for ligne in exemple.splitlines() if ligne.strip() and not ligne.startswith("#")
    )
    assert valeurs["DJANGO_SETTINGS_MODULE"] == "inclusion.settings.production"
    assert set(valeurs) <= tableau_des_reglages()


def test_chaque_service_systemd_du_readme_choisit_la_production():
    services = [bloc for bloc in re.findall(r"```ini\n(.*?)```", README, re.S) if "ExecStart=" in bloc]
    assert len(services) >= 2  # le processus de fond et les tâches de la nuit
    for bloc in services:
        assert "Environment=DJANGO_SETTINGS_MODULE=inclusion.settings.production" in bloc, bloc
    assert "deploiement/inclusion.env.exemple" in README


def _lancer(commande, *, timeout=60, **env):
    environnement = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    environnement.update(env, DATABASE_URL="sqlite:///:memory:")
    return subprocess.run(
        [sys.executable, "manage.py", *commande],
        cwd=RACINE,
        env=environnement,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.mark.parametrize("commande", [["check"], ["db_worker", "--no-reload"], ["runserver", "--noreload"]])
def test_sans_reglages_explicites_une_machine_de_production_ne_demarre_pas_en_developpement(commande):
    """SECRET_KEY définie, DEBUG absent, DJANGO_SETTINGS_MODULE oublié : ni serveur, ni processus de fond."""
    try:
        resultat = _lancer(commande, timeout=30, SECRET_KEY=CLE_SURE)
    except subprocess.TimeoutExpired:
        pytest.fail(f"manage.py {' '.join(commande)} a démarré en réglages de développement")
    assert resultat.returncode != 0
    assert "DJANGO_SETTINGS_MODULE=inclusion.settings.production" in resultat.stderr
    assert "Traceback" not in resultat.stderr.split("ImproperlyConfigured")[-1]


def test_le_developpement_reste_le_defaut_sans_cle():
    resultat = _lancer(
        ["shell", "--no-imports", "-c", "from django.conf import settings; print(settings.DEBUG)"]
    )
    assert resultat.returncode == 0, resultat.stderr
    assert resultat.stdout.strip() == "True"


def test_refus_des_reglages_de_developpement():
    assert refus_des_reglages_de_developpement({}) is None
    assert refus_des_reglages_de_developpement({"SECRET_KEY": "x", "DEBUG": "1"}) is None
    assert refus_des_reglages_de_developpement({"SECRET_KEY": "x"})
    assert refus_des_reglages_de_developpement({"SECRET_KEY": "x", "DEBUG": "0"})


@pytest.mark.parametrize(
    "cle",
    [
        "abcde" * 10,
        "x" * 60,
        "k7Qe2-Vb9LsX_3mWn8RzT0yHc4JdGu6PaFq1NoEi",
        "A" * 6 + CLE_SURE[:44],
        "django-insecure-" + CLE_SURE,
    ],
)
def test_une_cle_courte_ou_peu_variee_est_refusee(cle):
    assert faiblesse_de_la_cle(cle)


def test_une_cle_generee_comme_le_dit_le_message_est_acceptee():
    # secrets.token_urlsafe(64) : 64 octets tirés au hasard, en base64 sûre pour les adresses. Mêmes clés ici, tirées
    # d'une graine fixe : tirées de os.urandom, une sur 1 800 environ a un caractère 9 fois sur 86 et le test
    # échouait au hasard (CI du 6 décembre 2026).
    tirage = random.Random(64)
    for _ in range(200):
        cle = base64.urlsafe_b64encode(tirage.randbytes(64)).rstrip(b"=").decode()
        assert len(cle) == len(secrets.token_urlsafe(64)) and faiblesse_de_la_cle(cle) is None
    assert faiblesse_de_la_cle(CLE_SURE) is None
    assert faiblesse_de_la_cle("A" * 5 + CLE_SURE[:45]) is None  # 5 sur 50 : un dixième tout juste


def test_la_production_refuse_abcde_repete_et_dit_comment_generer_une_cle():
    environnement = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    environnement.update(
        DJANGO_SETTINGS_MODULE="inclusion.settings.production", SECRET_KEY="abcde" * 10, ALLOWED_HOSTS="a.fr"
    )
    resultat = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=RACINE,
        env=environnement,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert resultat.returncode != 0
    assert "SECRET_KEY trop faible" in resultat.stderr
    assert "secrets.token_urlsafe(64)" in resultat.stderr
