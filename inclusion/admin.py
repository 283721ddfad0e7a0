from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group, User
from django.utils.html import format_html

from .administration import AvecCasesACocher, LignesEmpilees, supprimer_la_selection
from .enums import Role
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

# La suppression en masse de Django, remplacée pour tout le site : elle tient la clôture des années.
admin.site.add_action(supprimer_la_selection, "delete_selected")


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


class TempsDeTravailInline(LignesEmpilees):
    model = TempsDeTravail


@admin.register(Intervenant)
class IntervenantAdmin(AvecCasesACocher, admin.ModelAdmin):
    list_display = ["nom", "structure", "fonction", "arrivee_le", "depart_le", "user", "actif"]
    list_filter = ["fonction", "structure", "actif"]
    search_fields = ["nom"]
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
class ContactAnnuaireAdmin(AvecCasesACocher, admin.ModelAdmin):
    list_display = ["structure", "service", "nom", "telephone", "verifie_le"]
    list_filter = ["structure", "demarches"]
    search_fields = ["structure__nom", "service", "nom", "fonction"]
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


class LogoPartenaireInline(LignesEmpilees):
    model = LogoPartenaire
    form = FormulaireAvecLogo
    fields = ["nom", "ordre", apercu_logo, "fichier_logo", "retirer_logo"]
    readonly_fields = [apercu_logo]


@admin.register(IdentiteDispositif)
class IdentiteDispositifAdmin(admin.ModelAdmin):
    form = FormulaireAvecLogo
    fields = ["nom", "nom_court", "organisation", apercu_logo, "fichier_logo", "retirer_logo", "site_web"]
    fields += ["texte_de_cloture"]
    readonly_fields = [apercu_logo]
    inlines = [LogoPartenaireInline]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not IdentiteDispositif.objects.exists()


admin.site.unregister(User)


@admin.register(User)
class UtilisateurAdmin(AvecCasesACocher, UserAdmin):
    """La coordination gère les comptes sans pouvoir se donner plus qu'elle n'a : ni super-utilisateur, ni statut
    d'équipe, ni permission à la carte, ni groupe hors des cinq rôles ; un super-utilisateur ne se modifie que par
    un super-utilisateur."""

    CHAMPS_DE_SUPER_UTILISATEUR = ["is_superuser", "is_staff", "user_permissions"]

    def get_readonly_fields(self, request, obj=None):
        champs = list(super().get_readonly_fields(request, obj))
        return champs if request.user.is_superuser else champs + self.CHAMPS_DE_SUPER_UTILISATEUR

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.filter(name__in=Role.values)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)
