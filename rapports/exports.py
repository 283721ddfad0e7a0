"""Exports XLSX du tableau de bord : indicateurs comparés et enregistrements anonymes sous les filtres."""

from permanences.models import Passage, RendezVous

from .echanges import lignes_passages, lignes_rendez_vous


def aplatir(arbre, prefixe=""):
    """{section: {indicateur: feuille}} → lignes (indicateur pointé, valeur, précédent, évolution %)."""
    for cle, valeur in arbre.items():
        chemin = f"{prefixe}.{cle}" if prefixe else str(cle)
        if isinstance(valeur, dict) and set(valeur) == {"valeur", "precedent", "evolution_pct"}:
            yield (chemin, valeur["valeur"], valeur["precedent"], valeur["evolution_pct"])
        elif isinstance(valeur, dict):
            yield from aplatir(valeur, chemin)


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
        "Indicateurs": (
            ("indicateur", "valeur", "année précédente", "évolution %"),
            list(aplatir(comparaison.indicateurs)),
        ),
        # Les enregistrements anonymes, au format des exports CSV (réimportables).
        "Passages": lignes_passages(passages),
        "Rendez-vous": lignes_rendez_vous(rdvs),
    }
