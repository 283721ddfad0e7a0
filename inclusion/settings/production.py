"""Réglages de production : refusent de démarrer sans SECRET_KEY solide, sans ALLOWED_HOSTS ou avec DEBUG."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool, env_list
from .controles import GENERER_UNE_CLE, faiblesse_de_la_cle, message_cle_faible

if not os.environ.get("SECRET_KEY"):
    raise ImproperlyConfigured(
        f"SECRET_KEY doit être définie dans l'environnement en production. Générez-en une : {GENERER_UNE_CLE}"
    )
if env_bool("DEBUG", False):
    raise ImproperlyConfigured("DEBUG ne doit pas être activé en production.")

SECRET_KEY = os.environ["SECRET_KEY"]
if raison := faiblesse_de_la_cle(SECRET_KEY):
    raise ImproperlyConfigured(message_cle_faible(raison))
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS doit être définie dans l'environnement en production.")

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Un cache partagé par tous les processus et toutes les machines (limite de l'API par jeton) : la table de cache de
# la base (`manage.py createcachetable` au déploiement). `manage.py check --deploy` refuse un cache propre à chaque
# processus quand plusieurs servent (inclusion/verifications.py). Assez d'entrées pour qu'aucune place de la
# minute d'un jeton ne soit effacée par le nettoyage du cache.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "inclusion_cache",
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("CACHE_MAX_ENTREES", "200000"))},
    }
}
