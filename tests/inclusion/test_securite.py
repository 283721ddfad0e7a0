import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from tests.inclusion.factories import utilisateur

RACINE = Path(settings.BASE_DIR)


def test_check_deploy_sans_avertissement():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "inclusion.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "inclusion.exemple.fr",
        "DATABASE_URL": "sqlite:///tmp/deploy.sqlite3",
    }
    env.pop("DEBUG", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # posé par les tests de navigateur, jamais en production
    resultat = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=RACINE,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert resultat.returncode == 0, resultat.stdout + resultat.stderr
    assert "System check identified no issues" in resultat.stdout


def test_en_tete_csp_sans_script_ni_style_en_ligne(client, db):
    client.force_login(utilisateur("accueil"))
    politique = client.get(reverse("permanences:accueil"))["Content-Security-Policy"]
    assert "script-src 'self'" in politique and "style-src 'self'" in politique
    assert "unsafe-inline" not in politique and "unsafe-eval" not in politique
    assert "img-src 'self' data:" in politique


def test_aucun_script_ni_style_en_ligne_dans_les_gabarits():
    fautifs = []
    for gabarit in (RACINE / "templates").rglob("*.html"):
        texte = gabarit.read_text()
        if gabarit.name in {"500.html"}:
            continue
        for script in re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", texte):
            if 'type="application/json"' not in script:
                fautifs.append((gabarit.name, "script en ligne"))
        if re.search(r"<style|\sstyle=\"|\son[a-z]+=\"", texte):
            fautifs.append((gabarit.name, "style ou gestionnaire en ligne"))
    assert not fautifs


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_verrouillage_apres_echecs_puis_deblocage(client, db):
    from axes.models import AccessAttempt
    from axes.utils import reset

    utilisateur("accueil", username="yasmine")
    for _ in range(3):
        client.post(reverse("login"), {"username": "yasmine", "password": "faux"})
    bloque = client.post(reverse("login"), {"username": "yasmine", "password": "mot-de-passe-de-test"})
    assert bloque.status_code == 429
    assert "Connexion temporairement bloquée" in bloque.content.decode()
    assert AccessAttempt.objects.filter(username="yasmine").exists()
    assert settings.AXES_COOLOFF_TIME is not None  # jamais définitif
    reset(username="yasmine")  # ce que fait la coordination depuis l'administration
    ok = client.post(reverse("login"), {"username": "yasmine", "password": "mot-de-passe-de-test"})
    assert ok.status_code == 302


def test_session_courte_sur_poste_partage():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_AGE <= 10 * 3600
    assert settings.SESSION_COOKIE_HTTPONLY


@pytest.mark.parametrize("mot_de_passe", ["demo", "1234567890", "motdepasse"])
def test_validateurs_de_mot_de_passe(mot_de_passe):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password(mot_de_passe)


def test_session_expiree_ou_inconnue_non_chargee(db):
    import datetime

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from inclusion.sessions import SessionStore

    session = SessionStore()
    session["_auth_user_id"] = "42"
    session.create()
    cle = session.session_key
    assert SessionStore(cle).load() == {"_auth_user_id": "42"}
    Session.objects.filter(pk=cle).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    expiree = SessionStore(cle)
    assert expiree.load() == {} and expiree.session_key is None
    assert SessionStore("inconnue" * 4).load() == {}


def test_deconnexion_invalide_la_session_cote_serveur(client, db):
    from django.urls import reverse

    from tests.inclusion.factories import utilisateur

    client.force_login(utilisateur("coordination"))
    cookie = client.cookies["sessionid"].value
    assert client.get(reverse("rapports:tableau_de_bord")).status_code == 200
    client.post(reverse("logout"))
    client.cookies["sessionid"] = cookie  # le cookie recopié avant la déconnexion ne sert plus à rien
    reponse = client.get(reverse("rapports:tableau_de_bord"))
    assert reponse.status_code == 302 and reponse["Location"].startswith(reverse("login"))
