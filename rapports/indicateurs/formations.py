"""Indicateurs des formations de professionnels.

Chaque indicateur est défini dans rapports.definitions (annexe méthodologique du Bilan).
"""

from django.db.models import Avg, Count, Q

from formations.enums import Presence, StatutSession
from formations.models import AccompagnementFormation, Inscription, SessionFormation

from ._outils import arrondi, compter, pct, repartition_pct


def indicateurs_formations(*, debut, fin, lieux=None, intervenants=None):
    """Section « formations » ; 3 requêtes SQL."""
    filtres = {"lieux": lieux, "intervenants": intervenants}
    sessions = SessionFormation.objects.de_la_periode(debut, fin).pour(**filtres)
    inscriptions = Inscription.objects.confirmees().de_la_periode(debut, fin).pour(**filtres)
    # Les accompagnements individuels n'ont ni lieu ni formateur : ils ne sont filtrés que par la période.
    accompagnements = AccompagnementFormation.objects.de_la_periode(debut, fin)

    par_statut = list(sessions.values("statut", "theme__nom").annotate(n=Count("id")).order_by())
    par_theme = list(
        inscriptions.values("session__theme__nom", "structure__nom")
        .annotate(n=Count("id"), presents=Count("id", filter=Q(present=Presence.PRESENT)))
        .order_by()
    )
    accomp = accompagnements.aggregate(n=Count("id"), duree=Avg("duree_minutes"))

    programmees = sum(ligne["n"] for ligne in par_statut)
    annulees = sum(ligne["n"] for ligne in par_statut if ligne["statut"] == StatutSession.ANNULEE)
    participants_par_structure = compter(par_theme, "structure__nom", "presents")
    section = {
        "sessions_programmees": programmees,
        "sessions_tenues": sum(ligne["n"] for ligne in par_statut if ligne["statut"] == StatutSession.TENUE),
        "sessions_annulees": annulees,
        "taux_annulation_pct": pct(annulees, programmees),
        "inscriptions": sum(ligne["n"] for ligne in par_theme),
        "participants": sum(ligne["presents"] for ligne in par_theme),
        "themes": len({ligne["theme__nom"] for ligne in par_statut}),
        "inscriptions_par_theme": dict(
            sorted(compter(par_theme, "session__theme__nom").items(), key=lambda kv: (-kv[1], kv[0]))
        ),
        "structures_pct": dict(
            sorted(
                repartition_pct({k: v for k, v in participants_par_structure.items() if v}).items(),
                key=lambda kv: (-kv[1], kv[0]),
            )
        ),
        "accompagnements_individuels": accomp["n"],
        "duree_moyenne_accompagnement_minutes": arrondi(accomp["duree"]),
    }
    return section, bool(programmees or accomp["n"])
