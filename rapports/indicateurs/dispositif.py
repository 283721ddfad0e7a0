"""Indicateurs de l'ensemble du dispositif.

Chaque indicateur est défini dans rapports.definitions (annexe méthodologique du Bilan).
"""


def indicateurs_dispositif(*, permanences, rendez_vous, arcs, externes):
    composantes = [
        permanences.get("usagers_recus"),
        rendez_vous.get("realises"),
        arcs.get("rendez_vous_tenus"),
        externes,
    ]
    connues = [c for c in composantes if c is not None]
    return {
        "personnes_recues": sum(connues) if connues else None,
        "personnes_recues_externes": externes,
    }
