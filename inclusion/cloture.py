"""Les années closes : une fois son Bilan publié, une année ne se modifie plus, par aucun chemin.

Chaque modèle dont un enregistrement entre dans les chiffres d'une année hérite de `ProtegeeParLaCloture` et range
ses lignes par `champ_date_cloture` (une date, ou une année) : passages, arrivées, refus, permanences, rendez-vous,
sessions, inscriptions, accompagnements de professionnels, mais aussi les réglages d'une année (chiffres déclarés,
points d'analyse, dates de « Suivi des données »). Créer, modifier (vers ou depuis une année close) ou supprimer
lève `AnneeClose`, un message en français, quel que soit le chemin :
- save() et delete() d'un objet (ce mixin) ;
- update(), delete(), bulk_create() et bulk_update() d'un QuerySet (`QuerySetCloture`, dont héritent les QuerySet
  de ces modèles) ; les relations multiples (médiateurs d'une permanence) par le signal m2m_changed ;
- sur PostgreSQL, une fonction de déclencheur et un déclencheur par table (migrations inclusion 0010, 0011) : même le SQL
  écrit à la main (pointage de l'accueil, COPY de l'import, console) est refusé par la base.
Seuls les champs qu'aucun chiffre ne lit (`champs_hors_cloture` : ce que la purge efface, le compte qui a saisi)
restent modifiables. Un enregistrement valable sur une période (un créneau du planning : `champ_fin_cloture`) est
rangé dans chaque année que sa période touche : la part de sa période dans une année close, et ce qu'un chiffre y
lit, ne changent plus (on peut encore clore un créneau ouvert après la dernière année close). Un champ qui liste
des années (`champs_annees` : les zéros confirmés d'un suivi) ne gagne ni ne perd une année close. Une date de
suivi créée ou supprimée remplace (ou rétablit) la date par défaut de sa famille (`valeur_remplacee_cloture`) :
à cette même date, rien ne change et l'écriture passe.
L'import vérifie aussi chaque ligne, pour dire laquelle (echanges). Seule la coordination rouvre une année,
avec un motif, gardé dans l'historique (rapports.services).
"""

import datetime
import re

from django.db import models, transaction
from django.db.models.functions import ExtractYear
from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from .annees_closes import (
    AVANT_TOUTE_ANNEE,
    PAR_LOT,
    AnneeClose,
    ArriveeJamaisSupprimee,
    annees_closes,
    message_annee_close,
    refus_de_la_base_traduit,
    verifier_annee_ouverte,
)


def _par_lots(valeurs):
    valeurs = list(valeurs)
    for i in range(0, len(valeurs), PAR_LOT):
        yield valeurs[i : i + PAR_LOT]


def annees_listees(texte):
    """Les années qu'un champ texte liste (« 2024, 2025 ») ; la même lecture que le déclencheur PostgreSQL."""
    return {int(n) for n in re.findall(r"[0-9]+", texte or "")}


def verifier_annees_listees(modele, paires):
    """Lève AnneeClose si une année close entre dans un champ qui liste des années (`champs_annees`) ou en sort ;
    `paires` : (avant, après), des dictionnaires de valeurs, None pour une création ou une suppression."""
    changees = set()
    for avant, apres in paires:
        for nom in modele.champs_annees:
            changees |= annees_listees((avant or {}).get(nom)) ^ annees_listees((apres or {}).get(nom))
    verifier_annee_ouverte(*changees)


def colonnes_de_periode(modele):
    """Ce qu'on compare d'un enregistrement valable sur une période : début, fin, et les champs qu'un chiffre lit."""
    return [
        f.attname
        for f in modele._meta.concrete_fields
        if not f.primary_key and f.name not in modele.champs_hors_cloture
    ]


def _part_de_l_annee(modele, ligne, annee):
    """La part d'une période dans une année (premier et dernier jour, champs qu'un chiffre lit), None hors d'elle."""
    if ligne is None or ligne.get(modele.champ_date_cloture) is None:
        return None
    du, au = ligne[modele.champ_date_cloture], ligne.get(modele.champ_fin_cloture)
    premier, dernier = datetime.date(annee, 1, 1), datetime.date(annee, 12, 31)
    if du > dernier or (au is not None and au < premier):
        return None
    reste = {c: v for c, v in ligne.items() if c not in (modele.champ_date_cloture, modele.champ_fin_cloture)}
    return max(du, premier), min(au or dernier, dernier), reste


