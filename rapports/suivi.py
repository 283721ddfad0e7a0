"""Depuis quand chaque famille d'enregistrements est notée, et ce que cela dit d'une période.

Une famille (refus, temps d'attente, freins, quartiers, orientations, profil à l'accueil) n'a pas toujours été
notée : avant sa date de suivi, ses chiffres sont inconnus (null), jamais zéro. La date est celle que la
coordination a fixée dans l'administration (`SuiviDonnees`) ou, à défaut, le 1er janvier de l'année du premier
enregistrement de la famille.
"""

import datetime
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q

from .enums import FamilleSuivie
from .models import SuiviDonnees, annees_de, premiers_enregistrements

COMPLET, PARTIEL, NON_SUIVI = "complet", "partiel", "non_suivi"


def _une_ligne(requetes):
    """Les premières valeurs de plusieurs requêtes en une seule instruction SQL : SELECT (…), (…), …"""
    morceaux, parametres = [], []
    for requete in requetes:
        sql, params = requete[:1].query.sql_with_params()
        morceaux.append(f"({sql})")
        parametres.extend(params)
    with connection.cursor() as curseur:
        curseur.execute("SELECT " + ", ".join(morceaux), parametres)
        return [_en_date(valeur) for valeur in curseur.fetchone()]


def _en_date(valeur):
    """Le curseur brut rend une date (PostgreSQL) ou un texte AAAA-MM-JJ (SQLite)."""
    if valeur is None or isinstance(valeur, datetime.date):
        return valeur
    return datetime.date.fromisoformat(str(valeur)[:10])


def suivi_depuis():
    """{famille: date depuis laquelle elle est suivie, ou None si jamais notée} ; une requête SQL.

    La date fixée par la coordination prime ; à défaut, le 1er janvier de l'année du premier enregistrement.
    """
    premiers = premiers_enregistrements()
    fixees = [SuiviDonnees.objects.filter(famille=famille).values("depuis") for famille in premiers]
    valeurs = _une_ligne([*fixees, *premiers.values()])
    resultat = {}
    for famille, fixee, premier in zip(
        premiers, valeurs[: len(premiers)], valeurs[len(premiers) :], strict=True
    ):
        resultat[famille] = fixee or (datetime.date(premier.year, 1, 1) if premier else None)
    return resultat


@dataclass(frozen=True)
class EtatSuivi:
    """Ce que le suivi d'une famille dit d'une période [debut, fin[."""

    famille: str
    etat: str  # COMPLET, PARTIEL ou NON_SUIVI
    depuis: datetime.date | None

    @property
    def connu(self):
        return self.etat != NON_SUIVI

    @property
    def filtre_dates(self):
        """Sur une période partiellement suivie, les calculs ne portent que sur la partie suivie."""
        return Q(date__gte=self.depuis) if self.etat == PARTIEL else Q()

    @property
    def libelle(self):
        return FamilleSuivie(self.famille).label


def etat_suivi(famille, depuis, *, debut, fin):
    if depuis is None or depuis >= fin:
        return EtatSuivi(famille, NON_SUIVI, depuis)
    if depuis <= debut:
        return EtatSuivi(famille, COMPLET, depuis)
    return EtatSuivi(famille, PARTIEL, depuis)


def etats_suivi(depuis, *, debut, fin):
    """{famille: EtatSuivi} d'une période, à partir de suivi_depuis()."""
    return {famille: etat_suivi(famille, date, debut=debut, fin=fin) for famille, date in depuis.items()}


def zeros_confirmes():
    """{année: {famille}} : les années où la coordination a confirmé qu'une famille suivie n'a réellement aucun
    enregistrement (SuiviDonnees.zeros_confirmes) ; une requête."""
    resultat = {}
    for famille, texte in SuiviDonnees.objects.exclude(zeros_confirmes="").values_list(
        "famille", "zeros_confirmes"
    ):
        for annee in annees_de(texte):
            resultat.setdefault(annee, set()).add(famille)
    return resultat
