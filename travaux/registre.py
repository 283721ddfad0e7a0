"""Le registre des travaux : ce que fait chaque nature de traitement, inscrit par l'application qui le propose.

Chaque application inscrit ses travaux dans son AppConfig.ready() (rapports : rendu du Bilan et classeur du
tableau de bord ; echanges : imports et exports) ; le processus de fond (taches.py) lit ce registre et n'importe
aucun travail : l'application des travaux ne dépend d'aucune de celles qui s'en servent.

Un travail reçoit le Traitement et sa Progression ; il remplit `traitement.resultat` (et le fichier produit),
que deroulement enregistre à la fin.
"""

from django.core.exceptions import ImproperlyConfigured

TRAVAUX = {}


def inscrire(nature, travail):
    """Inscrit le travail d'une nature ; une nature n'a qu'un travail (inscrire le même deux fois ne fait rien)."""
    deja = TRAVAUX.get(nature)
    if deja is not None and deja is not travail:
        raise ImproperlyConfigured(
            f"Le travail « {nature} » est déjà inscrit ({deja.__module__}.{deja.__name__})."
        )
    TRAVAUX[nature] = travail


def travail_de(nature):
    try:
        return TRAVAUX[nature]
    except KeyError:
        raise LookupError(
            f"Aucune application n'a inscrit de travail « {nature} » (AppConfig.ready, travaux.registre)."
        ) from None
