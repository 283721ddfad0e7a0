"""Jusqu'à quand on peut saisir ou corriger après coup : une règle, pour tous les enregistrements datés.

Au-delà de DELAI_SAISIE_PASSAGE_JOURS (30 jours par défaut), seule la coordination crée, modifie ou annule une
permanence, un passage, un rendez-vous ou une session ; un pointage de l'accueil ne peut pas être plus ancien
que TOLERANCE_POINTAGE_HEURES (72 heures : la file hors ligne d'une tablette restée sans réseau un week-end).
Une année close (inclusion.cloture) reste fermée à tous, coordination comprise.
"""

import datetime

from django.conf import settings
from django.utils import timezone

from .annees_closes import message_si_annee_close
from .enums import Role
from .roles import roles_de


def message_hors_delai(jour, user, *, quoi, pronom="la"):
    """Le message qui refuse d'écrire à cette date pour cet utilisateur, ou "" si c'est permis. Une année close
    l'emporte sur le délai : personne n'y écrit, coordination comprise, et le message le dit (sans renvoyer à la
    coordination, qui ne le peut pas non plus)."""
    if jour is None:
        return ""
    if message := message_si_annee_close(jour):
        return message
    jours = settings.INCLUSION["DELAI_SAISIE_PASSAGE_JOURS"]
    if (timezone.localdate() - jour).days <= jours:
        return ""
    if Role.COORDINATION in roles_de(user):
        return ""
    return f"{quoi} date de plus de {jours} jours : seule la coordination peut {pronom} modifier."


def plus_ancien_pointage_admis():
    return timezone.now() - datetime.timedelta(hours=settings.INCLUSION["TOLERANCE_POINTAGE_HEURES"])
