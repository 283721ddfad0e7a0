"""Réglages communs, lus dans l'environnement (DATABASE_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS)."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name, default=False):
    valeur = os.environ.get(name)
    if valeur is None:
        return default
    return valeur.strip().lower() in {"1", "true", "yes", "oui", "on", "vrai"}


def env_list(name, default=""):
    return [v.strip() for v in os.environ.get(name, default).split(",") if v.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "dev-insecure-cle-de-developpement-a-ne-jamais-deployer")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "django.forms",  # gabarits des widgets, y compris ceux du projet (FORM_RENDERER ci-dessous)
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "csp",
    "axes",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "inclusion",
    "permanences",
    "formations",
    "travaux",
    "confidentialite",
    "rapports",
    "echanges",
    "api",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "inclusion.middleware.AnneeCloseMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "inclusion.backends.AuthentificationAvecRoles",
]

# Politique de sécurité du contenu : aucun script ni style en ligne ; images data: pour les graphiques SVG
# et les icônes de Bootstrap.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Connexion : verrouillage temporaire après plusieurs échecs (jamais définitif), levé par la coordination
# dans l'administration (« Tentatives d'accès »).
import datetime as _datetime  # noqa: E402

AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = _datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Adresse réelle du client derrière le proxy HTTPS (inclusion/securite.py) ; 0 : X-Forwarded-For ignoré.
NOMBRE_PROXYS_DE_CONFIANCE = int(os.environ.get("NOMBRE_PROXYS_DE_CONFIANCE", "0"))
AXES_CLIENT_IP_CALLABLE = "inclusion.securite.adresse_du_client"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/verrouille.html"
AXES_LOCKOUT_CALLABLE = "inclusion.securite.reponse_verrouillage"
AXES_VERBOSE = False

ROOT_URLCONF = "inclusion.urls"
WSGI_APPLICATION = "inclusion.wsgi.application"

FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "inclusion.context_processors.roles",
                "inclusion.context_processors.identite",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
FORMS_URLFIELD_ASSUME_HTTPS = True  # comportement de Django 6 : une adresse sans schéma est en https
USE_THOUSAND_SEPARATOR = False

# Fichiers téléversés (imports) et documents produits en fond (exports, rendus du Bilan). Avec plusieurs
# machines, ce dossier est partagé (volume réseau) ou remplacé par un stockage objet (STORAGES["default"]).
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"  # jamais servi tel quel : les documents passent par des vues qui vérifient le rôle

# Travaux longs hors des requêtes : file django-tasks dans la base (PostgreSQL : SELECT … FOR UPDATE SKIP
# LOCKED ; autant de `manage.py db_worker` que voulu, sur autant de machines). Voir travaux/.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "accueil_general"
LOGOUT_REDIRECT_URL = "login"

# Postes d'accueil partagés : la session expire à la fermeture du navigateur
# et au plus tard après une journée de travail.
SESSION_ENGINE = "inclusion.sessions"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(9 * 3600)))
SESSION_SAVE_EVERY_REQUEST = False
# Les messages restent côté serveur (session), jamais dans un cookie : ils peuvent citer une personne.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # le JavaScript de l'accueil lit le jeton pour les pointages hors ligne
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Règles métier qu'une équipe peut vouloir changer (voir README).
# Mentions légales : qui publie le service, qui l'héberge, qui contacter (variables d'environnement).
MENTIONS_LEGALES = {
    "EDITEUR": os.environ.get("MENTIONS_EDITEUR", ""),
    "DIRECTION_PUBLICATION": os.environ.get("MENTIONS_DIRECTION_PUBLICATION", ""),
    "HEBERGEUR": os.environ.get("MENTIONS_HEBERGEUR", ""),
    "CONTACT": os.environ.get("MENTIONS_CONTACT", ""),
}

INCLUSION = {
    # Délai pendant lequel un agent d'accueil peut annuler un pointage (secondes).
    "DELAI_ANNULATION_POINTAGE_SECONDES": int(os.environ.get("DELAI_ANNULATION_POINTAGE_SECONDES", "120")),
    # Un médiateur peut saisir ou corriger un passage d'une permanence de moins de N jours.
    "DELAI_SAISIE_PASSAGE_JOURS": int(os.environ.get("DELAI_SAISIE_PASSAGE_JOURS", "30")),
    # Même délai pour créer ou annuler une permanence, un rendez-vous ou une session (inclusion/delais.py).
    # Un pointage de l'accueil (file hors ligne comprise) n'est accepté que s'il a moins de N heures.
    "TOLERANCE_POINTAGE_HEURES": int(os.environ.get("TOLERANCE_POINTAGE_HEURES", "72")),
    # Purge quotidienne (confidentialite/purge.py) : effacement N jours après la date de l'enregistrement.
    "DELAI_PURGE_COORDONNEES_JOURS": int(os.environ.get("DELAI_PURGE_COORDONNEES_JOURS", "90")),
    "DELAI_PURGE_NOTES_PASSAGES_JOURS": int(os.environ.get("DELAI_PURGE_NOTES_PASSAGES_JOURS", "90")),
    "DELAI_PURGE_NOMS_FORMATION_JOURS": int(os.environ.get("DELAI_PURGE_NOMS_FORMATION_JOURS", "365")),
    "DELAI_LIEN_ARRIVEE_JOURS": int(os.environ.get("DELAI_LIEN_ARRIVEE_JOURS", "2")),
    "DELAI_PURGE_JOURNAL_CONNEXIONS_JOURS": int(os.environ.get("DELAI_PURGE_JOURNAL_CONNEXIONS_JOURS", "30")),
    # Les exports détaillés du tableau de bord ne contiennent aucune ligne de moins de K personnes.
    "K_ANONYMAT": int(os.environ.get("K_ANONYMAT", "5")),
    # Une session avec moins de N inscriptions confirmées J jours avant est signalée « à annuler ».
    "SEUIL_ANNULATION_SESSION": int(os.environ.get("SEUIL_ANNULATION_SESSION", "2")),
    "JOURS_AVANT_ANNULATION_SESSION": int(os.environ.get("JOURS_AVANT_ANNULATION_SESSION", "2")),
    # Une session n'est « tenue » qu'avec au moins N participants présents.
    "MINIMUM_PRESENTS_SESSION_TENUE": int(os.environ.get("MINIMUM_PRESENTS_SESSION_TENUE", "2")),
    # Limites des fichiers importés (un petit fichier hostile ne doit pas occuper le serveur) : colonnes par
    # fichier, lignes par fichier, caractères par cellule, taille décompressée des textes partagés d'un XLSX.
    "IMPORT_COLONNES_MAX": int(os.environ.get("IMPORT_COLONNES_MAX", "64")),
    "IMPORT_LIGNES_MAX": int(os.environ.get("IMPORT_LIGNES_MAX", "2000000")),
    "IMPORT_CELLULE_MAX": int(os.environ.get("IMPORT_CELLULE_MAX", "10000")),
    "IMPORT_XLSX_TEXTES_MAX_OCTETS": int(
        os.environ.get("IMPORT_XLSX_TEXTES_MAX_OCTETS", str(20 * 1024 * 1024))
    ),
    # Exports produits en fond et fichiers téléversés : gardés N heures, puis effacés par la purge quotidienne.
    "CONSERVATION_DOCUMENTS_HEURES": int(os.environ.get("CONSERVATION_DOCUMENTS_HEURES", "24")),
    # Un travail qu'aucun processus de fond n'a pris après N secondes, alors qu'aucun autre n'est en cours :
    # aucun processus ne tourne (manage.py importer le dit et s'arrête ; la page de suivi le dit).
    "ATTENTE_PROCESSUS_DE_FOND_SECONDES": int(os.environ.get("ATTENTE_PROCESSUS_DE_FOND_SECONDES", "8")),
    # API en lecture : requêtes par minute et par jeton (au-delà : 429 et Retry-After).
    "API_REQUETES_PAR_MINUTE": int(os.environ.get("API_REQUETES_PAR_MINUTE", "60")),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
