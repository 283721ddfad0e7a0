from django.conf import settings
from django.db import models


class FichierImporte(models.Model):
    """Empreinte de chaque fichier importé : réimporter le même fichier ne duplique rien."""

    nom = models.CharField("fichier", max_length=100)
    empreinte = models.CharField("empreinte SHA-256", max_length=64, unique=True)
    lignes = models.PositiveIntegerField("lignes")
    importe_le = models.DateTimeField("importé le", auto_now_add=True)
    importe_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        db_table = "rapports_fichierimporte"  # table gardée : le modèle vient de rapports (#32)
        verbose_name = "fichier importé"
        verbose_name_plural = "fichiers importés"
        ordering = ["-importe_le"]

    def __str__(self):
        return f"{self.nom} ({self.lignes} lignes, {self.importe_le:%d/%m/%Y})"
