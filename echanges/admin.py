from django.contrib import admin

from inclusion.admin import LieuAdmin
from inclusion.models import Lieu

from .schemas_nationaux import manques_du_lieu


class LieuAdminFichiersNationaux(LieuAdmin):
    """La liste et le formulaire « Lieux » disent ce qu'il manque à chaque lieu pour les fichiers nationaux
    (schéma des lieux de médiation numérique) ; l'administration des lieux est déclarée dans `inclusion`, qui ne
    connaît pas les schémas nationaux : elle est complétée ici."""

    list_display = [*LieuAdmin.list_display, "a_completer"]
    readonly_fields = ["a_completer"]

    @admin.display(description="à compléter pour les fichiers nationaux")
    def a_completer(self, lieu):
        if lieu.pk is None:
            return "SIRET, commune, code postal et adresse (obligatoires dans les fichiers nationaux)"
        return " ; ".join(manques_du_lieu(lieu)) or "rien : le lieu est publié"


admin.site.unregister(Lieu)
admin.site.register(Lieu, LieuAdminFichiersNationaux)
