"""Exports XLSX du tableau de bord : indicateurs comparés et enregistrements anonymes sous les filtres."""

from permanences.models import Passage, RendezVous


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
    colonnes_passages = (
        "permanence__date",
        "permanence__lieu__nom",
        "type_demande",
        "demarche__code",
        "duree_minutes",
        "autonomie",
        "tranche_age",
        "genre",
        "autre_venue_necessaire",
        "attente_minutes",
    )
    colonnes_rdv = (
        "date",
        "service",
        "lieu__nom",
        "intervenant__nom",
        "statut",
        "duree_minutes",
        "motif",
        "type_demande",
        "demarche__code",
        "tranche_age",
        "genre",
    )
    return {
        "Indicateurs": (
            ("indicateur", "valeur", "année précédente", "évolution %"),
            list(aplatir(comparaison.indicateurs)),
        ),
        "Passages": (
            (
                "date",
                "lieu",
                "type_demande",
                "demarche",
                "duree_minutes",
                "autonomie",
                "tranche_age",
                "genre",
                "autre_venue_necessaire",
                "attente_minutes",
            ),
            passages.order_by("permanence__date", "id")
            .values_list(*colonnes_passages)
            .iterator(chunk_size=5000),
        ),
        "Rendez-vous": (
            (
                "date",
                "service",
                "lieu",
                "intervenant",
                "statut",
                "duree_minutes",
                "motif",
                "type_demande",
                "demarche",
                "tranche_age",
                "genre",
            ),
            rdvs.order_by("date", "id").values_list(*colonnes_rdv).iterator(chunk_size=5000),
        ),
    }
