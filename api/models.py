from django.conf import settings
from django.db import models

from .enums import PorteeApi


class JetonApiQuerySet(models.QuerySet):
    def valides(self, maintenant):
        return self.filter(revoque_le__isnull=True, expire_le__gt=maintenant)


class JetonApi(models.Model):
    """Un accès en lecture à l'API (/api/v1/) pour un partenaire ou une coordination de territoire.

    Le secret n'est montré qu'une fois, à la création ; seule son empreinte SHA-256 est gardée. Chaque jeton a un
    nom, des portées, une date d'expiration, et peut être révoqué (api.jetons).
    """

    nom = models.CharField(
        "nom", max_length=150, help_text="Qui s'en sert, pour quoi (« Métropole, tableau de bord »)."
    )
    prefixe = models.CharField("début du jeton", max_length=12, editable=False)
    empreinte = models.CharField("empreinte SHA-256", max_length=64, unique=True, editable=False)
    portees = models.JSONField("portées", default=list)
    cree_le = models.DateTimeField("créé le", auto_now_add=True)
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expire_le = models.DateTimeField("expire le")
    revoque_le = models.DateTimeField("révoqué le", null=True, blank=True, editable=False)
    dernier_usage_le = models.DateTimeField("dernier usage", null=True, blank=True, editable=False)

    objects = JetonApiQuerySet.as_manager()

    class Meta:
        db_table = "rapports_jetonapi"  # table gardée : le modèle vient de rapports (#32)
        verbose_name = "jeton de l'API"
        verbose_name_plural = "jetons de l'API"
        ordering = ["-cree_le"]

    def __str__(self):
        return f"{self.nom} ({self.prefixe}…)"

    def libelles_portees(self):
        return ", ".join(PorteeApi(p).label for p in self.portees if p in PorteeApi.values)
