"""Données de démonstration : un 2022 et un 2023 vraisemblables du dispositif rennais, dont le Bilan 2023
redonne, calculés par les indicateurs de l'application, les chiffres du bilan 2023 rédigé à la main.

Les chiffres que le bilan ne donne pas (nombres absolus) sont choisis pour que ceux qu'il donne tiennent :
- usagers reçus 2022 = 5 941, 2023 = 5 541 (−6,73 %) ; rendez-vous CCAS 2023 = 400 ; ARCS = 521 ;
  ERE déclarés = 4 151 → 5 541 + 400 + 521 + 4 151 = 10 613 personnes reçues ;
- permanences tenues 2022 = 600 (9,90 par permanence), 2023 = 430 (12,89 : +2,99) ;
- refus 2023 = 1 545 → 1 545 / (5 541 + 1 545) = 21,80 % sans réponse sur place ;
- démarches en ligne 2023 = 5 042 (91,0 %), dont Préfecture – droit des étrangers 2 700 (53,6 %),
  contre 2 318 en 2022 (+16,48 %).

Un module par domaine ; chacun écrit à travers les services de son application (journal compris).
"""

import random

from django.db import transaction

from inclusion.models import Demarche, Lieu

from . import document, equipe, formations, orientation, permanences
from .equipe import LIEUX, MOT_DE_PASSE

GRAINE = 2023

__all__ = ["GRAINE", "MOT_DE_PASSE", "charger", "est_charge"]


def est_charge():
    return Lieu.objects.filter(nom=LIEUX[0][0]).exists()


@transaction.atomic
def charger(stdout=None):
    """Charge les données de démonstration (idempotent : ne fait rien si elles sont déjà là)."""
    if est_charge():
        equipe.creer_comptes({})
        return False
    rng = random.Random(GRAINE)
    lieux, structures, mediateurs, informaticiens, fiches = equipe.creer_equipe()
    creneaux = permanences.planning(lieux, mediateurs)
    tenues = permanences.permanences(rng, creneaux, mediateurs)
    demarches = {d.code: d for d in Demarche.objects.all()}
    for annee in (2022, 2023):
        permanences.passages_et_refus(rng, annee, *tenues[annee], lieux, demarches)
        permanences.rendez_vous(rng, annee, lieux, mediateurs, informaticiens, demarches)
    formations.creer_formations(rng, lieux, fiches["formation"], structures)
    orientation.orienter(structures, demarches, graine=GRAINE + 1)
    document.declarer_chiffres()
    document.analyses()
    document.identite()
    equipe.creer_comptes(fiches)
    return True
