"""Les années closes : une fois son Bilan publié, une année ne se modifie plus, par aucun chemin.

Chaque modèle d'enregistrement daté (arrivées, refus, passages, permanences, rendez-vous, sessions,
inscriptions, accompagnements de professionnels) hérite de `ProtegeeParLaCloture` : créer, modifier (vers ou
depuis une année close) ou supprimer lève `AnneeClose`, un message en français. L'import vérifie chaque ligne
(rapports.echanges) et le pointage de l'accueil porte la même condition dans son instruction SQL. Seule la
coordination rouvre une année, avec un motif, gardé dans l'historique (rapports.services).
"""

from django.core.exceptions import ValidationError
from django.db import models


class AnneeClose(ValidationError):
    """Écriture refusée : l'année est close par la publication de son Bilan."""


def message_annee_close(annee):
    return (
        f"L'année {annee} est close : son Bilan est publié. Ses enregistrements ne peuvent plus être créés, "
        "modifiés ni supprimés ; la coordination peut rouvrir l'année depuis le Bilan, avec un motif."
    )


def annees_closes():
    from .models import ClotureAnnee

    return set(ClotureAnnee.objects.filter(close=True).values_list("annee", flat=True))


def verifier_annee_ouverte(*dates):
    """Lève AnneeClose si l'une des dates (None ignorées) tombe dans une année close ; une requête SQL."""
    from .models import ClotureAnnee

    annees = {d.year for d in dates if d is not None}
    if not annees:
        return
    closes = sorted(ClotureAnnee.objects.filter(annee__in=annees, close=True).values_list("annee", flat=True))
    if closes:
        raise AnneeClose(message_annee_close(closes[0]), code="annee_close")


class ProtegeeParLaCloture(models.Model):
    """Un enregistrement daté : ni créé, ni modifié, ni supprimé dans une année close.

    `champ_date_cloture` : le chemin (à la manière de l'ORM) de la date qui range l'enregistrement dans une
    année. Une modification vérifie l'année d'avant et celle d'après (déplacer vers ou depuis une année close).
    """

    champ_date_cloture = "date"

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        verifier_annee_ouverte(self._date_actuelle(), self._date_enregistree())
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        verifier_annee_ouverte(self._date_enregistree() or self._date_actuelle())
        return super().delete(*args, **kwargs)

    def _date_actuelle(self):
        objet = self
        for morceau in self.champ_date_cloture.split("__"):
            objet = getattr(objet, morceau, None)
            if objet is None:
                return None
        return objet

    def _date_enregistree(self):
        if self._state.adding or self.pk is None:
            return None
        return (
            type(self)
            ._base_manager.filter(pk=self.pk)
            .values_list(self.champ_date_cloture, flat=True)
            .first()
        )
