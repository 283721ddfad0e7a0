"""Un serveur de l'API dans un vrai processus à part, pour test_api_partagee : son gestionnaire WSGI (le client de
test), sa connexion à la base de test, son cache (celui de la base, ou un cache propre au processus).

Lancé par `python -m tests.securite.serveur_de_l_api SECRET CACHE APPELS DEPART PRET` (DATABASE_URL sur la base
de test, API_REQUETES_PAR_MINUTE pour la limite) : il se prépare, crée le fichier PRET, attend que le fichier
DEPART existe (au plus 60 s), fait APPELS requêtes et écrit leurs codes en JSON sur sa sortie.

Un processus lancé (subprocess) plutôt qu'un fork du processus de test : un fork hérite des verrous tenus par les
autres fils de pytest-xdist au moment du fork et peut s'y bloquer pour toujours ; le processus de test, qui
attend ses enfants en sortant, ne finissait alors jamais (CI du 6 décembre 2026)."""

import json
import os
import pathlib
import sys
import time

CACHES = {
    "base": {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "inclusion_cache_essai",
        }
    },
    "processus": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
}
HEURE_GELEE = "2026-03-02 10:00:20"  # en milieu de minute : tous les appels comptent dans la même fenêtre


def main(secret, cache, appels, depart, pret):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inclusion.settings.test")
    import django

    django.setup()
    from django.test import Client, override_settings
    from django.test.utils import setup_test_environment
    from freezegun import freeze_time

    setup_test_environment()
    with override_settings(CACHES=CACHES[cache]), freeze_time(HEURE_GELEE):
        client = Client()
        pathlib.Path(pret).touch()
        limite = time.monotonic() + 60
        while not pathlib.Path(depart).exists():
            if time.monotonic() > limite:
                sys.exit("départ jamais donné")
            time.sleep(0.01)
        codes = [
            client.get("/api/v1/lieux", headers={"Authorization": f"Bearer {secret}"}).status_code
            for _ in range(int(appels))
        ]
    print(json.dumps(codes), flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
