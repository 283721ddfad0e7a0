"""Ce que toutes les pages d'administration partagent, pour qu'elles passent axe comme le reste du site.

- Les relations « plusieurs à plusieurs » (lieux d'un intervenant, rôles d'un compte…) en cases à cocher : le
  double sélecteur filtrant de Django (`filter_horizontal`) porte un `aria-label` sur un `span` sans rôle, que
  axe refuse (aria-prohibited-attr), et il se manie mal au doigt ; nos listes (lieux, intervenants, démarches,
  quartiers, rôles) tiennent en quelques dizaines de cases.
- Les lignes liées (inscriptions d'une session, temps de travail, logos) en blocs empilés : le tableau de Django
  laisse ses champs sans étiquette et déborde à 768 px.
- La date et l'heure d'un champ horodaté ont chacune leur étiquette : templates/admin/widgets/split_datetime.html.
- Liens du fil d'Ariane soulignés, cibles de 44 px : static/css/administration.css.
- La suppression en masse tient la clôture des années : refusée d'emblée, avec le message, si une ligne choisie est
  d'une année close ; la suppression et son entrée au journal de l'administration se font ensemble ou pas du tout.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.db import models, transaction
from django.utils.translation import gettext_lazy

from .annees_closes import AnneeClose, ArriveeJamaisSupprimee
from .cloture import QuerySetCloture

CASES_A_COCHER = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}


class AvecCasesACocher:
    """À placer avant la classe d'administration de Django : ses relations multiples en cases à cocher."""

    filter_horizontal = ()
    formfield_overrides = CASES_A_COCHER


class LignesEmpilees(admin.StackedInline):
    """Les lignes liées d'une fiche, chacune en bloc étiqueté."""

    extra = 0


@admin.action(permissions=["delete"], description=gettext_lazy("Delete selected %(verbose_name_plural)s"))
def supprimer_la_selection(modeladmin, request, queryset):
    """L'action « Supprimer les … sélectionnés » de Django, qui ne passe plus dans une année close."""
    try:
        if isinstance(queryset, QuerySetCloture):
            queryset.verifier_annees_ouvertes()
        with transaction.atomic():
            return delete_selected(modeladmin, request, queryset)
    except (AnneeClose, ArriveeJamaisSupprimee) as refus:
        modeladmin.message_user(request, f"Suppression refusée : {refus.message}", messages.ERROR)
        return None
