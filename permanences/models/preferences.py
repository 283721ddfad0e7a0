"""Préférences d'affichage de l'accueil : les lieux qu'un agent tient d'habitude (« Mes lieux »)."""

from django.conf import settings
from django.db import models

from inclusion.models import Lieu


class LieuHabituel(models.Model):
    """Un lieu qu'un agent d'accueil tient d'habitude : à l'accueil, ses cartes viennent d'abord (« Mes lieux »),
    celles des autres lieux derrière « Autres lieux ». Une préférence d'affichage, pas un droit : qui pointe où
    reste décidé par Lieu.objects.accessibles_a. Aucun chiffre ne la lit."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="agent",
        on_delete=models.CASCADE,
        related_name="lieux_habituels",
    )
    lieu = models.ForeignKey(Lieu, verbose_name="lieu", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = "lieu habituel d'un agent d'accueil"
        verbose_name_plural = "lieux habituels des agents d'accueil"
        constraints = [models.UniqueConstraint(fields=["user", "lieu"], name="lieu_habituel_unique")]

    def __str__(self):
        return f"{self.lieu} ({self.user})"