def verifier_periodes(modele, paires):
    """Lève AnneeClose si la part d'une année close d'un enregistrement valable sur une période change : (avant,
    après), des dictionnaires `colonnes_de_periode`, None pour une création ou une suppression. Une requête."""
    paires = list(paires)
    if not paires:
        return
    for annee in sorted(annees_closes()):
        if any(_part_de_l_annee(modele, a, annee) != _part_de_l_annee(modele, b, annee) for a, b in paires):
            raise AnneeClose(message_annee_close(annee), code="annee_close")


def _valeurs(objet, colonnes):
    """Les valeurs d'un objet, lues comme la base les rendrait (une date donnée en texte devient une date)."""
    champs = {f.attname: f for f in objet._meta.concrete_fields}
    return {c: champs[c].to_python(getattr(objet, c)) for c in colonnes}


class QuerySetCloture(models.QuerySet):
    """Les écritures en masse d'un modèle protégé : refusées si une ligne touchée (avant ou après) est d'une
    année close. Une mise à jour des seuls `champs_hors_cloture` passe (la purge, un compte supprimé)."""

    def _libres(self, champs):
        libres = self.model.champs_hors_cloture
        return all(self.model._meta.get_field(c).name in libres for c in champs)

    def _verifier_lignes(self, lignes):
        modele = self.model
        if modele.champ_fin_cloture:
            colonnes = colonnes_de_periode(modele)
            verifier_periodes(modele, ((ligne, None) for ligne in lignes.order_by().values(*colonnes)))
            return
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
        lignes = self.model._base_manager.db_manager(self.db).filter(pk__in=self.values("pk"))
        if self.model.portee_cloture == "dans_ou_avant":
            for objet in lignes:  # la suppression rétablit la valeur par défaut
                objet._verifier_remplacement(objet._date_actuelle())
            return
        self._verifier_lignes(lignes)

    def _lignes(self, lignes, colonnes):
        return {ligne.pop("pk"): ligne for ligne in lignes.order_by().values("pk", *colonnes)}

    def update(self, **valeurs):
        modele = self.model
        base = modele._base_manager.db_manager(self.db)
        listes = [
            modele._meta.get_field(c).attname
            for c in valeurs
            if modele._meta.get_field(c).name in modele.champs_annees
        ]
        periode = modele.champ_fin_cloture and not self._libres(valeurs)
        colonnes = [*listes, *(colonnes_de_periode(modele) if periode else [])]
        with refus_de_la_base_traduit(), transaction.atomic(using=self.db):
            avant = self._lignes(base.filter(pk__in=self.values("pk")), colonnes) if colonnes else {}
            if not self._libres(valeurs) and not periode:
                self._verifier_lignes(base.filter(pk__in=self.values("pk")))
            deplace = modele.champ_date_cloture.split("__")[0] in valeurs and not periode
            touchees = list(self.values_list("pk", flat=True)) if deplace else []
            nombre = super().update(**valeurs)
            for lot in _par_lots(touchees):  # la date ou la relation qui la porte a changé : l'année d'après
                self._verifier_lignes(base.filter(pk__in=lot))
            if colonnes:  # ce qu'on compare, relu après : la base a calculé les expressions (F(), Case…)
                apres = {}
                for lot in _par_lots(avant):
                    apres |= self._lignes(base.filter(pk__in=lot), colonnes)
                paires = [(avant[pk], apres.get(pk)) for pk in avant]
                verifier_annees_listees(modele, paires)
                if periode:
                    verifier_periodes(modele, paires)
        return nombre

    update.alters_data = True

    def delete(self):
        modele = self.model
        self.verifier_annees_ouvertes()
        if modele.champs_annees:
            verifier_annees_listees(modele, ((ligne, None) for ligne in self.values(*modele.champs_annees)))
        with refus_de_la_base_traduit():
            return super().delete()

    delete.alters_data = True
    delete.queryset_only = True

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        modele = self.model
        verifier_annees_listees(modele, ((None, _valeurs(o, modele.champs_annees)) for o in objs))
        if modele.champ_fin_cloture:
            colonnes = colonnes_de_periode(modele)
            verifier_periodes(modele, ((None, _valeurs(o, colonnes)) for o in objs))
        else:
            if modele.portee_cloture == "dans_ou_avant":
                for objet in objs:  # chacun remplace la valeur par défaut
                    objet._verifier_remplacement(objet._date_actuelle())
            else:
                verifier_annee_ouverte(*modele.dates_de(objs))
        with refus_de_la_base_traduit():
            return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        modele = self.model
        base = modele._base_manager.db_manager(self.db)
        noms = {modele._meta.get_field(c).name for c in fields}
        listes = [c for c in modele.champs_annees if c in noms]
        periode = modele.champ_fin_cloture and not self._libres(fields)
        colonnes = [*listes, *(colonnes_de_periode(modele) if periode else [])]
        if colonnes:  # avant : la base ; après : la même ligne, les champs mis à jour pris des objets
            mis_a_jour = [c for c in colonnes if _champ(modele, c) in noms]
            paires = []
            for lot in _par_lots(objs):
                avant = self._lignes(base.filter(pk__in=[o.pk for o in lot]), colonnes)
                paires += [
                    (a, a | _valeurs(o, mis_a_jour)) for o in lot if (a := avant.get(o.pk)) is not None
                ]
            verifier_annees_listees(modele, paires)
            if periode:
                verifier_periodes(modele, paires)
        if not self._libres(fields) and not periode:
            for lot in _par_lots(o.pk for o in objs):
                self._verifier_lignes(base.filter(pk__in=lot))
            verifier_annee_ouverte(
                *modele.dates_de(objs), dans_ou_avant=modele.portee_cloture == "dans_ou_avant"
            )
        with refus_de_la_base_traduit():
            return super().bulk_update(objs, fields, *args, **kwargs)


