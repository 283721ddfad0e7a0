"""Exports XLSX du tableau de bord : indicateurs comparés et enregistrements anonymes sous les filtres."""

from permanences.models import Passage, RendezVous

from .echanges import lignes_passages, lignes_rendez_vous
from .lignes import Lignes
from .presentation import feuilles_de, libelles_codes

ENTETES_INDICATEURS = (
    "indicateur",
    "libellé",
    "valeur",
    "année précédente",
    "évolution %",
    "évolution (points)",
    "comparabilité",
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
        )


def feuilles_tableau_de_bord(comparaison, *, lieux=None, intervenants=None):
    periode = comparaison.periode
    passages = Passage.objects.filter(date__gte=periode.debut, date__lt=periode.fin)
    rdvs = RendezVous.objects.filter(date__gte=periode.debut, date__lt=periode.fin)
    if lieux:
        passages = passages.filter(permanence__lieu__in=lieux)
        rdvs = rdvs.filter(lieu__in=lieux)
    if intervenants:
        passages = passages.filter(intervenant__in=intervenants)
        rdvs = rdvs.filter(intervenant__in=intervenants)
    return {
        "Indicateurs": (ENTETES_INDICATEURS, list(lignes_indicateurs(comparaison))),
        # Les enregistrements anonymes, au format des exports CSV (réimportables).
        "Passages": lignes_passages(passages),
        "Rendez-vous": lignes_rendez_vous(rdvs),
    }
