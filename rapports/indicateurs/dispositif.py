"""Indicateurs de l'ensemble du dispositif.

Chaque indicateur est défini dans rapports.definitions (annexe méthodologique du Bilan).
"""


def indicateurs_dispositif(*, permanences, rendez_vous, arcs, externes, declares=frozenset()):
    """`declares` : les indicateurs remplacés cette année par un chiffre déclaré (exclus du total enregistré)."""
    composantes = {
        "permanences.usagers_recus": permanences.get("usagers_recus"),
        "rendez_vous.realises": rendez_vous.get("realises"),
        "arcs.rendez_vous_tenus": arcs.get("rendez_vous_tenus"),
    }
    connues = [v for v in [*composantes.values(), externes] if v is not None]
    enregistrees = [v for cle, v in composantes.items() if v is not None and cle not in declares]
    return {
        "personnes_recues": sum(connues) if connues else None,
        "personnes_recues_hors_declares": sum(enregistrees) if enregistrees else None,
        "personnes_recues_externes": externes,
    }
