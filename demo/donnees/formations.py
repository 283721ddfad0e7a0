"""Sessions de formation, inscriptions et accompagnements de professionnels de démonstration."""

import datetime
from collections import Counter

from formations import services_en_masse
from formations.enums import Presence, StatutSession
from formations.models import AccompagnementFormation, Inscription, SessionFormation, Theme
from inclusion.journal import RAISON_DEMO

from . import hasard
from .equipe import STRUCTURES

THEMES = [
    "Découverte de l'intelligence artificielle",
    "Documents numériques",
    "Outils collaboratifs",
    "Graphisme avec Canva",
    "Messagerie et agenda",
    "Tableur : les bases",
    "Sécurité numérique",
    "Démarches en ligne : accompagner",
    "Smartphone au quotidien",
    "Visioconférence",
    "Réseaux sociaux professionnels",
]


# Formations : (sessions programmées, tenues, annulées, inscriptions, participants, participants CDAS, thèmes,
# accompagnements individuels, durée moyenne).
FORMATIONS = {
    2022: {
        "sessions": 48,
        "tenues": 24,
        "annulees": 24,
        "inscriptions": 196,
        "participants": 160,
        "cdas": 13,
        "themes": 9,
        "accompagnements": 9,
        "duree": 95,
    },
    2023: {
        "sessions": 65,
        "tenues": 49,
        "annulees": 16,
        "inscriptions": 264,
        "participants": 226,
        "cdas": 94,
        "themes": 11,
        "accompagnements": 17,
        "duree": 132,
    },
}


POIDS_THEMES = [30, 14, 12, 11, 9, 8, 7, 6, 5, 4, 3]


def creer_formations(rng, lieux, formateur, structures):
    themes = [Theme.objects.create(nom=n) for n in THEMES]
    for annee, f in FORMATIONS.items():
        themes_annee = themes[: f["themes"]]
        jours = sorted(rng.sample(list(hasard.jours_ouvres(annee)), f["sessions"]))
        theme_de = list(themes_annee) + rng.choices(
            themes_annee, weights=POIDS_THEMES[: f["themes"]], k=f["sessions"] - f["themes"]
        )
        rng.shuffle(theme_de)
        statuts = [StatutSession.TENUE] * f["tenues"] + [StatutSession.ANNULEE] * f["annulees"]
        rng.shuffle(statuts)
        sessions = [
            SessionFormation.objects.create(
                theme=t,
                date=j,
                heure_debut=datetime.time(9, 30),
                heure_fin=datetime.time(12),
                lieu=rng.choice(lieux),
                formateur=formateur,
                capacite=10,
                statut=s,
                motif_annulation="Jauge non atteinte" if s == StatutSession.ANNULEE else "",
            )
            for t, j, s in zip(theme_de, jours, statuts, strict=True)
        ]
        tenues = [s for s in sessions if s.statut == StatutSession.TENUE]
        annulees = [s for s in sessions if s.statut == StatutSession.ANNULEE]
        # Participants : au moins 2 par session tenue ; inscrits absents et inscriptions des sessions annulées.
        presents = [s for s in tenues for _ in range(2)] + rng.choices(
            tenues, k=f["participants"] - 2 * len(tenues)
        )
        non_presents = f["inscriptions"] - f["participants"]
        absents = [s for s in annulees for _ in range(1)] + rng.choices(
            tenues + annulees, k=non_presents - len(annulees)
        )
        autres = [n for n in STRUCTURES if n != "CDAS"]
        structures_presents = ["CDAS"] * f["cdas"] + rng.choices(
            autres, weights=[40, 4, 0, 10, 8, 12, 10], k=f["participants"] - f["cdas"]
        )
        rng.shuffle(structures_presents)
        inscriptions = []
        numero = Counter()
        for session, structure, present in [
            (s, n, True) for s, n in zip(presents, structures_presents, strict=True)
        ] + [(s, rng.choice(STRUCTURES), False) for s in absents]:
            numero[session.pk] += 1
            inscriptions.append(
                Inscription(
                    session=session,
                    nom=f"Professionnel·le {session.pk}-{numero[session.pk]}",
                    email=f"pro{session.pk}-{numero[session.pk]}@exemple.fr",
                    structure=structures[structure],
                    present=(
                        Presence.PRESENT
                        if present
                        else (Presence.ABSENT if session.statut == StatutSession.TENUE else Presence.INCONNUE)
                    ),
                )
            )
        services_en_masse.creer_inscriptions(inscriptions, raison=RAISON_DEMO)
        accompagnements = hasard.durees(rng, f["accompagnements"], f["duree"], 240, minimum=30)
        services_en_masse.creer_accompagnements(
            [
                AccompagnementFormation(
                    date=rng.choice(jours),
                    duree_minutes=d,
                    structure=structures[rng.choice(["CDAS", "CCAS", "Centre social"])],
                    theme=rng.choice(themes_annee),
                )
                for d in accompagnements
            ]
        )
