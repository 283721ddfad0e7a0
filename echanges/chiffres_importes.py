"""Les chiffres d'un autre dispositif (son Bilan JSON, ou la réponse de notre API enregistrée dans un fichier)
déclarés pour le total du dispositif, sans ressaisie, avec leur source.

On prend « personnes reçues, enregistrements seuls » de l'autre Bilan (ce que ce dispositif a lui-même
enregistré) : ses propres chiffres déclarés ne sont pas repris, pour ne jamais compter deux fois une personne
déclarée des deux côtés. Le chiffre entre sous « personnes reçues déclarées » de la même année, avec sa source ;
un chiffre déjà déclaré d'une autre source n'est pas écrasé (refus, avec la raison). Une année close (son Bilan
publié) ne reçoit plus rien (inclusion.cloture).
"""

from decimal import Decimal

from django.db import transaction

from inclusion.annees_closes import AnneeClose, verifier_annee_ouverte
from inclusion.json_sur import JsonRefuse, lire_json
from rapports.bilan import CLE_EXTERNES
from rapports.models import ChiffreExterne

TAILLE_MAX_OCTETS = 5 * 1024 * 1024
VERSIONS_LUES = {2}


class ImportChiffresRefuse(Exception):
    pass


def lire_bilan(contenu):
    """(année, personnes reçues enregistrées) d'un Bilan JSON ; ImportChiffresRefuse en français sinon."""
    try:
        bilan = lire_json(contenu, taille_max=TAILLE_MAX_OCTETS)
    except JsonRefuse as refus:
        raise ImportChiffresRefuse(
            f"{str(refus).capitalize()} : le Bilan JSON d'un autre dispositif est attendu."
        ) from None
    if not isinstance(bilan, dict) or bilan.get("version") not in VERSIONS_LUES:
        raise ImportChiffresRefuse(
            "Ce n'est pas un Bilan JSON que l'application sait lire (version 2 attendue)."
        )
    annee = bilan.get("annee")
    if not isinstance(annee, int) or isinstance(annee, bool) or not 2000 <= annee <= 2100:
        raise ImportChiffresRefuse("Année du Bilan absente ou invalide.")
    dispositif = bilan.get("dispositif")
    feuille = dispositif.get("personnes_recues_hors_declares") if isinstance(dispositif, dict) else None
    valeur = feuille.get("valeur") if isinstance(feuille, dict) else None
    if not isinstance(valeur, int | float) or isinstance(valeur, bool) or not 0 <= valeur < 10**9:
        raise ImportChiffresRefuse(
            f"Ce Bilan {annee} ne donne pas de nombre de personnes reçues enregistrées."
        )
    return annee, valeur


@transaction.atomic
def declarer_un_autre_dispositif(contenu, *, source, auteur=None):
    """Déclare le nombre de personnes reçues par l'autre dispositif ; renvoie le ChiffreExterne écrit."""
    source = (source or "").strip()
    if not source:
        raise ImportChiffresRefuse(
            "Nommez le dispositif d'où vient ce Bilan (la source est gardée avec le chiffre)."
        )
    annee, valeur = lire_bilan(contenu)
    try:
        verifier_annee_ouverte(annee)
    except AnneeClose as refus:
        raise ImportChiffresRefuse(refus.message) from None
    libelle = f"{source[:150]} (Bilan JSON importé)"
    existant = ChiffreExterne.objects.select_for_update().filter(annee=annee, indicateur=CLE_EXTERNES).first()
    if existant is not None and existant.source != libelle:
        raise ImportChiffresRefuse(
            f"Un nombre de personnes reçues déclarées existe déjà pour {annee} (source : {existant.source or 'non dite'}) : "
            "modifiez-le dans l'administration (« Chiffres externes ») plutôt que de l'écraser."
        )
    chiffre = existant or ChiffreExterne(annee=annee, indicateur=CLE_EXTERNES)
    chiffre.valeur, chiffre.source = Decimal(str(valeur)), libelle
    chiffre.commentaire = (
        "Personnes reçues enregistrées par ce dispositif (hors ses propres chiffres déclarés)."
    )
    chiffre._history_user = auteur
    chiffre.save()
    return chiffre
