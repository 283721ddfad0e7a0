"""Les années closes : une fois son Bilan publié, une année ne se modifie plus, par aucun chemin.

Chaque modèle dont un enregistrement entre dans les chiffres d'une année hérite de `ProtegeeParLaCloture` et range
ses lignes par `champ_date_cloture` (une date, ou une année) : passages, arrivées, refus, permanences, rendez-vous,
sessions, inscriptions, accompagnements de professionnels, mais aussi les réglages d'une année (chiffres déclarés,
points d'analyse, dates de « Suivi des données »). Créer, modifier (vers ou depuis une année close) ou supprimer
lève `AnneeClose`, un message en français, quel que soit le chemin :
- save() et delete() d'un objet (ce mixin) ;
- update(), delete(), bulk_create() et bulk_update() d'un QuerySet (`QuerySetCloture`, dont héritent les QuerySet
  de ces modèles) ; les relations multiples (médiateurs d'une permanence) par le signal m2m_changed ;
- sur PostgreSQL, une fonction de déclencheur et un déclencheur par table (migration inclusion 0010) : même le SQL
  écrit à la main (pointage de l'accueil, COPY de l'import, console) est refusé par la base.
Seuls les champs qu'aucun chiffre ne lit (`champs_hors_cloture` : ce que la purge efface, le compte qui a saisi)
restent modifiables. L'import vérifie aussi chaque ligne, pour dire laquelle (echanges). Seule la
coordination rouvre une année, avec un motif, gardé dans l'historique (rapports.services).
"""

import datetime
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction
from django.db.models.functions import ExtractYear
from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from .models import ClotureAnnee

# Le nom de la contrainte que lève le déclencheur PostgreSQL (migration inclusion 0010).
CONTRAINTE_DU_DECLENCHEUR = "annee_close"
# « Avant toute année » : une date de suivi créée ou supprimée remplace la date par défaut, le 1er janvier de
# l'année du premier enregistrement (rapports.suivi), qui peut tomber dans n'importe quelle année close.
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


def _par_lots(valeurs):
    valeurs = list(valeurs)
    for i in range(0, len(valeurs), PAR_LOT):
        yield valeurs[i : i + PAR_LOT]


class QuerySetCloture(models.QuerySet):
    """Les écritures en masse d'un modèle protégé : refusées si une ligne touchée (avant ou après) est d'une
    année close. Une mise à jour des seuls `champs_hors_cloture` passe (la purge, un compte supprimé)."""

    def _libres(self, champs):
        libres = self.model.champs_hors_cloture
        return all(self.model._meta.get_field(c).name in libres for c in champs)

    def _verifier_lignes(self, lignes):
        modele = self.model
        chemin = modele.champ_date_cloture
        valeurs = lignes.order_by()
        if isinstance(modele._meta.get_field(chemin.split("__")[0]), models.DateField) or "__" in chemin:
            valeurs = valeurs.annotate(_annee_cloture=ExtractYear(chemin)).values_list(
                "_annee_cloture", flat=True
            )
        else:
            valeurs = valeurs.values_list(chemin, flat=True)
        verifier_annee_ouverte(*valeurs.distinct(), dans_ou_avant=modele.portee_cloture == "dans_ou_avant")

    def verifier_annees_ouvertes(self):
        """Lève AnneeClose si une ligne de ce QuerySet est d'une année close (avant de proposer une suppression)."""
        if self.model.jamais_supprime:
            raise ArriveeJamaisSupprimee(self.model.message_jamais_supprime)
        self._verifier_lignes(self.model._base_manager.db_manager(self.db).filter(pk__in=self.values("pk")))

    def update(self, **valeurs):
        if self._libres(valeurs):
            with refus_de_la_base_traduit():
                return super().update(**valeurs)
        base = self.model._base_manager.db_manager(self.db)
        with refus_de_la_base_traduit(), transaction.atomic(using=self.db):
            self._verifier_lignes(base.filter(pk__in=self.values("pk")))
            deplace = self.model.champ_date_cloture.split("__")[0] in valeurs
            touchees = list(self.values_list("pk", flat=True)) if deplace else []
            nombre = super().update(**valeurs)
            for lot in _par_lots(touchees):  # la date ou la relation qui la porte a changé : l'année d'après
                self._verifier_lignes(base.filter(pk__in=lot))
        return nombre

    update.alters_data = True

    def delete(self):
        modele = self.model
        self.verifier_annees_ouvertes()
        if modele.portee_cloture == "dans_ou_avant" and self.exists():
            verifier_annee_ouverte(AVANT_TOUTE_ANNEE, dans_ou_avant=True)
        with refus_de_la_base_traduit():
            return super().delete()

    delete.alters_data = True
    delete.queryset_only = True

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        modele = self.model
        dates = modele.dates_de(objs)
        if modele.portee_cloture == "dans_ou_avant" and objs:
            dates.append(AVANT_TOUTE_ANNEE)
        verifier_annee_ouverte(*dates, dans_ou_avant=modele.portee_cloture == "dans_ou_avant")
        with refus_de_la_base_traduit():
            return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        if not self._libres(fields):
            base = self.model._base_manager.db_manager(self.db)
            for lot in _par_lots(o.pk for o in objs):
                self._verifier_lignes(base.filter(pk__in=lot))
            verifier_annee_ouverte(
                *self.model.dates_de(objs), dans_ou_avant=self.model.portee_cloture == "dans_ou_avant"
            )
        with refus_de_la_base_traduit():
            return super().bulk_update(objs, fields, *args, **kwargs)


