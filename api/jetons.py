"""Jetons de l'API : création (le secret n'est montré qu'une fois), révocation, authentification, limite de débit."""

import hashlib
import secrets

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from .models import JetonApi

PREFIXE = "inc_"


def empreinte(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


def creer_jeton(*, nom, portees, expire_le, cree_par=None):
    """(jeton, secret) : le secret n'est gardé nulle part ; à donner tout de suite à qui s'en servira."""
    secret = PREFIXE + secrets.token_urlsafe(32)
    jeton = JetonApi.objects.create(
        nom=nom,
        portees=sorted(set(portees)),
        expire_le=expire_le,
        cree_par=cree_par,
        prefixe=secret[:12],
        empreinte=empreinte(secret),
    )
    return jeton, secret


def revoquer(jeton):
    if jeton.revoque_le is None:
        jeton.revoque_le = timezone.now()
        jeton.save(update_fields=["revoque_le"])


def jeton_valide(secret, portee):
    """Le jeton de ce secret s'il est valide (ni expiré, ni révoqué) et a cette portée ; sinon None."""
    if not secret or not secret.startswith(PREFIXE) or len(secret) > 100:
        return None
    maintenant = timezone.now()
    jeton = JetonApi.objects.valides(maintenant).filter(empreinte=empreinte(secret)).first()
    if jeton is None or portee not in jeton.portees:
        return None
    if jeton.dernier_usage_le is None or maintenant - jeton.dernier_usage_le > timezone.timedelta(minutes=1):
        JetonApi.objects.filter(pk=jeton.pk).update(dernier_usage_le=maintenant)
    return jeton


def attente_avant_requete(jeton):
    """0 si le jeton peut encore faire une requête cette minute (et la compte), sinon les secondes à attendre.

    Fenêtre fixe d'une minute dans le cache de Django (avec plusieurs serveurs web, un cache partagé : la table
    de cache de la base, voir README)."""
    limite = settings.INCLUSION["API_REQUETES_PAR_MINUTE"]
    maintenant = timezone.now()
    cle = f"api:{jeton.empreinte[:24]}:{maintenant:%Y%m%d%H%M}"  # propre à ce jeton, même recréé
    # Chaque requête prend une place numérotée de la minute par cache.add, atomique dans tous les caches (la
    # clé primaire de la table de cache, SET NX de Redis) ; le compteur ne sert qu'à partir près de la bonne
    # place. Un incr() de la table de cache (lire puis écrire) laisserait passer deux requêtes simultanées.
    n = max(cache.get(cle) or 0, 0) + 1
    while n <= limite and not cache.add(f"{cle}:{n}", 1, timeout=120):
        n += 1
    if n <= limite:
        cache.set(cle, n, timeout=120)
    return 0 if n <= limite else 60 - maintenant.second
