import os
import subprocess
import sys

import pytest
from django.conf import settings

RACINE = settings.BASE_DIR
CLE_SURE = "k7Qe2-Vb9LsX_3mWn8RzT0yHc4JdGu6PaFq1NoEiZ5xBtYlKvMwSrA"  # 54 caractères variés


def _demarrer_production(**env):
    environnement = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"}}
    environnement.update(env, DJANGO_SETTINGS_MODULE="inclusion.settings.production")
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)",
        ],
        cwd=RACINE,
        env=environnement,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuse_de_demarrer_sans_secret_key():
    resultat = _demarrer_production(ALLOWED_HOSTS="exemple.fr")
    assert resultat.returncode != 0
    assert "SECRET_KEY doit être définie" in resultat.stderr


def test_production_refuse_debug_active():
    resultat = _demarrer_production(SECRET_KEY=CLE_SURE, DEBUG="true", ALLOWED_HOSTS="exemple.fr")
    assert resultat.returncode != 0
    assert "DEBUG ne doit pas être activé" in resultat.stderr


def test_production_demarre_avec_un_environnement_sur():
    resultat = _demarrer_production(SECRET_KEY=CLE_SURE, ALLOWED_HOSTS="exemple.fr")
    assert resultat.returncode == 0, resultat.stderr
    assert resultat.stdout.strip() == "False"


@pytest.mark.parametrize("cle", ["x", "x" * 60, "ab" * 30, "django-insecure-" + CLE_SURE])
def test_production_refuse_une_secret_key_faible(cle):
    """#19, point 11 : « SECRET_KEY=x » démarrait avec un simple avertissement."""
    resultat = _demarrer_production(SECRET_KEY=cle, ALLOWED_HOSTS="exemple.fr")
    assert resultat.returncode != 0
    assert "SECRET_KEY trop faible" in resultat.stderr


def test_reglages_francais_et_fuseau():
    assert settings.LANGUAGE_CODE == "fr-fr"
    assert settings.TIME_ZONE == "Europe/Paris"
    assert settings.USE_TZ is True
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE <= 10 * 3600


@pytest.mark.parametrize("url", ["sqlite:///tmp/x.sqlite3", "postgres://u@h:5432/base"])
def test_database_url_lue_dans_l_environnement(url):
    resultat = subprocess.run(
        [
            sys.executable,
            "-c",
            "from inclusion.settings import base; print(base.DATABASES['default']['ENGINE'])",
        ],
        cwd=RACINE,
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=60,
    )
    attendu = "sqlite3" if url.startswith("sqlite") else "postgresql"
    assert resultat.stdout.strip().endswith(attendu)
