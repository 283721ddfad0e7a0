"""Les règles de lecture imprimées dans l'annexe du Bilan (à côté des définitions de rapports.definitions)."""

REGLES = [
    "Période : du 1er janvier inclus au 1er janvier suivant exclu ; l'année précédente est la même période "
    "décalée d'un an.",
    "Évolution d'un nombre, d'une durée ou d'une moyenne : 100 × (valeur − précédent) ÷ précédent, en %. "
    "Évolution d'une part : valeur − précédent, en points (« +33,5 pts ») ; une part qui passe de 8 % à 41 % a "
    "gagné 33 points, elle n'a pas « augmenté de 412 % ». Les évolutions sont calculées à partir des deux "
    "valeurs imprimées à côté d'elles (37,7 % et 37,9 % font −0,2 pt ; 4,2 et 5,1 font −0,9) ; les fichiers "
    "de données téléchargeables gardent les valeurs exactes.",
    "Inconnu n'est pas zéro : ce que l'équipe ne notait pas encore une année (refus, temps d'attente, "
    "freins, quartiers, orientations) y est « non suivi » ; noté mais sans rien d'enregistré dans "
    "l'année, c'est « aucun enregistrement », sauf si la coordination confirme que le zéro est réel "
    "(« Suivi des données ») ; une part dont la base est vide s'écrit « — ». Aucune évolution n'en est tirée.",
    "Même périmètre ou pas d'évolution : quand les deux années ne sont pas calculées sur le même périmètre "
    "(un chiffre déclaré utilisé une année et pas l'autre, une donnée notée une seule des deux années ou "
    "seulement sur une partie de l'une), l'évolution n'est pas calculée et la raison est donnée.",
    "Chiffres déclarés : pour ce que l'application n'enregistre pas (années antérieures, Espaces Ressource "
    "Emploi), la coordination déclare des chiffres avec leur source. Un chiffre déclaré n'est utilisé que si "
    "l'application n'a aucun enregistrement de ce type pour l'année, et il est signalé. Le total « Personnes "
    "reçues, enregistrements seuls » permet toujours une comparaison sur le même périmètre.",
    "Arrondis : les documents affichent nombres et durées sans décimale, "
    "moyennes, parts et évolutions avec une ; graphiques et tableaux utilisent le même arrondi.",
    "Couleurs et flèches : une évolution compte à partir du seuil de son indicateur (2 %, 1 point pour une "
    "part) ; elle porte alors ▲ (en hausse) ou ▼ (en baisse), en vert si c'est une bonne nouvelle (un taux "
    "d'annulation qui baisse), en rouge si c'est une mauvaise (plus de refus), sans couleur sinon (plus de "
    "personnes reçues peut traduire plus de besoins). Sous le seuil, ni couleur ni flèche.",
    "Les passages sont pseudonymes (aucun nom) ; les coordonnées des rendez-vous sont effacées après le délai "
    "réglé et n'entrent dans aucun indicateur.",
]
