import datetime

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils import timezone

from .enums import PorteeApi
from .jetons import creer_jeton, revoquer
from .models import JetonApi


class JetonApiForm(forms.ModelForm):
    portees = forms.MultipleChoiceField(
        label="Portées", choices=PorteeApi.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = JetonApi
        fields = ["nom", "portees", "expire_le"]

    def clean_expire_le(self):
        expire_le = self.cleaned_data["expire_le"]
        if expire_le <= timezone.now():
            raise forms.ValidationError("La date d'expiration doit être dans le futur.")
        if expire_le > timezone.now() + datetime.timedelta(days=366):
            raise forms.ValidationError("Un jeton dure au plus un an : il se renouvelle.")
        return expire_le


@admin.register(JetonApi)
class JetonApiAdmin(admin.ModelAdmin):
    """Créer un jeton (le secret n'est montré qu'une fois), le révoquer ; jamais le modifier ni le relire."""

    form = JetonApiForm
    list_display = ["nom", "prefixe", "libelles_portees", "expire_le", "revoque_le", "dernier_usage_le"]
    readonly_fields = ["prefixe", "cree_le", "cree_par", "revoque_le", "dernier_usage_le"]
    actions = ["revoquer"]

    def get_changeform_initial_data(self, request):
        return {"expire_le": timezone.now() + datetime.timedelta(days=365)}

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        jeton, secret = creer_jeton(
            nom=form.cleaned_data["nom"],
            portees=form.cleaned_data["portees"],
            expire_le=form.cleaned_data["expire_le"],
            cree_par=request.user,
        )
        obj.pk = jeton.pk
        # Montré dans la page qui répond, jamais dans un message ni un cookie.
        request.secret_du_jeton = secret

    def response_add(self, request, obj, post_url_continue=None):
        """Le secret dans le corps de la réponse même : ni redirection, ni message (stocké entre deux requêtes)."""
        reponse = TemplateResponse(
            request,
            "admin/api/jetonapi/secret.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": "Jeton créé",
                "jeton": obj,
                "secret": request.secret_du_jeton,
            },
        )
        reponse["Cache-Control"] = "no-store"
        return reponse

    def save_related(self, request, form, formsets, change):
        pass  # rien de lié : le jeton est déjà enregistré par creer_jeton

    @admin.action(description="Révoquer les jetons choisis")
    def revoquer(self, request, queryset):
        for jeton in queryset:
            revoquer(jeton)
        messages.success(
            request, f"{queryset.count()} jeton(s) révoqué(s) : ils ne donnent plus accès à rien."
        )
