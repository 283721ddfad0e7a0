"""L'analyse de l'équipe : des points par section, dont le texte cite les chiffres par leur clé.

`{permanences.usagers_recus}` s'écrit avec la valeur de l'année (« 5 541 »), `{….precedent}` avec celle de
l'année précédente, `{….evolution}` avec l'évolution (« −6,7 % », « +33,5 pts ») ; une entrée de table se cite
par son code ou son nom : `{formations.structures_pct.CDAS}`. Le chiffre est rendu à partir des données à
chaque affichage : il ne périme jamais. Une clé inconnue est refusée à l'enregistrement.
"""

import re

from .definitions import DEFINITIONS, nature_de
from .formats import evolution_fr, valeur_fr

CITATION = re.compile(r"\{([a-z_]+\.[^{}\s]+)\}")
SUFFIXES = ("valeur", "precedent", "evolution")


def _decouper(cle):
    morceaux = cle.split(".")
    suffixe = morceaux[-1] if morceaux[-1] in SUFFIXES and len(morceaux) > 2 else "valeur"
    chemin = tuple(morceaux[:-1] if morceaux[-1] in SUFFIXES and len(morceaux) > 2 else morceaux)
    return chemin, suffixe


def cles_inconnues(texte):
    """Les citations d'un texte qui ne désignent aucun indicateur du Bilan."""
    return [cle for cle in CITATION.findall(texte or "") if not _connue(_decouper(cle)[0])]


def _connue(chemin):
    return len(chemin) >= 2 and f"{chemin[0]}.{chemin[1]}" in DEFINITIONS


def _feuille(indicateurs, chemin):
    noeud = indicateurs
    for cle in chemin:
        if not isinstance(noeud, dict):
            return None
        noeud = noeud.get(cle)
    return noeud if isinstance(noeud, dict) and "valeur" in noeud else None


def rendre(texte, indicateurs):
    """Le texte avec chaque citation remplacée par le chiffre mis en forme (« — » s'il n'existe pas cette année)."""

    def chiffre(correspondance):
        chemin, suffixe = _decouper(correspondance.group(1))
        if not _connue(chemin):
            return correspondance.group(0)
        feuille = _feuille(indicateurs, chemin)
        if feuille is None:
            return "—"
        if suffixe == "evolution":
            if feuille.get("comparabilite"):
                return "non comparable"
            en_points = "evolution_points" in feuille
            return evolution_fr(feuille.get("evolution_points" if en_points else "evolution_pct"), en_points)
        return valeur_fr(feuille.get(suffixe), nature_de(chemin))

    return CITATION.sub(chiffre, texte or "")
