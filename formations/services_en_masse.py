"""Écritures en masse de l'import (voir permanences.services_en_masse) : inscriptions et accompagnements."""

from simple_history.utils import bulk_create_with_history

from inclusion.journal import RAISON_IMPORT

from .models import AccompagnementFormation, Inscription


def creer_inscriptions(inscriptions, *, auteur=None, raison=RAISON_IMPORT):
    bulk_create_with_history(
        inscriptions, Inscription, batch_size=2000, default_user=auteur, default_change_reason=raison
    )


def creer_accompagnements(accompagnements):
    AccompagnementFormation.objects.bulk_create(accompagnements, batch_size=2000)