class ProtegeeParLaCloture(models.Model):
    """Un enregistrement daté : ni créé, ni modifié, ni supprimé dans une année close.

    `champ_date_cloture` : le chemin (à la manière de l'ORM) de la date (ou de l'année) qui range l'enregistrement
    dans une année. Une modification vérifie l'année d'avant et celle d'après (déplacer vers ou depuis une année
    close). `portee_cloture = "dans_ou_avant"` : la valeur fige aussi les années closes qui la suivent (une date
    depuis laquelle des données sont suivies change les chiffres des années d'après).
    `champs_hors_cloture` : les champs qu'aucun chiffre ne lit, modifiables même dans une année close.
    """

    champ_date_cloture = "date"
    portee_cloture = "annee"
    champs_hors_cloture = frozenset()
    jamais_supprime = False
    message_jamais_supprime = ""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        champs = kwargs.get("update_fields")
        if champs is not None and not self._state.adding:
            reste = set(champs) - self.champs_hors_cloture
            # Passage.save() ajoute toujours sa date (copiée de la permanence) : inchangée, elle ne compte pas.
            if not reste or (
                reste == {self.champ_date_cloture} and self._date_actuelle() == self._date_enregistree()
            ):
                with refus_de_la_base_traduit():
                    return super().save(*args, **kwargs)
        self._verifier_cloture()
        with refus_de_la_base_traduit():
            return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.jamais_supprime:
            raise ArriveeJamaisSupprimee(self.message_jamais_supprime)
        valeurs = [self._date_enregistree() or self._date_actuelle()]
        if self.portee_cloture == "dans_ou_avant":
            valeurs.append(AVANT_TOUTE_ANNEE)
        verifier_annee_ouverte(*valeurs, dans_ou_avant=self.portee_cloture == "dans_ou_avant")
        with refus_de_la_base_traduit():
            return super().delete(*args, **kwargs)

    def clean(self):
        """Un formulaire (administration, pages) dit l'année close comme une erreur du formulaire."""
        super().clean()
        self._verifier_cloture()

    def _verifier_cloture(self):
        valeurs = [self._date_actuelle(), self._date_enregistree()]
        if self._state.adding and self.portee_cloture == "dans_ou_avant":
            valeurs.append(AVANT_TOUTE_ANNEE)
        verifier_annee_ouverte(*valeurs, dans_ou_avant=self.portee_cloture == "dans_ou_avant")

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

    @classmethod
    def dates_de(cls, objets):
        """Les dates (ou années) d'objets pas encore enregistrés, en une requête par lot pour une date lue à
        travers une relation (la permanence d'une arrivée)."""
        relation, _, reste = cls.champ_date_cloture.partition("__")
        if not reste:
            return [getattr(o, relation) for o in objets]
        champ = cls._meta.get_field(relation)
        cles = {getattr(o, champ.attname) for o in objets} - {None}
        dates = []
        for lot in _par_lots(cles):
            dates += (
                champ.related_model._base_manager.filter(pk__in=lot).values_list(reste, flat=True).distinct()
            )
        return dates


@receiver(m2m_changed, dispatch_uid="cloture_relations_multiples")
def _relations_multiples(sender, instance, action, reverse, model, pk_set, **kwargs):
    """Ajouter ou retirer un médiateur d'une permanence d'une année close est une écriture dans cette année."""
    if action not in ("pre_add", "pre_remove", "pre_clear"):
        return
    if not reverse and isinstance(instance, ProtegeeParLaCloture):
        verifier_annee_ouverte(instance._date_enregistree() or instance._date_actuelle())
    elif reverse and issubclass(model, ProtegeeParLaCloture):
        cote = next(f for f in model._meta.many_to_many if f.remote_field.through is sender)
        lignes = model._base_manager.all()
        lignes = (
            lignes.filter(pk__in=pk_set) if pk_set is not None else lignes.filter(**{cote.name: instance})
        )
        QuerySetCloture(model=model)._verifier_lignes(lignes)


def arguments_du_declencheur(modele):
    """Les arguments du déclencheur PostgreSQL d'un modèle protégé, tirés de sa déclaration (la migration les
    écrit en dur ; un test vérifie qu'ils suivent le modèle) : colonne, table et colonne de la date lue à travers
    une relation, colonnes libres, portée."""
    relation, _, reste = modele.champ_date_cloture.partition("__")
    champ = modele._meta.get_field(relation)
    libres = sorted(modele._meta.get_field(nom).column for nom in modele.champs_hors_cloture)
    if reste:
        cible = champ.related_model
        return (
            champ.column,
            cible._meta.db_table,
            cible._meta.get_field(reste).column,
            ",".join(libres),
            "annee",
        )
    return (champ.column, "", "", ",".join(libres), modele.portee_cloture)
