"""Rôles (groupes Django) et contrôle d'accès par rôle, vérifié sur chaque vue."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from .enums import Role

# Espace de travail de chaque rôle : (libellé, nom d'URL, description).
ESPACES = {
    Role.ACCUEIL: (
        "Accueil",
        "permanences:accueil",
        "Pointer les arrivées et les refus des permanences du jour.",
    ),
    Role.MEDIATION: (
        "Mes permanences",
        "permanences:mes_permanences",
        "File d'attente, accompagnements et rendez-vous individuels.",
    ),
    Role.FORMATION: (
        "Formations",
        "formations:sessions",
        "Sessions, inscriptions, émargement et accompagnements.",
    ),
    Role.ARCS: (
        "Rendez-vous ARCS",
        "permanences:agenda",
        "Agenda et suivi des rendez-vous des informaticiens publics.",
    ),
    Role.COORDINATION: ("Rapports", "rapports:tableau_de_bord", "Tableau de bord et bilan annuel."),
}


def get_roles(user):
    """Ensemble des codes de rôle de l'utilisateur (mis en cache sur l'objet)."""
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_roles_cache"):
        user._roles_cache = frozenset(user.groups.values_list("name", flat=True)) & set(Role.values)
    return user._roles_cache


def has_role(user, *roles):
    """Vrai si l'utilisateur a l'un des rôles ; la coordination a accès à tout."""
    user_roles = get_roles(user)
    return Role.COORDINATION in user_roles or bool(user_roles & set(roles))


def role_required(*roles):
    """Décorateur de vue : connexion obligatoire, puis 403 si aucun des rôles."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if not has_role(request.user, *roles):
                raise PermissionDenied("Cet espace est réservé à un autre rôle.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def get_intervenant(user):
    return getattr(user, "intervenant", None) if user.is_authenticated else None


def lieux_of(user):
    """Lieux où l'utilisateur intervient ; tous les lieux actifs pour la coordination."""
    from .models import Lieu

    if Role.COORDINATION in get_roles(user):
        return Lieu.objects.actifs()
    if not user.is_authenticated:
        return Lieu.objects.none()
    # Un intervenant marqué inactif n'agit plus nulle part, même si son compte reste ouvert.
    return Lieu.objects.actifs().filter(intervenants__user=user, intervenants__actif=True)


def espaces_of(user):
    return [(role, *ESPACES[role]) for role in Role if role in get_roles(user)]
