"""Outils communs aux scripts de mesure : base PostgreSQL dédiée, créée puis supprimée."""

import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import psycopg

RACINE = Path(__file__).resolve().parent.parent
SERVEUR = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")


def s_assurer_de_postgresql():
    """Démarre PostgreSQL s'il ne répond pas (machines de développement et CI)."""
    try:
        psycopg.connect(f"{SERVEUR}/postgres", connect_timeout=3).close()
    except psycopg.OperationalError:
        version = sorted(os.listdir("/etc/postgresql"))[0]
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=True)


@contextmanager
def base_temporaire(nom):
    """Crée la base `nom` (supprimée à la fin) et renvoie son DATABASE_URL."""
    s_assurer_de_postgresql()
    with psycopg.connect(f"{SERVEUR}/postgres", autocommit=True) as cx:
        cx.execute(f'DROP DATABASE IF EXISTS "{nom}" WITH (FORCE)')
        cx.execute(f'CREATE DATABASE "{nom}"')
    try:
        yield f"{SERVEUR}/{nom}"
    finally:
        with psycopg.connect(f"{SERVEUR}/postgres", autocommit=True) as cx:
            cx.execute(f'DROP DATABASE IF EXISTS "{nom}" WITH (FORCE)')


def preparer_django(database_url, settings="inclusion.settings.test"):
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = settings
    sys.path.insert(0, str(RACINE))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def centile(valeurs, p):
    if not valeurs:
        return float("nan")
    valeurs = sorted(valeurs)
    k = min(len(valeurs) - 1, max(0, round(p / 100 * (len(valeurs) - 1))))
    return valeurs[k]
