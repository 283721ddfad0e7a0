from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)

# Fichiers statiques servis depuis static/ sans collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