def _champ(modele, colonne):
    """Le nom du champ d'une colonne (lieu_id → lieu)."""
    return next(f.name for f in modele._meta.concrete_fields if f.attname == colonne)


class ProtegeeParLaCloture(models.Model):
    """Un enregistrement daté : ni créé, ni modifié, ni supprimé dans une année close.

    `champ_date_cloture` : le chemin (à la manière de l'ORM) de la date (ou de l'année) qui range l'enregistrement
    dans une année. Une modification vérifie l'année d'avant et celle d'après (déplacer vers ou depuis une année
    close). `portee_cloture = "dans_ou_avant"` : la valeur fige aussi les années closes qui la suivent (une date
    depuis laquelle des données sont suivies change les chiffres des années d'après).
    `champs_hors_cloture` : les champs qu'aucun chiffre ne lit, modifiables même dans une année close (save()
    d'un objet dont seuls ceux-là changent passe aussi).
    `champ_fin_cloture` : l'enregistrement vaut sur une période, de `champ_date_cloture` à ce champ (vide : sans
    fin) ; la part de la période dans une année close, et ce qu'un chiffre y lit, ne changent plus.
    `champs_annees` : des champs qui listent des années (« 2024, 2025 ») ; une année close n'y entre ni n'en sort.
    """

    champ_date_cloture = "date"
    champ_fin_cloture = None
    portee_cloture = "annee"
    champs_hors_cloture = frozenset()
    champs_annees = frozenset()
    # La fonction SQL qui donne, sur PostgreSQL, ce que donne valeur_remplacee_cloture() (le déclencheur l'appelle).
    fonction_sql_valeur_remplacee = ""
    jamais_supprime = False
    message_jamais_supprime = ""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._verifier_annees_listees()
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
        if self.champs_annees:
            verifier_annees_listees(type(self), [(self._enregistre(self.champs_annees), None)])
        if self.champ_fin_cloture:
            verifier_periodes(type(self), [(self._enregistre(colonnes_de_periode(type(self))), None)])
        elif self.portee_cloture == "dans_ou_avant":
            self._verifier_remplacement(self._date_enregistree() or self._date_actuelle())
        else:
            verifier_annee_ouverte(self._date_enregistree() or self._date_actuelle())
        with refus_de_la_base_traduit():
            return super().delete(*args, **kwargs)

    def clean(self):
        """Un formulaire (administration, pages) dit l'année close comme une erreur du formulaire."""
        super().clean()
        self._verifier_annees_listees()
        self._verifier_cloture()

    def _verifier_cloture(self):
        if self.champ_fin_cloture:
            colonnes = colonnes_de_periode(type(self))
            verifier_periodes(type(self), [(self._enregistre(colonnes), _valeurs(self, colonnes))])
            return
        if self._state.adding and self.portee_cloture == "dans_ou_avant":
            self._verifier_remplacement(self._date_actuelle())
            return
        valeurs = [self._date_actuelle(), self._date_enregistree()]
        try:
            verifier_annee_ouverte(*valeurs, dans_ou_avant=self.portee_cloture == "dans_ou_avant")
        except AnneeClose:
            if not self._seuls_champs_hors_cloture_changent():
                raise

    def valeur_remplacee_cloture(self):
        """Portée « dans_ou_avant » : la valeur qu'une création remplace et qu'une suppression rétablit (la date par
        défaut d'un suivi : rapports.models.SuiviDonnees) ; None : aucune (après toute année). Par défaut, « avant
        toute année » : créer ou supprimer touche alors toute année close."""
        return AVANT_TOUTE_ANNEE

    def _verifier_remplacement(self, valeur):
        """Créer (ou supprimer) `valeur` à la place de la valeur par défaut : rien ne change si elles sont égales ;
        sinon ni l'une ni l'autre ne tombe dans une année close ou avant elle."""
        remplacee = self.valeur_remplacee_cloture()
        if remplacee != valeur:
            verifier_annee_ouverte(valeur, remplacee, dans_ou_avant=True)

    def _enregistre(self, colonnes):
        """Les valeurs de ces colonnes dans la base, None pour un objet pas encore enregistré."""
        if self._state.adding or self.pk is None:
            return None
        return type(self)._base_manager.filter(pk=self.pk).values(*colonnes).first()

    def _seuls_champs_hors_cloture_changent(self):
        """Vrai si l'objet est enregistré, diffère de la base par un champ qu'aucun chiffre ne lit (un commentaire,
        des zéros confirmés) et par lui seul ; une requête, seulement quand l'année est close. Un save() qui ne
        change rien reste refusé (il écrirait encore une ligne au journal d'une année close)."""
        comptes = colonnes_de_periode(type(self))
        libres = [f.attname for f in self._meta.concrete_fields if f.name in self.champs_hors_cloture]
        enregistre = self._enregistre([*comptes, *libres])
        if enregistre is None or not libres:
            return False
        actuel = _valeurs(self, [*comptes, *libres])
        return all(enregistre[c] == actuel[c] for c in comptes) and any(
            enregistre[c] != actuel[c] for c in libres
        )

    def _verifier_annees_listees(self):
        if self.champs_annees:
            verifier_annees_listees(
                type(self), [(self._enregistre(self.champs_annees), _valeurs(self, self.champs_annees))]
            )

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
    protege = model if reverse else type(instance)
    if not issubclass(protege, ProtegeeParLaCloture):
        return
    relation = next(f for f in protege._meta.many_to_many if f.remote_field.through is sender)
    if relation.name in protege.champs_hors_cloture:  # les médiateurs habituels d'un créneau : aucun chiffre
        return
    if not reverse and protege.champ_fin_cloture:
        QuerySetCloture(model=protege)._verifier_lignes(protege._base_manager.filter(pk=instance.pk))
    elif not reverse:
        verifier_annee_ouverte(instance._date_enregistree() or instance._date_actuelle())
    else:
        lignes = model._base_manager.all()
        lignes = (
            lignes.filter(pk__in=pk_set) if pk_set is not None else lignes.filter(**{relation.name: instance})
        )
        QuerySetCloture(model=model)._verifier_lignes(lignes)
