"""Indicateurs des formations de professionnels.

Chaque indicateur est défini dans rapports.definitions (annexe méthodologique du Bilan).
"""

from django.db.models import Avg, Count, Q

from formations.enums import Presence, StatutSession
from formations.models import AccompagnementFormation, Inscription, SessionFormation

from ._outils import arrondi, compter, pct, repartition_pct


def indicateurs_formations(*, debut, fin, lieux=None, intervenants=None):
    """Section « formations » ; 3 requêtes SQL."""
    sessions = SessionFormation.objects.filter(date__gte=debut, date__lt=fin)
    inscriptions = Inscription.objects.filter(
        session__date__gte=debut, session__date__lt=fin, liste_attente=False
    )
    accompagnements = AccompagnementFormation.objects.filter(date__gte=debut, date__lt=fin)
    if lieux:
        sessions = sessions.filter(lieu__in=lieux)
        inscriptions = inscriptions.filter(session__lieu__in=lieux)
    if intervenants:
        sessions = sessions.filter(formateur__in=intervenants)
        inscriptions = inscriptions.filter(session__formateur__in=intervenants)

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
