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


def roles_de(user):
    """Ensemble des codes de rôle de l'utilisateur (mis en cache sur l'objet)."""
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_roles_cache"):
        user._roles_cache = frozenset(user.groups.values_list("name", flat=True)) & set(Role.values)
    return user._roles_cache


def a_un_role(user, *roles):
    """Vrai si l'utilisateur a l'un des rôles ; la coordination a accès à tout."""
    roles_utilisateur = roles_de(user)
    return Role.COORDINATION in roles_utilisateur or bool(roles_utilisateur & set(roles))


def role_requis(*roles):
    """Décorateur de vue : connexion obligatoire, puis 403 si aucun des rôles."""

    def decorer(vue):
        @wraps(vue)
        @login_required
        def vue_protegee(request, *args, **kwargs):
            if not a_un_role(request.user, *roles):
                raise PermissionDenied("Cet espace est réservé à un autre rôle.")
            return vue(request, *args, **kwargs)

        return vue_protegee

    return decorer


def intervenant_de(user):
    return getattr(user, "intervenant", None) if user.is_authenticated else None


def espaces_de(user):
    return [(role, *ESPACES[role]) for role in Role if role in roles_de(user)]
