"""Des enregistrements pseudonymes aux tableaux qui ne désignent personne : regroupement à k personnes au moins.

Un passage n'a pas de nom, mais sa date, son lieu, l'âge, le genre, la démarche, le quartier et les freins
suffisent souvent à reconnaître quelqu'un (77 % des passages de la démo étaient uniques sur les cinq
premiers). Les exports détaillés du tableau de bord regroupent donc les passages et les rendez-vous par
semaine et par combinaison de ces caractéristiques, et une combinaison qui compte moins de k personnes
(K_ANONYMAT, 5 par défaut) voit ses caractéristiques les plus fines remplacées par « (regroupé) », une à une,
jusqu'à compter au moins k personnes. Ce qui reste sous k est compté dans une seule ligne, sans détail.
"""

from collections import Counter

from django.conf import settings
from django.db.models import Count
from django.db.models.functions import TruncWeek

REGROUPE = "(regroupé)"


def regrouper(comptes, colonnes, ordre_de_generalisation, k):
    """{combinaison (tuple): nombre} → lignes (combinaison, nombre) où chaque combinaison compte ≥ k personnes.

    `ordre_de_generalisation` : les colonnes à remplacer par « (regroupé) », de la plus fine à la plus large.
    """
    comptes = Counter(comptes)
    for colonne in ordre_de_generalisation:
        i = colonnes.index(colonne)
        rares = {c: n for c, n in comptes.items() if n < k}
        if not rares:
            break
        for combinaison, nombre in rares.items():
            del comptes[combinaison]
            comptes[(*combinaison[:i], REGROUPE, *combinaison[i + 1 :])] += nombre
    tout = tuple(REGROUPE for _ in colonnes)
    reste = comptes.pop(tout, 0) + sum(n for n in comptes.values() if n < k)
    lignes = sorted(((c, n) for c, n in comptes.items() if n >= k), key=lambda x: tuple(map(str, x[0])))
    # La ligne « (regroupé) » compte elle aussi k personnes au moins : le total est publié ailleurs (feuille
    # « Indicateurs »), un reste de 2 se lirait par différence. Les plus petites lignes la rejoignent ; si tout
    # ensemble compte moins de k personnes, la feuille ne détaille rien.
    while 0 < reste < k and lignes:
        plus_petite = min(lignes, key=lambda x: (x[1], tuple(map(str, x[0]))))
        lignes.remove(plus_petite)
        reste += plus_petite[1]
    if reste >= k:
        lignes.append((tout, reste))
    return lignes


def _feuille(qs, champs, colonnes, ordre):
    k = settings.INCLUSION["K_ANONYMAT"]
    comptes = {}
    for ligne in (
        qs.annotate(semaine=TruncWeek("date")).values("semaine", *champs).annotate(n=Count("id")).order_by()
    ):
        semaine = ligne["semaine"]
        semaine = semaine.date() if hasattr(semaine, "date") else semaine
        combinaison = (
            semaine.isoformat() if semaine else "",
            *((ligne[c] if ligne[c] is not None else "") for c in champs),
        )
        comptes[combinaison] = comptes.get(combinaison, 0) + ligne["n"]
    lignes = regrouper(comptes, colonnes, ordre, k)
    return [*colonnes, "nombre"], [(*c, n) for c, n in lignes]


PASSAGES = {
    "champs": ["permanence__lieu__nom", "tranche_age", "genre", "demarche__code", "quartier__nom", "freins"],
    "colonnes": ["semaine (lundi)", "lieu", "tranche_age", "genre", "demarche", "quartier", "freins"],
    "ordre": ["freins", "quartier", "genre", "tranche_age", "demarche", "lieu", "semaine (lundi)"],
}
RENDEZ_VOUS = {
    "champs": ["service", "lieu__nom", "statut", "tranche_age", "genre", "demarche__code", "quartier__nom"],
    "colonnes": [
        "semaine (lundi)",
        "service",
        "lieu",
        "statut",
        "tranche_age",
        "genre",
        "demarche",
        "quartier",
    ],
    "ordre": ["quartier", "genre", "tranche_age", "demarche", "lieu", "statut", "semaine (lundi)"],
}


def passages_regroupes(passages):
    return _feuille(passages, PASSAGES["champs"], PASSAGES["colonnes"], PASSAGES["ordre"])


def rendez_vous_regroupes(rendez_vous):
    return _feuille(rendez_vous, RENDEZ_VOUS["champs"], RENDEZ_VOUS["colonnes"], RENDEZ_VOUS["ordre"])


def lisez_moi(masques=()):
    k = settings.INCLUSION["K_ANONYMAT"]
    return (
        ["À savoir"],
        [
            (
                "Les passages et les rendez-vous sont pseudonymes (aucun nom), mais une combinaison rare de date, lieu, "
                "âge, genre, démarche, quartier et freins peut désigner une personne.",
            ),
            (
                f"Ils sont donc regroupés par semaine (lundi) et par combinaison : aucune ligne ne compte moins de {k} "
                "personnes (colonne « nombre »).",
            ),
            (
                "Une combinaison trop rare voit ses caractéristiques les plus fines remplacées par « (regroupé) » ; ce qui "
                f"reste trop rare est compté dans une dernière ligne entièrement « (regroupé) », qui compte elle aussi {k} "
                f"personnes au moins ; une feuille sans ligne compte moins de {k} personnes en tout.",
            ),
            (
                "L'export complet (sauvegarde et migration, page « Importer / exporter ») garde un enregistrement par "
                "ligne : il est réservé à la coordination.",
            ),
            (
                f"Feuille « Indicateurs » : une valeur dont la base compte moins de {k} personnes, ou qui permettrait "
                "d'en retrouver une par différence, est masquée (cellule vide, colonne « secret statistique »).",
            ),
            *((f"Masqué : {m['indicateur']} ({_ANNEE[m['annee']]}) : {m['raison']}.",) for m in masques),
        ],
    )


_ANNEE = {"valeur": "période", "precedent": "année précédente"}
