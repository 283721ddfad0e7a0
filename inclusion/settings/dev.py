"""Réglages de développement (`make demo`, défaut de `manage.py`) : DEBUG activé, sauf là où SECRET_KEY est
définie sans DEBUG=1, où ils refusent de démarrer (une production lancée sans DJANGO_SETTINGS_MODULE)."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool
from .controles import refus_des_reglages_de_developpement

if refus := refus_des_reglages_de_developpement():
    raise ImproperlyConfigured(refus)

DEBUG = env_bool("DEBUG", True)

# Fichiers statiques servis depuis static/ sans collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
