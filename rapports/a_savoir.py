"""« À savoir pour lire ces chiffres » : ce qui peut sembler incohérent à qui lit le Bilan, dit avec les chiffres
de l'année seulement (une note sur les formations n'apparaît pas une année sans formation)."""

from .definitions import PART
from .formats import nombre_fr, valeur_fr


def _valeur(indicateurs, section, cle):
    return ((indicateurs.get(section) or {}).get(cle) or {}).get("valeur")


def a_savoir(indicateurs):
    """Les notes de l'annexe, générées à partir des feuilles de l'année (aucun chiffre tapé à la main)."""
    notes = []
    p = indicateurs.get("permanences") or {}
    usagers = _valeur(indicateurs, "permanences", "usagers_recus")
    if any(
        isinstance(table, dict) and any(isinstance(f, dict) and f.get("valeur") for f in table.values())
        for cle, table in p.items()
        if cle.endswith("_pct") and cle != "freins_pct"
    ):
        notes.append(
            "Une part est arrondie à une décimale : la somme des parts d'une répartition peut faire 99,9 % ou "
            "100,1 %."
        )
    if any(isinstance(f, dict) and f.get("valeur") for f in (p.get("freins_pct") or {}).values()):
        notes.append(
            "Freins à l'autonomie : un passage peut en noter plusieurs ; chaque part se rapporte aux passages où "
            "au moins un frein est noté, et leur somme peut dépasser 100 %."
        )
    participants = _valeur(indicateurs, "formations", "participants")
    if participants and participants < 1000:
        poids = 100 / participants
        notes.append(
            f"Une part calculée sur peu de personnes ne prend que certaines valeurs : sur "
            f"{nombre_fr(participants)} participations, chacune pèse {nombre_fr(poids, 1)} point"
            f"{'s' if poids >= 2 else ''}."
        )
    programmees = _valeur(indicateurs, "formations", "sessions_programmees")
    annulees = _valeur(indicateurs, "formations", "sessions_annulees")
    taux = _valeur(indicateurs, "formations", "taux_annulation_pct")
    if programmees and annulees is not None and taux is not None:
        notes.append(
            "Le taux d'annulation se rapporte aux sessions programmées, annulées comprises : "
            f"{nombre_fr(annulees)} annulée{'s' if annulees > 1 else ''} sur {nombre_fr(programmees)} font "
            f"{valeur_fr(taux, PART)}, quel que soit le nombre de sessions tenues."
        )
    if usagers:
        notes.append(
            "Les usagers reçus sont les accompagnements enregistrés par les médiateurs ; les arrivées pointées à "
            "l'accueil peuvent être plus nombreuses (personnes reparties avant d'être reçues) ou moins (saisie "
            "groupée en fin de permanence)."
        )
    notes.append("Une évolution sur un petit nombre est fragile : de 2 à 3 rendez-vous, c'est +50 %.")
    return notes
