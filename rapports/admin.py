from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ChiffreExterne, PointAnalyse, SuiviDonnees


@admin.register(ChiffreExterne)
class ChiffreExterneAdmin(SimpleHistoryAdmin):
    list_display = ["annee", "indicateur", "valeur", "source"]
    list_filter = ["annee"]
    search_fields = ["indicateur", "source"]


@admin.register(PointAnalyse)
class PointAnalyseAdmin(SimpleHistoryAdmin):
    list_display = ["annee", "section", "ordre", "titre", "modifie_le", "modifie_par"]
    list_filter = ["annee", "section"]
    search_fields = ["titre", "texte"]


@admin.register(SuiviDonnees)
class SuiviDonneesAdmin(SimpleHistoryAdmin):
    list_display = ["famille", "depuis", "zeros_confirmes", "commentaire"]
