from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from inclusion.administration import LignesEmpilees

from .models import AccompagnementFormation, Inscription, SessionFormation, Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["nom", "actif"]
    search_fields = ["nom"]


class InscriptionInline(LignesEmpilees):
    model = Inscription


@admin.register(SessionFormation)
class SessionFormationAdmin(SimpleHistoryAdmin):
    list_display = ["date", "theme", "lieu", "capacite", "statut"]
    list_filter = ["statut", "theme"]
    date_hierarchy = "date"
    inlines = [InscriptionInline]
    list_select_related = ["theme", "lieu"]


@admin.register(AccompagnementFormation)
class AccompagnementFormationAdmin(admin.ModelAdmin):
    list_display = ["date", "structure", "theme", "duree_minutes"]
    list_select_related = ["structure", "theme"]


@admin.register(Inscription)
class InscriptionAdmin(SimpleHistoryAdmin):
    list_display = ["nom", "session", "structure", "present", "liste_attente"]
    list_select_related = ["session__theme", "structure"]
    raw_id_fields = ["session"]
