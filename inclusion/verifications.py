"""Vérifications de déploiement (`manage.py check --deploy`) propres à l'application."""

import os

from django.conf import settings
from django.core.checks import Error, Tags, register

# Des caches propres à chaque processus : avec plusieurs processus, chacun tient son compte (limite de l'API
# multipliée par le nombre de processus), ou aucun (DummyCache).
CACHES_PAR_PROCESSUS = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


def processus_web():
    """Le nombre de processus qui servent, comme inclusion/gunicorn.py le calcule."""
    try:
        return int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 2))
    except ValueError:
        return 2


@register(Tags.caches, deploy=True)
def cache_partage(app_configs, **kwargs):
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    n = processus_web()
    if n > 1 and backend in CACHES_PAR_PROCESSUS:
        return [
            Error(
                f"Le cache « {backend.rsplit('.', 1)[-1]} » est propre à chaque processus, et {n} processus "
                "servent (WEB_CONCURRENCY) : la limite de l'API par jeton serait comptée processus par processus.",
                hint="Un cache partagé : la table de cache de la base (inclusion.settings.production, puis "
                "`manage.py createcachetable`) ou Redis.",
                id="inclusion.E001",
            )
        ]
    return []
