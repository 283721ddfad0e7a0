from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Fichiers statiques servis depuis static/ sans collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Le verrouillage de connexion est testé explicitement (override_settings) ; ailleurs il gênerait force_login.
AXES_ENABLED = False

# Documents des tests (téléversements, exports, rendus du Bilan) : un dossier jetable par session de tests,
# transmis aux processus de fond que lancent certains tests (variable MEDIA_ROOT).
import os  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or tempfile.mkdtemp(prefix="inclusion-tests-media-"))
