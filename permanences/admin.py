from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from inclusion.administration import AvecCasesACocher

from .models import Arrivee, Creneau, Passage, Permanence, Refus, RendezVous


@admin.register(Creneau)
class CreneauAdmin(AvecCasesACocher, admin.ModelAdmin):
    list_display = ["lieu", "jour_semaine", "heure_debut", "heure_fin", "valide_du", "valide_au"]
    list_filter = ["lieu", "jour_semaine"]
    list_select_related = ["lieu"]


@admin.register(Permanence)
class PermanenceAdmin(AvecCasesACocher, admin.ModelAdmin):
    list_display = ["date", "lieu", "heure_debut", "heure_fin", "annulee"]
    list_filter = ["annulee", "lieu"]
    date_hierarchy = "date"
    list_select_related = ["lieu"]


class PointageAdmin(SimpleHistoryAdmin):
    list_display = ["horodatage", "permanence", "agent", "annulee_le"]
    list_filter = ["permanence__lieu"]
    date_hierarchy = "horodatage"
    readonly_fields = ["uuid", "enregistre_le"]
    list_select_related = ["permanence__lieu", "agent"]
    raw_id_fields = ["permanence"]

    def get_readonly_fields(self, request, obj=None):
        """Un pointage enregistré reste à sa permanence : il a eu lieu là (sa date en dépend)."""
        return [*self.readonly_fields, "permanence"] if obj is not None else self.readonly_fields


@admin.register(Arrivee)
class ArriveeAdmin(PointageAdmin):
    """Une arrivée n'est jamais supprimée (inclusion.cloture) : elle s'annule, et la ligne garde qui et quand."""

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(Refus, PointageAdmin)


@admin.register(Passage)
class PassageAdmin(SimpleHistoryAdmin):
    list_display = ["permanence", "type_demande", "demarche", "duree_minutes", "autonomie", "intervenant"]
    list_filter = ["type_demande", "autonomie", "demarche", "permanence__lieu"]
    list_select_related = ["permanence__lieu", "demarche", "intervenant"]
    raw_id_fields = ["permanence", "arrivee"]


@admin.register(RendezVous)
class RendezVousAdmin(SimpleHistoryAdmin):
    list_display = ["date", "heure", "service", "lieu", "intervenant", "statut"]
    list_filter = ["service", "statut", "lieu"]
    date_hierarchy = "date"
    list_select_related = ["lieu", "intervenant"]
