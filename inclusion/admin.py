from django import forms
from django.contrib import admin
from django.utils.html import format_html

from .models import (
    ContactAnnuaire,
    Demarche,
    IdentiteDispositif,
    Intervenant,
    Lieu,
    LogoPartenaire,
    Quartier,
    Structure,
    TempsDeTravail,
    lire_logo,
)


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


class FormulaireAvecLogo(forms.ModelForm):
    """Téléverse un logo (PNG ou JPEG vérifié par lire_logo) dans le champ binaire du modèle."""

    fichier_logo = forms.FileField(label="Logo (PNG ou JPEG, 1 Mo au plus)", required=False)
    retirer_logo = forms.BooleanField(label="Retirer le logo", required=False)

    def clean_fichier_logo(self):
        fichier = self.cleaned_data.get("fichier_logo")
        self.logo_lu = lire_logo(fichier) if fichier else None
        return fichier

    def save(self, commit=True):
        instance = super().save(commit=False)
        if self.logo_lu:
            instance.logo, instance.logo_type = self.logo_lu
        elif self.cleaned_data.get("retirer_logo"):
            instance.logo, instance.logo_type = b"", ""
        if commit:
            instance.save()
        return instance


def apercu_logo(objet):
    if not objet.logo:
        return "—"
    return format_html('<img src="{}" alt="Logo actuel" height="48">', objet.logo_data_uri)


apercu_logo.short_description = "logo actuel"


class LogoPartenaireInline(admin.TabularInline):
    model = LogoPartenaire
    form = FormulaireAvecLogo
    fields = ["nom", "ordre", apercu_logo, "fichier_logo", "retirer_logo"]
    readonly_fields = [apercu_logo]
    extra = 0


@admin.register(IdentiteDispositif)
class IdentiteDispositifAdmin(admin.ModelAdmin):
    form = FormulaireAvecLogo
    fields = ["nom", "nom_court", "organisation", apercu_logo, "fichier_logo", "retirer_logo", "site_web"]
    fields += ["texte_de_cloture"]
    readonly_fields = [apercu_logo]
    inlines = [LogoPartenaireInline]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not IdentiteDispositif.objects.exists()
