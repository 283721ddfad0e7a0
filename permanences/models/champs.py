"""Les champs communs aux passages et aux rendez-vous (models/__init__.py et models/rendez_vous.py les
reprennent d'ici : aucun des deux n'importe l'autre pour les avoir)."""

from django.db import models

from inclusion.models import Demarche, Quartier, Structure

from ..enums import Genre, TrancheAge, TypeDemande

DUREE_MAX_MINUTES = 480


def champ_orientation():
    """Structure de l'annuaire vers laquelle la personne est orientée (passages et refus)."""
    return models.ForeignKey(
        Structure,
        verbose_name="orienté vers",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )


def champ_quartier():
    """Quartier de résidence déclaré (passages et rendez-vous) ; vide : non communiqué."""
    return models.ForeignKey(
        Quartier,
        verbose_name="quartier de résidence",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )


class ChampsAccompagnement(models.Model):
    """Champs communs à un passage en permanence et à un rendez-vous individuel."""

    type_demande = models.CharField("type de demande", max_length=30, choices=TypeDemande.choices)
    demarche = models.ForeignKey(
        Demarche, verbose_name="démarche", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    tranche_age = models.CharField(
        "tranche d'âge", max_length=20, choices=TrancheAge.choices, default=TrancheAge.NON_COMMUNIQUE
    )
    genre = models.CharField("genre", max_length=20, choices=Genre.choices, default=Genre.NON_COMMUNIQUE)

    class Meta:
        abstract = True
