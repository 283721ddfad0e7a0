"""Indicateurs des rendez-vous individuels : médiateurs (CCAS) et informaticiens publics (ARCS).

Chaque indicateur est défini dans rapports.definitions (annexe méthodologique du Bilan).
"""

from django.db.models import Count, Max, Sum

from permanences.enums import Genre, Service, StatutRendezVous, TrancheAge, TypeDemande
from permanences.models import RendezVous

from ._outils import compter, ratio, repartition_pct


def _rendez_vous(*, debut, fin, lieux, intervenants):
    return RendezVous.objects.de_la_periode(debut, fin).pour(lieux=lieux, intervenants=intervenants)


def indicateurs_rendez_vous(*, debut, fin, lieux=None, intervenants=None):
    """Sections « rendez_vous » (CCAS) et « arcs » ; 2 requêtes SQL."""
    qs = _rendez_vous(debut=debut, fin=fin, lieux=lieux, intervenants=intervenants)
    lignes = list(
        qs.values("service", "statut", "type_demande", "demarche__code")
        .annotate(n=Count("id"), duree=Sum("duree_minutes"), duree_max=Max("duree_minutes"))
        .order_by()
    )
    arcs_lignes = list(
        qs.filter(service=Service.ARCS, statut=StatutRendezVous.HONORE)
        .values("lieu__nom", "tranche_age", "genre")
        .annotate(n=Count("id"))
        .order_by()
    )
    ccas = [ligne for ligne in lignes if ligne["service"] == Service.CCAS]
    honores = [ligne for ligne in ccas if ligne["statut"] == StatutRendezVous.HONORE]
    realises = sum(ligne["n"] for ligne in honores)
    duree_totale = sum(ligne["duree"] or 0 for ligne in honores)
    rendez_vous = {
        "realises": realises,
        "absents": sum(ligne["n"] for ligne in ccas if ligne["statut"] == StatutRendezVous.ABSENT),
        "duree_moyenne_minutes": ratio(duree_totale, realises),
        "duree_max_minutes": max(
            (x["duree_max"] for x in honores if x["duree_max"] is not None), default=None
        ),
        "types_demande_pct": repartition_pct(compter(honores, "type_demande"), TypeDemande.values),
        "demarches_pct": repartition_pct(
            compter(
                [x for x in honores if x["type_demande"] == TypeDemande.DEMARCHE_EN_LIGNE], "demarche__code"
            )
        ),
    }
    arcs = {
        "rendez_vous_tenus": sum(ligne["n"] for ligne in arcs_lignes),
        "par_lieu": dict(sorted(compter(arcs_lignes, "lieu__nom").items())),
        "tranche_age_pct": repartition_pct(compter(arcs_lignes, "tranche_age"), TrancheAge.values),
        "genre_pct": repartition_pct(compter(arcs_lignes, "genre"), Genre.values),
    }
    donnees = {
        "rendez_vous": any(ligne["service"] == Service.CCAS for ligne in lignes),
        "arcs": any(ligne["service"] == Service.ARCS for ligne in lignes),
    }
    return rendez_vous, arcs, donnees
