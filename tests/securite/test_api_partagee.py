"""#28, point 4 : la limite de l'API tient avec plusieurs processus (cache partagé en production, vérification de
déploiement, places prises atomiquement), le secret d'un jeton n'est jamais dans un cookie, et chaque point
d'entrée exige sa portée."""

import datetime
import importlib
import multiprocessing

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.management import call_command
from django.db import connections
from django.test import Client, override_settings
from django.utils import timezone
from freezegun import freeze_time

from api.enums import PorteeApi
from api.jetons import attente_avant_requete, creer_jeton
from api.vues import api
from inclusion.verifications import cache_partage

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


CACHE_DE_LA_BASE = {
    "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "inclusion_cache_essai"}
}
LIMITE, APPELS = 6, 10


def _appeler(secret, depart, resultats):
    """Un processus serveur : son propre gestionnaire WSGI (le client de test), sa propre connexion à la base."""
    client = Client()
    depart.wait(timeout=10)
    codes = [
        client.get("/api/v1/lieux", headers={"Authorization": f"Bearer {secret}"}).status_code
        for _ in range(APPELS)
    ]
    resultats.put(codes)
    connections.close_all()


def _deux_processus(secret):
    contexte = multiprocessing.get_context(
        "fork"
    )  # les réglages du test (base de test, cache, limite) suivent
    depart, resultats = contexte.Barrier(2), contexte.Queue()
    connections.close_all()  # chaque processus ouvre sa connexion
    processus = [contexte.Process(target=_appeler, args=(secret, depart, resultats)) for _ in range(2)]
    for p in processus:
        p.start()
    codes = [resultats.get(timeout=30) for _ in processus]
    for p in processus:
        p.join(timeout=10)
    return [c for liste in codes for c in liste]


@pytest.mark.postgresql
@pytest.mark.parametrize("partage", [True, False], ids=["cache de la base", "cache par processus"])
def test_la_limite_tient_entre_deux_processus_qui_partagent_la_table_de_cache(transactional_db, partage):
    """#28 point 4, sur de vrais processus : deux serveurs, chacun son gestionnaire WSGI et sa connexion, tirent
    ensemble sur le même jeton. Avec la table de cache de la base (la production), LIMITE réponses passent en tout ;
    avec un cache par processus (l'erreur que la vérification de déploiement refuse), chacun en laisse passer
    LIMITE : le test le montre, pour prouver qu'il sait échouer."""
    caches = (
        CACHE_DE_LA_BASE
        if partage
        else {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    )
    inclusion = {**settings.INCLUSION, "API_REQUETES_PAR_MINUTE": LIMITE}
    # Heure gelée en milieu de minute : les deux processus comptent dans la même fenêtre.
    with override_settings(CACHES=caches, INCLUSION=inclusion), freeze_time("2026-03-02 10:00:20"):
        if partage:
            call_command("createcachetable", verbosity=0)
        cache.clear()
        _, secret = _jeton([PorteeApi.LIEUX])
        codes = _deux_processus(secret)
    assert len(codes) == 2 * APPELS and set(codes) <= {200, 429}
    assert codes.count(200) == (LIMITE if partage else 2 * LIMITE)


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
