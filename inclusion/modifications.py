"""La date de dernière modification des grandes familles d'enregistrements (passages, arrivées, refus,
rendez-vous), tenue par tous les chemins d'écriture : save() (y compris avec update_fields), bulk_create (auto_now),
update() en masse (AvecModificationQuerySet), COPY de l'import (permanences.services_en_masse).

L'empreinte des données du Bilan (rapports.empreinte) lit le nombre et la dernière modification de
chaque famille : un rendu stocké n'est resservi que si rien n'a changé depuis.
"""

from django.db import models
from django.utils import timezone


class AvecModificationQuerySet(models.QuerySet):
    def update(self, **valeurs):
        valeurs.setdefault("modifie_le", timezone.now())
        return super().update(**valeurs)


class AvecModification(models.Model):
    modifie_le = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "modifie_le"}
        super().save(*args, **kwargs)
