"""Ce que la première page du Bilan met en avant : les chiffres clés, leurs maximums et les évolutions à la une
(chemins de feuilles du Bilan JSON, définis dans rapports.definitions)."""

# La première page : un grand chiffre, son évolution et quelques mots chacun (chemins de feuilles), deux par ligne.
CHIFFRES_CLES = [
    ("dispositif.personnes_recues", "personnes reçues dans le dispositif"),
    ("permanences.usagers_recus", "usagers reçus lors des permanences numériques"),
    ("permanences.permanences_tenues", "permanences numériques tenues"),
    ("permanences.moyenne_usagers_par_permanence", "usagers reçus en moyenne par permanence"),
    (
        "permanences.taux_sans_reponse_pct",
        "des personnes venues à une permanence restées sans réponse sur place",
    ),
    ("permanences.types_demande_pct.demarche_en_ligne", "des accompagnements pour une démarche en ligne"),
    ("permanences.duree_moyenne_minutes", "en moyenne par accompagnement"),
    ("rendez_vous.realises", "rendez-vous individuels avec un médiateur"),
    ("formations.participants", "participations de professionnels aux formations"),
    ("arcs.rendez_vous_tenus", "rendez-vous avec un informaticien public (ARCS)"),
]
# Une durée moyenne s'imprime avec la plus longue (« 21 min en moyenne, jusqu'à 2 h 00 »).
MAXIMUMS = {
    "permanences.duree_moyenne_minutes": "permanences.duree_max_minutes",
    "rendez_vous.duree_moyenne_minutes": "rendez_vous.duree_max_minutes",
}
# La phrase de la première page cite les trois évolutions les plus nettes parmi ces indicateurs : seulement celles
# qui se comparent et qui atteignent le seuil de leur indicateur, rangées en nombre de seuils (−28,3 % pour un
# seuil de 2 % : 14 seuils ; −25,4 points pour un seuil d'un point : 25 seuils).
A_LA_UNE = [
    "dispositif.personnes_recues",
    "dispositif.personnes_recues_hors_declares",
    "permanences.usagers_recus",
    "permanences.permanences_tenues",
    "permanences.moyenne_usagers_par_permanence",
    "permanences.refus",
    "permanences.taux_sans_reponse_pct",
    "permanences.duree_moyenne_minutes",
    "permanences.types_demande_pct.demarche_en_ligne",
    "rendez_vous.realises",
    "arcs.rendez_vous_tenus",
    "formations.sessions_tenues",
    "formations.participants",
    "formations.taux_annulation_pct",
]
