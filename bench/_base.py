"""Outils communs aux scripts de mesure : base PostgreSQL dédiée, créée puis supprimée."""

import hashlib
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


def _empreinte_des_migrations():
    """Change dès qu'une migration du projet est ajoutée ou modifiée."""
    h = hashlib.sha256()
    for chemin in sorted(RACINE.glob("*/migrations/*.py")):
        h.update(str(chemin.relative_to(RACINE)).encode())
        h.update(chemin.read_bytes())
    return h.hexdigest()[:12]


def _copie_du_modele_migre(cx, nom):
    """Crée `nom` en copie (CREATE DATABASE … TEMPLATE : une copie de fichiers, quand une migration complète prend
    des dizaines de secondes) d'un modèle migré une fois, nommé d'après l'empreinte des migrations et refait quand
    elles changent. Un verrou consultatif sérialise le tout entre scripts lancés en même temps."""
    modele = f"inclusion_bench_modele_{_empreinte_des_migrations()}"
    cx.execute("SELECT pg_advisory_lock(27270027)")
    try:
        if not cx.execute("SELECT 1 FROM pg_database WHERE datname = %s", [modele]).fetchone():
            anciens = cx.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s", [r"inclusion\_bench\_modele\_%"]
            ).fetchall()
            for (ancien,) in anciens:
                cx.execute(f'DROP DATABASE IF EXISTS "{ancien}" WITH (FORCE)')
            provisoire = f"{modele}_en_cours"
            cx.execute(f'DROP DATABASE IF EXISTS "{provisoire}" WITH (FORCE)')
            cx.execute(f'CREATE DATABASE "{provisoire}"')
            env = {**os.environ, "DATABASE_URL": f"{SERVEUR}/{provisoire}"}
            env["DJANGO_SETTINGS_MODULE"] = "inclusion.settings.test"
            subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=RACINE, env=env, check=True)
            cx.execute(f'ALTER DATABASE "{provisoire}" RENAME TO "{modele}"')
        cx.execute(f'CREATE DATABASE "{nom}" TEMPLATE "{modele}"')
    finally:
        cx.execute("SELECT pg_advisory_unlock(27270027)")


@contextmanager
def base_temporaire(nom, *, migree=False):
    """Crée la base `nom` (supprimée à la fin) et renvoie son DATABASE_URL ; `migree` : toutes les migrations
    déjà appliquées (copie du modèle migré)."""
    s_assurer_de_postgresql()
    with psycopg.connect(f"{SERVEUR}/postgres", autocommit=True) as cx:
        cx.execute(f'DROP DATABASE IF EXISTS "{nom}" WITH (FORCE)')
        if migree:
            _copie_du_modele_migre(cx, nom)
        else:
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
