"""#28, point 4 : la limite de l'API tient avec plusieurs processus (cache partagé en production, vérification de
déploiement, places prises atomiquement), le secret d'un jeton n'est jamais dans un cookie, et chaque point
d'entrée exige sa portée."""

import datetime
import importlib
import json
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from freezegun import freeze_time

from api.enums import PorteeApi
from api.jetons import attente_avant_requete, creer_jeton
from api.vues import api
from inclusion.verifications import cache_partage
from tests.securite.serveur_de_l_api import HEURE_GELEE
from tests.taches import environnement_de_la_base_de_test

# Chaque point d'entrée et la portée qu'il exige : un point d'entrée ajouté doit être déclaré ici.
PORTEES = {
    "/api/v1/bilan/{annee}": ("/api/v1/bilan/2023", PorteeApi.BILAN),
    "/api/v1/indicateurs": ("/api/v1/indicateurs?debut=2024-01-01&fin=2024-01-31", PorteeApi.INDICATEURS),
    "/api/v1/lieux": ("/api/v1/lieux", PorteeApi.LIEUX),
    "/api/v1/annuaire/structures": ("/api/v1/annuaire/structures", PorteeApi.ANNUAIRE),
    "/api/v1/annuaire/services": ("/api/v1/annuaire/services", PorteeApi.ANNUAIRE),
}


def _jeton(portees):
    return creer_jeton(nom="Essai", portees=portees, expire_le=timezone.now() + datetime.timedelta(days=30))


@pytest.mark.parametrize("chemin", sorted(PORTEES))
def test_chaque_point_d_entree_exige_sa_portee(client, db, chemin):
    assert set(api.get_openapi_schema(path_prefix="/api/v1/")["paths"]) == set(PORTEES)
    adresse, portee = PORTEES[chemin]
    _, sans = _jeton([p for p in PorteeApi.values if p != portee])
    _, avec = _jeton([portee])
    refus = client.get(adresse, headers={"Authorization": f"Bearer {sans}"})
    assert refus.status_code == 401 and "portée" in refus.json()["detail"]
    assert client.get(adresse, headers={"Authorization": f"Bearer {avec}"}).status_code in (200, 404)


@override_settings(
    INCLUSION={**__import__("django.conf").conf.settings.INCLUSION, "API_REQUETES_PAR_MINUTE": 3}
)
def test_la_limite_tient_quand_un_autre_processus_ecrase_le_compteur(db):
    """Avant : cache.incr (lire puis écrire dans la table de cache) ; deux processus simultanés comptaient une
    requête pour deux. Ici le compteur est remis à zéro comme par une écriture perdue : la limite tient."""
    cache.clear()
    jeton, _ = _jeton([PorteeApi.LIEUX])
    assert [attente_avant_requete(jeton) for _ in range(3)] == [0, 0, 0]
    minute = f"api:{jeton.empreinte[:24]}:{timezone.now():%Y%m%d%H%M}"
    cache.set(minute, 0)
    assert attente_avant_requete(jeton) > 0
    assert attente_avant_requete(jeton) > 0


LIMITE, APPELS = 6, 10


