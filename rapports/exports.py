"""Exports XLSX du tableau de bord : indicateurs comparés, et passages et rendez-vous regroupés à k personnes
au moins (confidentialite.anonymat) sous les filtres. Chaque feuille passe par la règle de sortie des petits groupes
(rapports.secret_statistique)."""

import dataclasses

from confidentialite.anonymat import lisez_moi, passages_regroupes, rendez_vous_regroupes
from permanences.models import Passage, RendezVous

from .lignes import Lignes
from .presentation import feuilles_de, libelles_codes
from .secret_statistique import proteger

ENTETES_INDICATEURS = (
    "indicateur",
    "libellé",
    "valeur",
    "année précédente",
    "évolution %",
    "évolution (points)",
    "comparabilité",
    "secret statistique",
)


def lignes_indicateurs(comparaison):
    """Une ligne par feuille : code pointé, libellé français, valeurs, évolutions (% et points) et raison."""
    lignes = Lignes(comparaison, libelles_codes())
    for chemin, f in feuilles_de(comparaison.indicateurs):
        yield (
            ".".join(str(c) for c in chemin),
            lignes.libelle_de(chemin),
            f["valeur"],
            f["precedent"],
            f["evolution_pct"],
            f.get("evolution_points"),
            f.get("comparabilite", ""),
            _secret(f),
        )


def _secret(feuille):
    cotes = feuille.get("secret_statistique") or []
    if not cotes:
        return ""
    quoi = " et ".join({"valeur": "valeur", "precedent": "année précédente"}[c] for c in cotes)
    return f"{quoi} masquée{'s' if len(cotes) > 1 else ''} : petit groupe (voir « Lisez-moi »)"


def feuilles_tableau_de_bord(comparaison, *, lieux=None, intervenants=None):
    periode = comparaison.periode
    filtres = {"lieux": lieux, "intervenants": intervenants}
    # Règles 1 et 2 (dans la sortie) ; la règle 3 (demandes voisines) est celle de l'API, où un partenaire
    # choisit ses demandes : le classeur est produit par la coordination, qui voit déjà tout.
    indicateurs, masques = proteger(comparaison.indicateurs)
    comparaison = dataclasses.replace(comparaison, indicateurs=indicateurs)
    passages = Passage.objects.de_la_periode(periode.debut, periode.fin).pour(**filtres)
    rdvs = RendezVous.objects.de_la_periode(periode.debut, periode.fin).pour(**filtres)
    return {
        "Indicateurs": (ENTETES_INDICATEURS, list(lignes_indicateurs(comparaison))),
        # Des enregistrements pseudonymes, regroupés : aucune ligne ne compte moins de k personnes.
        "Passages": passages_regroupes(passages),
        "Rendez-vous": rendez_vous_regroupes(rdvs),
        "Lisez-moi": lisez_moi(masques),
    }
