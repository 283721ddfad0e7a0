from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ChiffreExterne, Commentaire, SuiviDonnees


@admin.register(ChiffreExterne)
class ChiffreExterneAdmin(SimpleHistoryAdmin):
    list_display = ["annee", "indicateur", "valeur", "source"]
    list_filter = ["annee"]
    search_fields = ["indicateur", "source"]


@admin.register(Commentaire)
class CommentaireAdmin(admin.ModelAdmin):
    list_display = ["annee", "section", "modifie_le", "modifie_par"]
    list_filter = ["annee", "section"]


@admin.register(SuiviDonnees)
class SuiviDonneesAdmin(SimpleHistoryAdmin):
    list_display = ["famille", "depuis", "commentaire"]