def _deux_processus(secret, cache, dossier):
    """Deux serveurs de l'API, vrais processus lancés (tests/securite/serveur_de_l_api.py), qui tirent ensemble
    sur le même jeton ; leurs codes de réponse. Chaque attente a son délai et les processus sont tués à la fin
    quoi qu'il arrive : un test qui échoue ne laisse rien derrière lui."""
    depart = dossier / "depart"
    prets = [dossier / f"pret-{i}" for i in range(2)]
    environnement = environnement_de_la_base_de_test(API_REQUETES_PAR_MINUTE=str(LIMITE))
    processus = [
        subprocess.Popen(  # noqa: S603 - commande fixe
            [
                sys.executable,
                "-m",
                "tests.securite.serveur_de_l_api",
                secret,
                cache,
                str(APPELS),
                depart,
                pret,
            ],
            cwd=settings.BASE_DIR,
            env=environnement,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for pret in prets
    ]
    try:
        limite = time.monotonic() + 120
        while not all(p.exists() for p in prets):
            assert all(p.poll() is None for p in processus), [p.communicate() for p in processus]
            assert time.monotonic() < limite, "serveurs jamais prêts"
            time.sleep(0.05)
        depart.touch()
        sorties = [p.communicate(timeout=120) for p in processus]
    finally:
        for p in processus:
            p.kill()
            p.wait(10)
    assert all(p.returncode == 0 for p in processus), sorties
    return [code for sortie, _ in sorties for code in json.loads(sortie)]


@pytest.mark.postgresql
@pytest.mark.parametrize("cache", ["base", "processus"], ids=["cache de la base", "cache par processus"])
def test_la_limite_tient_entre_deux_processus_qui_partagent_la_table_de_cache(
    transactional_db, cache, tmp_path
):
    """#28 point 4, sur de vrais processus : deux serveurs, chacun son gestionnaire WSGI et sa connexion, tirent
    ensemble sur le même jeton. Avec la table de cache de la base (la production), LIMITE réponses passent en tout ;
    avec un cache par processus (l'erreur que la vérification de déploiement refuse), chacun en laisse passer
    LIMITE : le test le montre, pour prouver qu'il sait échouer."""
    if cache == "base":
        call_command("createcachetable", "inclusion_cache_essai", verbosity=0)
    with freeze_time(
        HEURE_GELEE
    ):  # le jeton vaut à l'heure gelée des serveurs, quel que soit le jour du test
        _, secret = _jeton([PorteeApi.LIEUX])
    codes = _deux_processus(secret, cache, tmp_path)
    assert len(codes) == 2 * APPELS and set(codes) <= {200, 429}
    assert codes.count(200) == (LIMITE if cache == "base" else 2 * LIMITE)


def test_la_production_a_un_cache_partage(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", __import__("string").ascii_letters + __import__("string").digits)
    monkeypatch.setenv("ALLOWED_HOSTS", "inclusion.exemple.fr")
    monkeypatch.delenv("DEBUG", raising=False)
    production = importlib.import_module("inclusion.settings.production")
    assert production.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"


@pytest.mark.parametrize(
    "backend, processus, refus",
    [
        ("django.core.cache.backends.locmem.LocMemCache", "2", True),
        ("django.core.cache.backends.dummy.DummyCache", "4", True),
        ("django.core.cache.backends.locmem.LocMemCache", "1", False),
        ("django.core.cache.backends.db.DatabaseCache", "4", False),
    ],
)
def test_le_deploiement_refuse_un_cache_par_processus_quand_plusieurs_servent(
    monkeypatch, backend, processus, refus
):
    monkeypatch.setenv("WEB_CONCURRENCY", processus)
    with override_settings(CACHES={"default": {"BACKEND": backend, "LOCATION": "inclusion_cache"}}):
        erreurs = cache_partage(None)
    assert bool(erreurs) == refus
    if refus:
        assert erreurs[0].id == "inclusion.E001" and "createcachetable" in erreurs[0].hint


def test_le_secret_du_jeton_est_dans_la_page_jamais_dans_un_cookie(client, coordination, settings):
    """Avant : le secret « montré une fois » voyageait dans le cookie « messages » (stockage par cookie)."""
    assert settings.MESSAGE_STORAGE == "django.contrib.messages.storage.session.SessionStorage"
    client.force_login(coordination)
    expire = (timezone.localtime() + datetime.timedelta(days=90)).strftime("%Y-%m-%d")
    reponse = client.post(
        "/admin/api/jetonapi/add/",
        {"nom": "Métropole", "portees": ["bilan"], "expire_le_0": expire, "expire_le_1": "12:00:00"},
    )
    assert reponse.status_code == 200 and "no-store" in reponse["Cache-Control"]
    page = reponse.content.decode()
    secret = page.split('<code id="secret-du-jeton">')[1].split("</code>")[0]
    assert secret.startswith("inc_") and "il ne sera plus jamais affiché" in page
    assert "messages" not in reponse.cookies
    assert all(secret not in morceau.value for morceau in reponse.cookies.values())
    assert all(secret not in str(s.get_decoded()) for s in Session.objects.all())
    suite = client.get("/admin/api/jetonapi/")
    assert secret not in suite.content.decode()
