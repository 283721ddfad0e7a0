from .enums import Role
from .roles import espaces_of, get_roles


def roles(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    user_roles = get_roles(user)
    return {
        "mes_roles": [Role(r).label for r in Role if r in user_roles],
        "mes_espaces": espaces_of(user),
    }
