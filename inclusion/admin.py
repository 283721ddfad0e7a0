from django.contrib import admin

from .models import ContactAnnuaire, Demarche, Intervenant, Lieu, Quartier, Structure, TempsDeTravail


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
    list_display = ["nom", "structure", "fonction", "arrivee_le", "depart_le", "user", "actif"]
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


@admin.register(Quartier)
class QuartierAdmin(admin.ModelAdmin):
    list_display = ["nom", "qpv", "hors_commune", "actif"]
    list_filter = ["qpv", "actif"]
    search_fields = ["nom"]


@admin.register(ContactAnnuaire)
class ContactAnnuaireAdmin(admin.ModelAdmin):
    list_display = ["structure", "service", "nom", "telephone", "verifie_le"]
    list_filter = ["structure", "demarches"]
    search_fields = ["structure__nom", "service", "nom", "fonction"]
    filter_horizontal = ["demarches", "lieux", "quartiers"]
    list_select_related = ["structure"]
