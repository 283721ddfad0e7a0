"""Contrôles des réglages au démarrage, sans dépendance à Django configuré (les réglages les appellent)."""

import os
from collections import Counter

LONGUEUR_MIN_CLE = 50
GENERER_UNE_CLE = "python -c 'import secrets; print(secrets.token_urlsafe(64))'"


def faiblesse_de_la_cle(cle):
    """La raison pour laquelle `cle` ne convient pas en production (en français), ou None.

    Longueur d'au moins 50 caractères, et aucun caractère plus d'un dixième de la clé : une estimation grossière
    de son imprévisibilité (« abcde » répété dix fois a 50 caractères, mais 5 symboles seulement)."""
    if cle.startswith("django-insecure"):
        return "c'est une clé de développement de Django (« django-insecure… »)"
    if len(cle) < LONGUEUR_MIN_CLE:
        return f"{len(cle)} caractères, {LONGUEUR_MIN_CLE} au moins"
    plus_frequent = Counter(cle).most_common(1)[0][1]
    if plus_frequent * 10 > len(cle):
        return (
            f"trop peu variée : un même caractère y revient {plus_frequent} fois sur {len(cle)} "
            "(un dixième de la clé au plus)"
        )
    return None


def message_cle_faible(raison):
    return f"SECRET_KEY trop faible ({raison}). Générez-en une : {GENERER_UNE_CLE}"


def refus_des_reglages_de_developpement(environ=os.environ):
    """Un message si les réglages de développement (DEBUG activé par défaut) démarrent sur une machine qui
    ressemble à une production : SECRET_KEY définie sans que DEBUG soit demandé explicitement. C'est ce qui
    arrive quand `manage.py` (dont le défaut est `inclusion.settings.dev`) ou un service systemd est lancé
    sans DJANGO_SETTINGS_MODULE ; sinon None."""
    if not environ.get("SECRET_KEY"):
        return None
    debug = environ.get("DEBUG", "").strip().lower()
    if debug in {"1", "true", "yes", "oui", "on", "vrai"}:
        return None  # développement demandé explicitement, avec sa propre clé
    return (
        "Réglages de développement (inclusion.settings.dev) refusés : SECRET_KEY est définie sans DEBUG=1, "
        "on dirait une production. En production, définissez DJANGO_SETTINGS_MODULE=inclusion.settings.production "
        "(dans le service systemd ou le fichier .env, voir deploiement/inclusion.env.exemple) ; pour développer "
        "avec cette clé, ajoutez DEBUG=1."
    )
