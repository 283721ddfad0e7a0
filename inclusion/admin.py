from django.contrib import admin

from .models import Demarche, Intervenant, Lieu, Structure, TempsDeTravail


@admin.register(Lieu)
class LieuAdmin(admin.ModelAdmin):
    list_display = ["nom", "adresse", "actif"]
    list_filter = ["actif"]
    search_fields = ["nom", "adresse"]


@admin.register(Structure)
class StructureAdmin(admin.ModelAdmin):
    list_display = ["nom", "actif"]
    list_filter = ["actif"]
    search_fields = ["nom"]


class TempsDeTravailInline(admin.TabularInline):
    model = TempsDeTravail
    extra = 0


@admin.register(Intervenant)
class IntervenantAdmin(admin.ModelAdmin):
    list_display = ["nom", "structure", "fonction", "user", "actif"]
    list_filter = ["fonction", "structure", "actif"]
    search_fields = ["nom"]
    filter_horizontal = ["lieux"]
    list_select_related = ["structure", "user"]
    inlines = [TempsDeTravailInline]


@admin.register(Demarche)
class DemarcheAdmin(admin.ModelAdmin):
    list_display = ["libelle", "code", "thematique", "ordre", "actif"]
    list_filter = ["thematique", "actif"]
    search_fields = ["libelle", "code"]
