from django.utils.functional import SimpleLazyObject

from .enums import Role
from .models import IdentiteDispositif
from .roles import espaces_de, roles_de


def roles(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles_utilisateur = roles_de(user)
    return {
        "mes_roles": [Role(r).label for r in Role if r in roles_utilisateur],
        "mes_espaces": espaces_de(user),
    }


def identite(request):
    """Le nom court et le logo du dispositif pour l'en-tête de chaque page (lus seulement si la page s'en sert)."""
    return {"identite_du_dispositif": SimpleLazyObject(IdentiteDispositif.actuelle)}
