"""Le bandeau d'une année close (inclusion.cloture), le même sur chaque page qui montre ses enregistrements."""

from django import template

from ..enums import Role
from ..roles import roles_de

register = template.Library()


@register.inclusion_tag("inclusion/includes/annee_close.html", takes_context=True)
def bandeau_annee_close(context, cloture):
    """« Année 2025 close le … » ; la coordination, qui seule peut rouvrir l'année, a le lien vers le Bilan."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"cloture": cloture, "peut_rouvrir": user is not None and Role.COORDINATION in roles_de(user)}
