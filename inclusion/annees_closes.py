"""Ce qu'est une année close, pour tous ceux qui la vérifient ou la disent : le refus (`AnneeClose`) et son message,
les années closes, la clôture d'une date (pour les pages), le refus du déclencheur PostgreSQL traduit. La garde
de chaque chemin d'écriture est dans inclusion.cloture, qui s'appuie sur ce module."""

import datetime
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import DatabaseError

from .models import ClotureAnnee

# Le nom de la contrainte que lève le déclencheur PostgreSQL (migration inclusion 0010).
CONTRAINTE_DU_DECLENCHEUR = "annee_close"
# « Avant toute année » : ce qu'une valeur de portée « dans_ou_avant » créée ou supprimée remplace, faute de mieux
# (voir ProtegeeParLaCloture.valeur_remplacee_cloture) : créer ou supprimer touche alors toute année close.
AVANT_TOUTE_ANNEE = 1
PAR_LOT = 500


class AnneeClose(ValidationError):
    """Écriture refusée : l'année est close par la publication de son Bilan."""


class ArriveeJamaisSupprimee(ValidationError):
    """Une arrivée n'est jamais supprimée : elle est annulée (qui, quand), et reste comptée comme annulée."""


def message_annee_close(annee):
    return (
        f"L'année {annee} est close : son Bilan est publié. Ses enregistrements ne peuvent plus être créés, "
        "modifiés ni supprimés ; la coordination peut rouvrir l'année depuis le Bilan, avec un motif."
    )


def annees_closes():
    return set(ClotureAnnee.objects.filter(close=True).values_list("annee", flat=True))


def cloture_de(valeur):
    """La clôture (`ClotureAnnee`) de l'année d'une date ou d'une année, si cette année est close ; sinon None.
    Une requête (aucune pour None). Les pages s'en servent pour ne proposer aucune modification et le dire."""
    if valeur is None:
        return None
    return ClotureAnnee.objects.filter(annee=_annee(valeur), close=True).first()


def message_si_annee_close(valeur):
    """Le message qui refuse d'écrire dans l'année de cette date (ou de cette année), pour tous, coordination
    comprise ; "" si l'année est ouverte. Une requête."""
    cloture = cloture_de(valeur)
    return message_annee_close(cloture.annee) if cloture else ""


def _annee(valeur):
    return valeur.year if isinstance(valeur, datetime.date) else int(valeur)


def verifier_annee_ouverte(*valeurs, dans_ou_avant=False):
    """Lève AnneeClose si l'une des valeurs (dates ou années, None ignorées) tombe dans une année close ; avec
    `dans_ou_avant`, si une année close la suit aussi (une date de « Suivi des données »). Une requête SQL."""
    annees = {_annee(v) for v in valeurs if v is not None}
    if not annees:
        return
    closes = ClotureAnnee.objects.filter(close=True)
    closes = closes.filter(annee__gte=min(annees)) if dans_ou_avant else closes.filter(annee__in=annees)
    premiere = closes.order_by("annee").values_list("annee", flat=True).first()
    if premiere is not None:
        raise AnneeClose(message_annee_close(premiere), code="annee_close")


def annee_close_de(erreur):
    """L'AnneeClose que représente une erreur de la base (le déclencheur PostgreSQL), ou None."""
    if isinstance(erreur, AnneeClose):
        return erreur
    # L'erreur de Django enveloppe celle de psycopg ; le COPY de l'import lève celle de psycopg directement.
    diagnostic = getattr(erreur, "diag", None) or getattr(getattr(erreur, "__cause__", None), "diag", None)
    if getattr(diagnostic, "constraint_name", None) == CONTRAINTE_DU_DECLENCHEUR:
        return AnneeClose(diagnostic.message_primary, code="annee_close")
    return None


@contextmanager
def refus_de_la_base_traduit():
    """Le refus du déclencheur PostgreSQL devient AnneeClose, avec son message en français."""
    try:
        yield
    except DatabaseError as erreur:
        if (refus := annee_close_de(erreur)) is not None:
            raise refus from erreur
        raise
