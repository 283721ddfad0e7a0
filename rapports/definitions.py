"""Définition écrite de chaque indicateur du Bilan : source unique de l'annexe méthodologique.

Les clés sont celles du Bilan JSON (chemins pointés). Un test vérifie que chaque indicateur produit
par le moteur a sa définition ici.
"""

DEFINITIONS = {
    # Permanences numériques
    "permanences.usagers_recus": "Nombre de passages (personnes reçues et accompagnées) saisis sur les permanences de la période.",
    "permanences.permanences_tenues": "Nombre de permanences de la période qui n'ont pas été annulées.",
    "permanences.permanences_par_semaine": "Nombre de créneaux hebdomadaires de permanence en vigueur le dernier jour de la période.",
    "permanences.mediateurs": "Nombre d'intervenants distincts présents à au moins une permanence tenue de la période.",
    "permanences.moyenne_usagers_par_permanence": "usagers_recus ÷ permanences_tenues.",
    "permanences.refus": "Nombre de pointages « refus » non annulés : personnes venues à une permanence et qui n'ont pas pu être reçues.",
    "permanences.personnes_en_demande": "usagers_recus + refus.",
    "permanences.taux_sans_reponse_pct": "100 × refus ÷ personnes_en_demande : part des personnes en demande sans réponse sur place.",
    "permanences.duree_moyenne_minutes": "Moyenne de la durée (en minutes) des passages.",
    "permanences.attente_moyenne_minutes": "Moyenne du temps d'attente (arrivée à l'accueil → prise en charge), sur les passages où il est connu.",
    "permanences.autre_venue_necessaire_pct": "Part des passages pour lesquels le médiateur indique qu'une autre venue est nécessaire.",
    "permanences.types_demande_pct": "Répartition des passages par type de demande (démarche en ligne, accompagnement technique), en %.",
    "permanences.demarches": "Nombre de passages « aide aux démarches en ligne » par démarche.",
    "permanences.demarches_pct": "Répartition, en %, des passages « aide aux démarches en ligne » par démarche.",
    "permanences.autonomie_pct": "Répartition des passages par niveau d'autonomie de la personne, en %.",
    "permanences.tranche_age_pct": "Répartition des passages par tranche d'âge (tranches de la Coop), en %.",
    "permanences.genre_pct": "Répartition des passages par genre, en %.",
    "permanences.orientations": "Nombre d'orientations vers chaque structure, notées sur les passages et sur les refus (non annulés).",
    "permanences.freins_pct": "Pour chaque frein à l'autonomie, part des passages où il est noté, parmi les passages où au moins un frein est noté (un passage peut en avoir plusieurs : la somme peut dépasser 100 %).",
    "permanences.quartier_pct": "Répartition, en %, des passages dont le quartier de résidence est connu (« hors commune » compris), par quartier.",
    "permanences.qpv_pct": "Part des passages venant d'un quartier prioritaire (QPV), parmi ceux dont le quartier est connu.",
    "permanences.par_lieu": "Pour chaque lieu : usagers reçus, permanences tenues, refus et moyenne d'usagers par permanence tenue.",
    # Rendez-vous individuels CCAS
    "rendez_vous.realises": "Nombre de rendez-vous individuels des médiateurs (CCAS) dont l'issue est « honoré ». Un rendez-vous sans issue renseignée ne compte pas.",
    "rendez_vous.absents": "Nombre de rendez-vous CCAS dont l'issue est « absence non excusée ».",
    "rendez_vous.duree_moyenne_minutes": "Durée réelle moyenne des rendez-vous CCAS honorés.",
    "rendez_vous.types_demande_pct": "Répartition des rendez-vous CCAS honorés par type de demande, en %.",
    "rendez_vous.demarches_pct": "Répartition, en %, des rendez-vous CCAS honorés « aide aux démarches en ligne » par démarche.",
    # ARCS
    "arcs.rendez_vous_tenus": "Nombre de rendez-vous des informaticiens publics (ARCS) dont l'issue est « honoré ».",
    "arcs.par_lieu": "Nombre de rendez-vous ARCS honorés par lieu.",
    "arcs.tranche_age_pct": "Répartition des rendez-vous ARCS honorés par tranche d'âge, en %.",
    "arcs.genre_pct": "Répartition des rendez-vous ARCS honorés par genre, en %.",
    # Formations
    "formations.sessions_programmees": "Nombre de sessions de formation de la période, quel que soit leur statut (programmée, tenue, annulée).",
    "formations.sessions_tenues": "Nombre de sessions marquées « tenue » (au moins deux participants présents).",
    "formations.sessions_annulees": "Nombre de sessions annulées.",
    "formations.taux_annulation_pct": "100 × sessions_annulees ÷ sessions_programmees.",
    "formations.inscriptions": "Nombre d'inscriptions aux sessions de la période, liste d'attente exclue ; les inscriptions aux sessions annulées comptent.",
    "formations.participants": "Nombre d'inscriptions marquées présentes.",
    "formations.themes": "Nombre de thèmes distincts parmi les sessions de la période.",
    "formations.inscriptions_par_theme": "Nombre d'inscriptions par thème.",
    "formations.structures_pct": "Répartition des participants (inscriptions présentes) par structure, en %.",
    "formations.accompagnements_individuels": "Nombre d'accompagnements individuels de professionnels.",
    "formations.duree_moyenne_accompagnement_minutes": "Durée moyenne des accompagnements individuels, en minutes.",
    # Dispositif
    "dispositif.personnes_recues_externes": "Somme des chiffres déclarés pour l'année sous « dispositif.personnes_recues_externes » (par exemple les personnes reçues par les Espaces Ressource Emploi).",
    "dispositif.personnes_recues": "permanences.usagers_recus + rendez_vous.realises + arcs.rendez_vous_tenus + dispositif.personnes_recues_externes.",
}

REGLES = [
    "Période : du 1er janvier inclus au 1er janvier suivant exclu ; l'année précédente est la même période décalée d'un an.",
    "Chaque indicateur est présenté avec sa valeur, celle de l'année précédente et l'évolution : "
    "100 × (valeur − précédent) ÷ précédent, non calculée quand la valeur précédente est nulle ou inconnue.",
    "Les pourcentages sont exprimés de 0 à 100 et, comme les moyennes, arrondis à deux décimales.",
    "Chiffres déclarés : pour ce que le logiciel n'enregistre pas (années antérieures, Espaces Ressource Emploi), "
    "la coordination déclare des chiffres externes. Un chiffre déclaré n'est utilisé que si le logiciel n'a aucun "
    "enregistrement de ce type pour l'année ; il est alors signalé avec sa source.",
    "Les passages sont anonymes ; les coordonnées des rendez-vous sont effacées après le délai réglé et n'entrent "
    "dans aucun indicateur.",
]
