"""Sessions de formation, inscriptions et accompagnements de professionnels de démonstration : 2022-2023 (les
chiffres du bilan rédigé à la main), puis chaque trimestre à partir de 2024."""

import datetime
import random
from collections import Counter

from formations import services_en_masse
from formations.enums import Presence, StatutSession
from formations.models import AccompagnementFormation, Inscription, SessionFormation, Theme
from formations.services import creer_theme
from inclusion.enums import Fonction
from inclusion.journal import RAISON_DEMO
from inclusion.models import Intervenant

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
    themes = [creer_theme(nom=n) for n in THEMES]
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


# À partir de 2024 : une session un jour ouvré sur cinq environ (une dizaine par trimestre), dont un cinquième
# annulées faute d'inscrits ; quelques accompagnements individuels par trimestre.
DEBUT_RECENT = datetime.date(2024, 1, 1)
GRAINE_RECENTE = 2025
STRUCTURES_INSCRITES = {
    "CDAS": 30,
    "CCAS": 25,
    "Centre social": 15,
    "CAF": 8,
    "Ville de Rennes": 12,
    "ERE": 10,
}


def formations_recentes(aujourdhui, references, *, closes=()):
    """Sessions (tenues ou annulées si passées, programmées jusqu'à la semaine prochaine), inscriptions et
    accompagnements des jours ouvrés depuis 2024 qui n'en ont pas encore ; un tirage par jour (graine + date)."""
    themes = list(Theme.objects.order_by("pk"))
    formateur = Intervenant.objects.filter(fonction=Fonction.COORDINATEUR_FORMATION).order_by("pk").first()
    if not themes or formateur is None:
        return
    structures = references["structures"]
    deja = set(SessionFormation.objects.filter(date__gte=DEBUT_RECENT).values_list("date", flat=True))
    accompagnes = set(
        AccompagnementFormation.objects.filter(date__gte=DEBUT_RECENT).values_list("date", flat=True)
    )
    sessions, inscrits, accompagnements = [], [], []
    for jour in hasard.jours_ouvres_entre(DEBUT_RECENT, aujourdhui + datetime.timedelta(days=7)):
        if jour.year in closes:
            continue
        rng = random.Random(GRAINE_RECENTE * 10_000 + jour.toordinal())
        passe = jour < aujourdhui
        if jour not in deja and rng.random() < 0.2:
            nombre, matin = rng.randint(1, 10), rng.random() < 0.7
            statut = StatutSession.PROGRAMMEE
            if passe:
                statut = StatutSession.ANNULEE if nombre < 3 else StatutSession.TENUE
            session = SessionFormation(
                theme=rng.choices(themes, weights=POIDS_THEMES[: len(themes)])[0],
                date=jour,
                heure_debut=datetime.time(9, 30) if matin else datetime.time(14),
                heure_fin=datetime.time(12) if matin else datetime.time(16, 30),
                lieu=rng.choice(references["lieux"]),
                formateur=formateur,
                capacite=10,
                statut=statut,
                motif_annulation="Jauge non atteinte" if statut == StatutSession.ANNULEE else "",
            )
            sessions.append(session)
            for n in range(1, nombre + 1):
                present = Presence.INCONNUE
                if statut == StatutSession.TENUE:
                    present = Presence.PRESENT if rng.random() < 0.85 else Presence.ABSENT
                nom = rng.choices(list(STRUCTURES_INSCRITES), weights=list(STRUCTURES_INSCRITES.values()))[0]
                inscrits.append((session, n, structures[nom], present))
        if passe and jour not in accompagnes and rng.random() < 0.06:
            accompagnements.append(
                AccompagnementFormation(
                    date=jour,
                    duree_minutes=max(30, min(240, 15 * round(rng.gammavariate(4, 2)))),
                    structure=structures[rng.choice(["CDAS", "CCAS", "Centre social"])],
                    theme=rng.choice(themes),
                )
            )
    SessionFormation.objects.bulk_create(sessions)
    services_en_masse.creer_inscriptions(
        [
            Inscription(
                session=s,
                nom=f"Professionnel·le {s.pk}-{n}",
                email=f"pro{s.pk}-{n}@exemple.fr",
                structure=structure,
                present=present,
            )
            for s, n, structure, present in inscrits
        ],
        raison=RAISON_DEMO,
    )
    services_en_masse.creer_accompagnements(accompagnements)


def session_a_venir(aujourdhui, references, *, closes=()):
    """Une session de formation le mardi de la semaine prochaine, avec quelques inscrits ; ajoutée une fois."""
    jour = aujourdhui + datetime.timedelta(days=7 - aujourdhui.weekday() + 1)
    theme = Theme.objects.order_by("pk").first()
    if theme is None or jour.year in closes or SessionFormation.objects.filter(date=jour).exists():
        return
    session = SessionFormation.objects.create(
        theme=theme,
        date=jour,
        heure_debut=datetime.time(9, 30),
        heure_fin=datetime.time(12),
        lieu=references["lieux"][0],
        formateur=Intervenant.objects.filter(fonction=Fonction.COORDINATEUR_FORMATION).order_by("pk").first(),
        capacite=10,
        statut=StatutSession.PROGRAMMEE,
    )
    structures = [references["structures"][n] for n in ("CDAS", "CCAS", "Centre social")]
    services_en_masse.creer_inscriptions(
        [
            Inscription(
                session=session,
                nom=f"Professionnel·le {session.pk}-{n}",
                email=f"pro{session.pk}-{n}@exemple.fr",
                structure=structures[n % len(structures)],
                present=Presence.INCONNUE,
            )
            for n in range(1, 5)
        ],
        raison=RAISON_DEMO,
    )
