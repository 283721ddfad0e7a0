"""Règles des formations : thèmes, capacité et liste d'attente, présence, session tenue ou annulée."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from inclusion.delais import message_hors_delai
from inclusion.services import nom_propre

from .enums import Presence, StatutSession
from .models import Inscription, SessionFormation, Theme


class RegleFormation(Exception):
    """Action refusée par une règle ; le message est montré tel quel."""


def creer_theme(*, nom, **champs):
    """Un thème de formation (l'import et la démonstration passent par ici)."""
    return Theme.objects.create(nom=nom_propre(nom), **champs)


def _verrouiller(session_id):
    """Verrou d'écriture sur la session : sérialise les inscriptions concurrentes (PostgreSQL et SQLite)."""
    SessionFormation.objects.filter(pk=session_id).update(capacite=F("capacite"))
    return SessionFormation.objects.get(pk=session_id)


def inscrire(*, session, structure, nom="", email=""):
    """Inscrit un·e professionnel·le : confirmé·e s'il reste une place, sinon sur liste d'attente."""
    with transaction.atomic():
        session = _verrouiller(session.pk)
        if session.statut != StatutSession.PROGRAMMEE:
            raise RegleFormation("On ne peut s'inscrire qu'à une session programmée.")
        if email and session.inscriptions.filter(email__iexact=email).exists():
            raise RegleFormation("Cette personne est déjà inscrite à cette session.")
        confirmees = session.inscriptions.filter(liste_attente=False).count()
        try:
            with transaction.atomic():
                return Inscription.objects.create(
                    session=session,
                    structure=structure,
                    nom=nom,
                    email=email,
                    liste_attente=confirmees >= session.capacite,
                )
        except IntegrityError:
            raise RegleFormation("Cette personne est déjà inscrite à cette session.") from None


def promouvoir_liste_attente(session):
    """Confirme, dans l'ordre d'inscription, autant de personnes en attente que de places libres."""
    with transaction.atomic():
        session = _verrouiller(session.pk)
        libres = session.capacite - session.inscriptions.filter(liste_attente=False).count()
        if libres <= 0:
            return []
        promues = list(
            session.inscriptions.filter(liste_attente=True).order_by("date_inscription", "id")[:libres]
        )
        for inscription in promues:  # save() : chaque promotion entre au journal
            inscription.liste_attente = False
            inscription.save(update_fields=["liste_attente"])
        return promues


def desinscrire(inscription):
    """Retire une inscription ; la place libérée revient à la première personne en attente."""
    with transaction.atomic():
        session = inscription.session
        inscription.delete()
        return promouvoir_liste_attente(session)


def marquer_presence(inscription, present):
    if present not in Presence.values:
        raise RegleFormation("Valeur de présence inconnue.")
    if inscription.liste_attente and present == Presence.PRESENT:
        raise RegleFormation("Une personne sur liste d'attente ne peut pas être marquée présente.")
    inscription.present = present
    inscription.save(update_fields=["present"])
    return inscription


def _dans_le_delai(session, user):
    if message := message_hors_delai(session.date, user, quoi="Cette session"):
        raise RegleFormation(message)


def marquer_tenue(session, *, user):
    _dans_le_delai(session, user)
    minimum = settings.INCLUSION["MINIMUM_PRESENTS_SESSION_TENUE"]
    presents = session.inscriptions.filter(liste_attente=False, present=Presence.PRESENT).count()
    if session.statut == StatutSession.ANNULEE:
        raise RegleFormation("Cette session est annulée.")
    if presents < minimum:
        raise RegleFormation(
            f"Une session n'est tenue qu'avec au moins {minimum} participant·e·s présent·e·s "
            f"({presents} marqué·e·s présent·e·s)."
        )
    session.statut = StatutSession.TENUE
    session.save(update_fields=["statut"])
    return session


def annuler(session, motif, *, user):
    """Annule une session ; ses inscriptions sont conservées (elles comptent comme inscriptions)."""
    _dans_le_delai(session, user)
    if not motif or not motif.strip():
        raise RegleFormation("Indiquez le motif de l'annulation.")
    if session.statut == StatutSession.TENUE:
        raise RegleFormation("Une session tenue ne peut pas être annulée.")
    session.statut = StatutSession.ANNULEE
    session.motif_annulation = motif.strip()[:200]
    session.save(update_fields=["statut", "motif_annulation"])
    return session
