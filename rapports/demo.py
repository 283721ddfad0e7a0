"""Données de démonstration : un 2022 et un 2023 vraisemblables du dispositif rennais, dont le Bilan 2023
redonne, calculés par les indicateurs de l'application, les chiffres du bilan 2023 rédigé à la main.

Les chiffres que le bilan ne donne pas (nombres absolus) sont choisis pour que ceux qu'il donne tiennent :
- usagers reçus 2022 = 5 941, 2023 = 5 541 (−6,73 %) ; rendez-vous CCAS 2023 = 400 ; ARCS = 521 ;
  ERE déclarés = 4 151 → 5 541 + 400 + 521 + 4 151 = 10 613 personnes reçues ;
- permanences tenues 2022 = 600 (9,90 par permanence), 2023 = 430 (12,89 : +2,99) ;
- refus 2023 = 1 545 → 1 545 / (5 541 + 1 545) = 21,80 % sans réponse sur place ;
- démarches en ligne 2023 = 5 042 (91,0 %), dont Préfecture – droit des étrangers 2 700 (53,6 %),
  contre 2 318 en 2022 (+16,48 %).

Ce module écrit dans toutes les applications : c'est le jeu d'essai du Bilan, seul endroit où rapports écrit.
"""

import datetime
import io
import random
from collections import Counter, defaultdict
from decimal import Decimal

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone

from formations.enums import Presence, StatutSession
from formations.models import AccompagnementFormation, Inscription, SessionFormation, Theme
from inclusion.enums import Accord, Fonction, Quotite, Role
from inclusion.models import Demarche, Intervenant, Lieu, Structure, TempsDeTravail
from permanences.enums import MotifRefus, MotifRendezVous, Service, StatutRendezVous, TypeDemande
from permanences.models import Creneau, Passage, Permanence, Refus, RendezVous

GRAINE = 2023
MOT_DE_PASSE = "demo"
SOURCE_ERE = "Espaces Ressource Emploi (chiffre déclaré)"

LIEUX = [
    ("ESC Les Champs Manceaux", "15 rue Jean-Baptiste Barré, Rennes"),
    ("ESC Maurepas", "32 rue de la Marbaudais, Rennes"),
    ("ESC Cleunay", "49 rue Jules Lallemand, Rennes"),
    ("ESC Le Blosne", "7 boulevard de Yougoslavie, Rennes"),
    ("ESC Villejean", "43 cours Kennedy, Rennes"),
]
# Créneaux (lieu, jour, début, fin) : 13 jusqu'au 1er octobre 2023, puis 10.
CRENEAUX_13 = [
    (0, 0, 9),
    (0, 2, 14),
    (0, 4, 9),
    (1, 0, 14),
    (1, 1, 9),
    (1, 3, 14),
    (2, 1, 14),
    (2, 3, 9),
    (2, 4, 14),
    (3, 0, 9),
    (3, 2, 9),
    (4, 1, 9),
    (4, 3, 14),
]
CRENEAUX_10 = [
    (0, 0, 9),
    (0, 4, 9),
    (1, 1, 9),
    (1, 3, 14),
    (2, 1, 14),
    (2, 3, 9),
    (3, 0, 9),
    (3, 2, 9),
    (4, 1, 9),
    (4, 3, 14),
]
FIN_ANCIEN_PLANNING = datetime.date(2023, 10, 1)

# Moyenne d'usagers par permanence et par lieu : +1 à +5 selon le lieu.
MOYENNES = {2022: [10.4, 9.0, 10.6, 9.6, 9.9], 2023: [11.6, 12.4, 13.0, 14.2, 13.5]}
CIBLES = {
    2022: {
        "usagers": 5941,
        "tenues": 600,
        "demarches": 5406,
        "prefecture": 2318,
        "refus": 0,
        "rdv": 330,
        "arcs": 476,
        "mediateurs": 7,
    },
    2023: {
        "usagers": 5541,
        "tenues": 430,
        "demarches": 5042,
        "prefecture": 2700,
        "refus": 1545,
        "rdv": 400,
        "arcs": 521,
        "mediateurs": 5,
    },
}
MEDIATEURS = [
    "Noé Lambert",
    "Inès Garnier",
    "Malo Perrin",
    "Lina Roussel",
    "Yanis Caron",
    "Élise Marchand",
    "Tom Besnard",
]
ARCS = ["Jeanne Le Goff", "Karim Haddad"]
AU_FEMININ = ["Inès Garnier", "Lina Roussel", "Élise Marchand", "Jeanne Le Goff"]  # leur choix d'intitulé
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
STRUCTURES = ["CCAS", "ARCS", "CDAS", "ERE", "CAF", "Ville de Rennes", "Centre social", "Mission locale"]
REPARTITION_AGE = {
    "moins_12": 0,
    "12_17": 1,
    "18_24": 9,
    "25_39": 33,
    "40_59": 34,
    "60_69": 13,
    "70_plus": 8,
    "non_communique": 2,
}
REPARTITION_GENRE = {"feminin": 55, "masculin": 43, "non_communique": 2}
REPARTITION_AUTONOMIE = {"autonome": 6, "partiellement_autonome": 16, "accompagne": 41, "fait_a_sa_place": 37}
AUTRES_DEMARCHES = {
    "caf": 16,
    "ants": 14,
    "assurance_maladie": 13,
    "france_travail": 11,
    "impots": 9,
    "retraite": 6,
    "logement": 8,
    "energie": 5,
    "banque": 4,
    "scolarite": 4,
    "justice": 2,
    "transports": 3,
    "autre": 5,
}


def est_charge():
    return Lieu.objects.filter(nom=LIEUX[0][0]).exists()


def _tirage(rng, repartition, n):
    """n codes tirés selon des poids, en quantités exactes (arrondi par le plus fort reste), puis mélangés."""
    total = sum(repartition.values())
    brut = {c: n * p / total for c, p in repartition.items()}
    compte = {c: int(v) for c, v in brut.items()}
    for c in sorted(brut, key=lambda c: brut[c] - compte[c], reverse=True)[: n - sum(compte.values())]:
        compte[c] += 1
    codes = [c for c, k in compte.items() for _ in range(k)]
    rng.shuffle(codes)
    return codes


def _durees(rng, n, moyenne, maximum, minimum=5):
    """n durées entières de moyenne exacte `moyenne`, dont au moins une au maximum."""
    durees = [max(minimum, min(maximum, round(rng.gammavariate(2.2, moyenne / 2.2)))) for _ in range(n)]
    durees[0] = maximum
    ecart = moyenne * n - sum(durees)
    i = 1
    while ecart:
        j = 1 + (i % (n - 1))
        pas = 1 if ecart > 0 else -1
        if minimum <= durees[j] + pas <= maximum - 1:
            durees[j] += pas
            ecart -= pas
        i += 1
    return durees


def _repartir(rng, total, nombre):
    """Répartit `total` sur `nombre` cases, au plus égal, avec un peu de hasard."""
    base, reste = divmod(total, nombre)
    parts = [base] * nombre
    for i in rng.sample(range(nombre), reste):
        parts[i] += 1
    for _ in range(nombre):  # légère variation en conservant le total
        a, b = rng.randrange(nombre), rng.randrange(nombre)
        if parts[a] > 3:
            parts[a] -= 1
            parts[b] += 1
    return parts


def _jours_ouvres(annee):
    jour = datetime.date(annee, 1, 1)
    while jour.year == annee:
        ferme = jour.month == 8 or (jour.month == 12 and jour.day >= 24) or (jour.month == 1 and jour.day < 3)
        if not ferme and jour.weekday() < 5:
            yield jour
        jour += datetime.timedelta(days=1)


def _comptes(intervenants):
    groupes = {g.name: g for g in Group.objects.all()}
    for role in Role:
        fiche = intervenants.get(role.value)
        user, cree = User.objects.get_or_create(username=role.value)
        if fiche is not None:
            user.first_name, _, user.last_name = fiche.nom.partition(" ")
        user.set_password(MOT_DE_PASSE)
        user.is_staff = role == Role.COORDINATION
        user.save()
        user.groups.set([groupes[role.value]])
        if fiche is not None and fiche.user_id != user.pk:
            Intervenant.objects.filter(user=user).update(user=None)
            fiche.user = user
            fiche.save(update_fields=["user"])


@transaction.atomic
def charger(stdout=None):
    """Charge les données de démonstration (idempotent : ne fait rien si elles sont déjà là)."""
    if est_charge():
        _comptes({})
        return False
    rng = random.Random(GRAINE)
    lieux = [Lieu.objects.create(nom=n, adresse=a) for n, a in LIEUX]
    structures = {n: Structure.objects.get_or_create(nom=n)[0] for n in STRUCTURES}
    ccas, arcs_structure = structures["CCAS"], structures["ARCS"]
    mediateurs = [
        Intervenant.objects.create(nom=n, structure=ccas, fonction=Fonction.MEDIATEUR) for n in MEDIATEURS
    ]
    for m in mediateurs:
        m.lieux.set(lieux)
    for m in mediateurs[5:]:  # deux départs fin 2022
        m.actif = False
        m.depart_le = datetime.date(2022, 12, 31)
        m.save(update_fields=["actif", "depart_le"])
    TempsDeTravail.objects.create(
        intervenant=mediateurs[4],
        depuis=datetime.date(2023, 10, 1),
        quotite=Quotite.TEMPS_PARTIEL,
        pourcentage=50,
    )
    informaticiens = [
        Intervenant.objects.create(nom=n, structure=arcs_structure, fonction=Fonction.INFORMATICIEN_PUBLIC)
        for n in ARCS
    ]
    for i in informaticiens:
        i.lieux.set(lieux[:3])
    coordinateur = Intervenant.objects.create(
        nom="Sacha Morel", structure=ccas, fonction=Fonction.COORDINATEUR
    )
    formateur = Intervenant.objects.create(
        nom="Hugo Tanguy", structure=ccas, fonction=Fonction.COORDINATEUR_FORMATION
    )
    agent = Intervenant.objects.create(
        nom="Nadia Benali", structure=ccas, fonction=Fonction.AGENT_ACCUEIL, accord=Accord.FEMININ
    )
    for i in Intervenant.objects.filter(nom__in=AU_FEMININ):
        i.accord = Accord.FEMININ
        i.save(update_fields=["accord"])
    agent.lieux.set(lieux)
    coordinateur.lieux.set(lieux)

    creneaux = _planning(lieux, mediateurs)
    permanences = _permanences(rng, creneaux, mediateurs)
    demarches = {d.code: d for d in Demarche.objects.all()}
    for annee in (2022, 2023):
        _passages_et_refus(rng, annee, *permanences[annee], lieux, demarches)
        _rendez_vous(rng, annee, lieux, mediateurs, informaticiens, demarches)
    _formations(rng, lieux, formateur, structures)
    _orientation(structures, demarches)
    from .models import ChiffreExterne

    ChiffreExterne.objects.create(
        annee=2023,
        indicateur="dispositif.personnes_recues_externes",
        valeur=Decimal(4151),
        source=SOURCE_ERE,
        commentaire="3 ERE sur 4 seront en espaces numériques en ESC en 2024.",
    )
    _analyses()
    _identite()
    _comptes(
        {
            "mediation": mediateurs[0],
            "arcs": informaticiens[0],
            "coordination": coordinateur,
            "formation": formateur,
            "accueil": agent,
        }
    )
    return True


def _planning(lieux, mediateurs):
    creneaux = {2022: [], 2023: []}
    for i, (li, jour, heure) in enumerate(CRENEAUX_13):
        c = Creneau.objects.create(
            lieu=lieux[li],
            jour_semaine=jour,
            heure_debut=datetime.time(heure),
            heure_fin=datetime.time(heure + 3),
            valide_du=datetime.date(2022, 1, 1),
            valide_au=FIN_ANCIEN_PLANNING,
        )
        c.intervenants.set([mediateurs[i % 7], mediateurs[(i + 3) % 7]])
        creneaux[2022].append(c)
    for i, (li, jour, heure) in enumerate(CRENEAUX_10):
        c = Creneau.objects.create(
            lieu=lieux[li],
            jour_semaine=jour,
            heure_debut=datetime.time(heure),
            heure_fin=datetime.time(heure + 3),
            valide_du=FIN_ANCIEN_PLANNING + datetime.timedelta(days=1),
        )
        c.intervenants.set([mediateurs[i % 5], mediateurs[(i + 2) % 5]])
        creneaux[2023].append(c)
    # Permanence du samedi matin, ouverte en 2024 (hors des chiffres 2022-2023).
    Creneau.objects.create(
        lieu=lieux[0],
        jour_semaine=5,
        heure_debut=datetime.time(9),
        heure_fin=datetime.time(12),
        valide_du=datetime.date(2024, 1, 6),
    )
    return Creneau.objects.all()


def _permanences(rng, creneaux, mediateurs):
    """Permanences 2022-2023 à partir du planning ; celles qu'on n'a pas pu tenir sont annulées."""
    resultat = {}
    for annee in (2022, 2023):
        prevues = []
        for jour in _jours_ouvres(annee):
            for c in creneaux:
                if (
                    c.jour_semaine == jour.weekday()
                    and c.valide_du <= jour
                    and (c.valide_au is None or jour <= c.valide_au)
                ):
                    prevues.append(
                        Permanence(
                            date=jour,
                            lieu_id=c.lieu_id,
                            heure_debut=c.heure_debut,
                            heure_fin=c.heure_fin,
                            creneau=c,
                        )
                    )
        a_annuler = len(prevues) - CIBLES[annee]["tenues"]
        for p in rng.sample(prevues, a_annuler):
            p.annulee = True
            p.motif_annulation = rng.choice(
                [
                    "Médiateur absent",
                    "Réorganisation en binômes",
                    "Formation de l'équipe",
                    "Fermeture de l'ESC",
                ]
                if annee == 2023
                else ["Médiateur absent", "Fermeture de l'ESC"]
            )
        Permanence.objects.bulk_create(prevues)
        tenues = list(
            Permanence.objects.filter(date__year=annee, annulee=False).order_by(
                "date", "heure_debut", "lieu_id"
            )
        )
        equipe = mediateurs[: CIBLES[annee]["mediateurs"]]
        Lien = Permanence.intervenants.through
        liens, binomes = [], {}
        for i, p in enumerate(tenues):  # binômes qui tournent sur toute l'équipe de l'année
            a = equipe[i % len(equipe)]
            b = equipe[(i + 1 + (i // len(equipe)) % (len(equipe) - 1)) % len(equipe)]
            binomes[p.pk] = (a, b)
            liens += [Lien(permanence_id=p.pk, intervenant_id=m.pk) for m in {a, b}]
        Lien.objects.bulk_create(liens)
        resultat[annee] = (tenues, binomes)
    return resultat


def _passages_et_refus(rng, annee, tenues, binomes, lieux, demarches):
    cible = CIBLES[annee]
    par_lieu = defaultdict(list)
    for p in tenues:
        par_lieu[p.lieu_id].append(p)
    # Usagers par lieu selon la moyenne visée, le dernier lieu absorbant l'arrondi.
    usagers_lieu = [round(MOYENNES[annee][i] * len(par_lieu[lieu.pk])) for i, lieu in enumerate(lieux)]
    usagers_lieu[-1] += cible["usagers"] - sum(usagers_lieu)
    n = cible["usagers"]
    autres = cible["demarches"] - cible["prefecture"]
    codes_demarches = ["prefecture_etrangers"] * cible["prefecture"] + _tirage(rng, AUTRES_DEMARCHES, autres)
    types = [TypeDemande.DEMARCHE_EN_LIGNE] * cible["demarches"] + [TypeDemande.ACCOMPAGNEMENT_TECHNIQUE] * (
        n - cible["demarches"]
    )
    rng.shuffle(codes_demarches)
    profils = list(zip(types, codes_demarches + [None] * (n - cible["demarches"]), strict=True))
    rng.shuffle(profils)
    ages = _tirage(rng, REPARTITION_AGE, n)
    genres = _tirage(rng, REPARTITION_GENRE, n)
    autonomies = _tirage(rng, REPARTITION_AUTONOMIE, n)
    durees = _durees(rng, n, 21, 120)
    rng.shuffle(durees)
    passages = []
    k = 0
    for i, lieu in enumerate(lieux):
        perms = par_lieu[lieu.pk]
        for p, nombre in zip(perms, _repartir(rng, usagers_lieu[i], len(perms)), strict=True):
            for _ in range(nombre):
                type_demande, code = profils[k]
                passages.append(
                    Passage(
                        permanence=p,
                        date=p.date,
                        type_demande=type_demande,
                        demarche=demarches[code] if code else None,
                        duree_minutes=durees[k],
                        autonomie=autonomies[k],
                        tranche_age=ages[k],
                        genre=genres[k],
                        autre_venue_necessaire=rng.random() < 0.38,
                        attente_minutes=rng.randint(0, 75) if annee == 2023 else None,
                        intervenant=binomes[p.pk][k % 2],
                    )
                )
                k += 1
    Passage.objects.bulk_create(passages, batch_size=2000)
    if cible["refus"]:
        refus = []
        poids = [len(par_lieu[lieu.pk]) * MOYENNES[annee][i] for i, lieu in enumerate(lieux)]
        tirage = rng.choices(
            tenues,
            weights=[poids[[lieu.pk for lieu in lieux].index(p.lieu_id)] for p in tenues],
            k=cible["refus"],
        )
        motifs = _tirage(
            rng,
            {MotifRefus.COMPLET: 70, MotifRefus.HORS_HORAIRES: 12, MotifRefus.ORIENTE_AILLEURS: 10, "": 8},
            cible["refus"],
        )
        for p, motif in zip(tirage, motifs, strict=True):
            heure = datetime.datetime.combine(p.date, p.heure_debut) + datetime.timedelta(
                minutes=rng.randint(0, 170)
            )
            refus.append(Refus(permanence=p, date=p.date, horodatage=timezone.make_aware(heure), motif=motif))
        Refus.objects.bulk_create(refus, batch_size=2000)


def _rendez_vous(rng, annee, lieux, mediateurs, informaticiens, demarches):
    cible = CIBLES[annee]
    rdvs = []
    jours = list(_jours_ouvres(annee))
    equipe = mediateurs[: cible["mediateurs"]]
    # CCAS : 91 % démarches en ligne dont 75 % Préfecture (2023 : 364 et 273 sur 400).
    n = cible["rdv"]
    n_dem = round(0.91 * n)
    n_pref = round(0.75 * n_dem)
    codes = ["prefecture_etrangers"] * n_pref + _tirage(rng, AUTRES_DEMARCHES, n_dem - n_pref)
    types = [TypeDemande.DEMARCHE_EN_LIGNE] * n_dem + [TypeDemande.ACCOMPAGNEMENT_TECHNIQUE] * (n - n_dem)
    durees = _durees(rng, n, 35, 120)
    ages, genres = _tirage(rng, REPARTITION_AGE, n), _tirage(rng, REPARTITION_GENRE, n)
    occupes = set()

    def creneau(intervenant):
        while True:
            jour, heure = rng.choice(jours), datetime.time(rng.choice([9, 10, 11, 14, 15, 16]))
            if (intervenant.pk, jour, heure) not in occupes:
                occupes.add((intervenant.pk, jour, heure))
                return jour, heure

    for k in range(n):
        m = equipe[k % len(equipe)]
        jour, heure = creneau(m)
        rdvs.append(
            RendezVous(
                service=Service.CCAS,
                lieu=rng.choice(lieux),
                intervenant=m,
                date=jour,
                heure=heure,
                duree_prevue_minutes=60,
                duree_minutes=durees[k],
                statut=StatutRendezVous.HONORE,
                type_demande=types[k],
                demarche=demarches[codes[k]] if k < n_dem else None,
                tranche_age=ages[k],
                genre=genres[k],
                motif=rng.choice(
                    [MotifRendezVous.TROP_LONG_POUR_PERMANENCE, MotifRendezVous.FINALISER_DEMARCHE]
                ),
            )
        )
    for statut, nombre in (
        (StatutRendezVous.ABSENT, 38),
        (StatutRendezVous.EXCUSE, 21),
        (StatutRendezVous.ANNULE, 12),
    ):
        for _ in range(nombre):
            m = rng.choice(equipe)
            jour, heure = creneau(m)
            rdvs.append(
                RendezVous(
                    service=Service.CCAS,
                    lieu=rng.choice(lieux),
                    intervenant=m,
                    date=jour,
                    heure=heure,
                    statut=statut,
                    motif=MotifRendezVous.FINALISER_DEMARCHE,
                )
            )
    # ARCS : rendez-vous tenus par lieu, âge et genre.
    n = cible["arcs"]
    ages = _tirage(rng, {"12_17": 2, "18_24": 6, "25_39": 22, "40_59": 30, "60_69": 22, "70_plus": 18}, n)
    genres = _tirage(rng, {"feminin": 58, "masculin": 42}, n)
    lieux_arcs = _tirage(rng, {0: 45, 1: 35, 2: 20}, n)
    for k in range(n):
        i = informaticiens[k % 2]
        jour, heure = creneau(i)
        rdvs.append(
            RendezVous(
                service=Service.ARCS,
                lieu=lieux[lieux_arcs[k]],
                intervenant=i,
                date=jour,
                heure=heure,
                duree_prevue_minutes=45,
                duree_minutes=rng.choice([30, 45, 45, 60]),
                statut=StatutRendezVous.HONORE,
                type_demande=TypeDemande.ACCOMPAGNEMENT_TECHNIQUE,
                tranche_age=ages[k],
                genre=genres[k],
            )
        )
    for _ in range(30):
        i = rng.choice(informaticiens)
        jour, heure = creneau(i)
        rdvs.append(
            RendezVous(
                service=Service.ARCS,
                lieu=lieux[0],
                intervenant=i,
                date=jour,
                heure=heure,
                statut=StatutRendezVous.ABSENT,
            )
        )
    RendezVous.objects.bulk_create(rdvs, batch_size=2000)


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


def _formations(rng, lieux, formateur, structures):
    themes = [Theme.objects.create(nom=n) for n in THEMES]
    for annee, f in FORMATIONS.items():
        themes_annee = themes[: f["themes"]]
        jours = sorted(rng.sample(list(_jours_ouvres(annee)), f["sessions"]))
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
        Inscription.objects.bulk_create(inscriptions)
        accompagnements = _durees(rng, f["accompagnements"], f["duree"], 240, minimum=30)
        AccompagnementFormation.objects.bulk_create(
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


QUARTIERS = [
    ("Maurepas", True),
    ("Le Blosne", True),
    ("Villejean", True),
    ("Cleunay", True),
    ("Centre", False),
    ("Thabor", False),
    ("Sud-Gare", False),
]
CONTACTS = [
    (
        "Préfecture",
        "Accueil des étrangers – référents partenaires",
        "prefecture_etrangers",
        "Du lundi au vendredi, 9 h – 12 h",
    ),
    ("CAF", "Pôle partenaires", "caf", "Sur rendez-vous"),
    ("CPAM", "Référente accès aux droits", "assurance_maladie", "Mardi et jeudi"),
    ("France Travail", "Agence Rennes Est – conseillère partenaires", "france_travail", "Tous les matins"),
]


def _orientation(structures, demarches):
    """Annuaire, quartiers, freins et orientations : notés depuis 2023 (tirage à part, sans toucher aux autres)."""
    from inclusion.models import ContactAnnuaire, Quartier

    rng = random.Random(GRAINE + 1)
    quartiers = [Quartier.objects.create(nom=n, qpv=q) for n, q in QUARTIERS] + [
        Quartier.objects.get(nom="Hors commune")
    ]
    for nom, service, code, horaires in CONTACTS:
        structure = structures.get(nom) or Structure.objects.create(nom=nom)
        structures[nom] = structure
        contact = ContactAnnuaire.objects.create(
            structure=structure, service=service, horaires=horaires, telephone="02 99 00 00 00"
        )
        contact.demarches.add(demarches[code])
    debut, fin = datetime.date(2023, 1, 1), datetime.date(2024, 1, 1)
    passages = list(
        Passage.objects.filter(date__gte=debut, date__lt=fin).select_related("demarche").order_by("pk")
    )
    vers = {
        "prefecture_etrangers": structures["Préfecture"],
        "caf": structures["CAF"],
        "assurance_maladie": structures["CPAM"],
        "france_travail": structures["France Travail"],
    }
    for passage in passages:
        passage.quartier = (
            rng.choices(quartiers, weights=[22, 18, 12, 10, 9, 4, 8, 7])[0] if rng.random() < 0.8 else None
        )
        freins = rng.sample(
            ["appreciation_outil", "crainte_demarche", "langue", "equipement"], rng.choice([0, 1, 1, 2])
        )
        passage.freins = Passage.encoder_freins(freins)
        code = passage.demarche.code if passage.demarche else None
        passage.oriente_vers = vers.get(code) if code in vers and rng.random() < 0.15 else None
    Passage.objects.bulk_update(passages, ["quartier", "freins", "oriente_vers"], batch_size=2000)
    refus = list(Refus.objects.filter(date__gte=debut, date__lt=fin, motif=MotifRefus.ORIENTE_AILLEURS))
    for r in refus:
        r.oriente_vers = rng.choice(list(vers.values()))
    Refus.objects.bulk_update(refus, ["oriente_vers"], batch_size=2000)


def _logo(texte, couleur):
    """Un logo de démonstration dessiné sur place (aucun fichier téléchargé) : un bandeau et un nom."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 160), "white")
    dessin = ImageDraw.Draw(image)
    dessin.rectangle((0, 0, 40, 160), fill=couleur)
    dessin.text((60, 60), texte, fill=couleur, font_size=36)
    tampon = io.BytesIO()
    image.save(tampon, format="PNG")
    return tampon.getvalue(), "image/png"


def _identite():
    from inclusion.models import IdentiteDispositif

    logo, type_ = _logo("CCAS de Rennes", "#0b4f8a")
    identite = IdentiteDispositif.objects.create(
        nom="Projet inclusion numérique dans les Espaces Sociaux Communs",
        nom_court="Inclusion numérique ESC",
        organisation="CCAS de Rennes",
        site_web="https://www.espacenumeriqueesc.fr/",
        texte_de_cloture="Pour connaître nos actions et actualités tout au long de l'année, "
        "n'hésitez pas à consulter notre site internet.",
        logo=logo,
        logo_type=type_,
    )
    for ordre, (nom, couleur) in enumerate(
        [
            ("Conseiller numérique France services", "#2a7d4f"),
            ("CCAS de Rennes", "#0b4f8a"),
            ("Ville de Rennes", "#a4161a"),
        ]
    ):
        logo, type_ = _logo(nom if len(nom) < 20 else "Conseiller numérique", couleur)
        identite.partenaires.create(nom=nom, ordre=ordre, logo=logo, logo_type=type_)


def _analyses():
    """L'analyse de l'équipe, en points comme dans le bilan 2023 rédigé à la main ; les chiffres sont cités par
    leur clé (rapports.analyse) et rendus à partir des données."""
    from .models import PointAnalyse
    from .services import ajouter_point

    points = {
        "analyse_permanences": [
            (
                "Une attente toujours aussi importante des usagers",
                "{permanences.moyenne_usagers_par_permanence} personnes en moyenne par permanence et "
                "{permanences.refus} refus : nécessité de trouver de nouvelles solutions dans l'attente de pouvoir "
                "renforcer l'équipe.",
            ),
            (
                "Une dématérialisation grandissante",
                "{permanences.types_demande_pct.demarche_en_ligne} des demandes concernent des démarches en ligne : "
                "nécessité d'avoir des contacts professionnels identifiés dans les administrations (préfecture par "
                "exemple).",
            ),
            (
                "Une mise en réseau difficile",
                "Nécessité d'améliorer le maillage et la lisibilité des acteurs pour orienter les usagers vers les "
                "bons interlocuteurs : objectif du projet PORTREA.",
            ),
            (
                "Des outils adaptés",
                "Besoin d'outils et de mobiliers adaptés à la médiation, sécurisés et entretenus.",
            ),
        ],
        "analyse_formations": [
            (
                "Une belle progression du ratio d'inscriptions par formation",
                "Beaucoup moins d'annulations faute de participants : taux d'annulation de "
                "{formations.taux_annulation_pct} ({formations.taux_annulation_pct.evolution} par rapport à 2022). "
                "Donc une meilleure organisation des plannings et des inscriptions.",
            ),
            (
                "Une forte progression de la dimension partenariale",
                "Les savoirs sont mieux diffusés aux organisations du dispositif, et non plus surtout aux agents du "
                "CCAS : {formations.structures_pct.CDAS} des participants viennent du CDAS "
                "({formations.structures_pct.CDAS.evolution}).",
            ),
            (
                "Un éventail large et actualisé de sujets",
                "Graphisme, outils professionnels (documents numériques, outils collaboratifs), mais aussi "
                "découverte de l'intelligence artificielle, avec un contenu qui colle à l'actualité.",
            ),
            (
                "Une offre complétée par du sur-mesure",
                "{formations.accompagnements_individuels} accompagnements individuels de professionnels, de "
                "{formations.duree_moyenne_accompagnement_minutes} en moyenne.",
            ),
        ],
        "a_retenir": [
            (
                "Des permanences de plus en plus sollicitées",
                "Le nombre de personnes se présentant lors des permanences des médiateurs socio-numériques augmente "
                "sans cesse. Ceci repose la question du dimensionnement et de la pérennité des ressources humaines.",
            ),
            (
                "Une action complémentaire des partenaires",
                "Améliorer et renforcer l'usage des espaces-temps dans les ESC et dans l'aller-vers par une "
                "dynamique de partage, y compris avec les acteurs en quartiers.",
            ),
            (
                "Un travail particulier avec les services de l'État",
                "Être en situation légale vis-à-vis de l'État est indispensable pour actionner les droits et aides "
                "territoriales.",
            ),
        ],
        "methodologie": [
            (
                "Données de démonstration",
                "Les chiffres du bilan 2023 rédigé à la main ne tiennent pas tous ensemble : 65 sessions programmées "
                "dont 49 tenues font 16 annulations, soit 24,6 % (le bilan écrivait 27 %) ; avec 226 participants, "
                "aucune part entière ne vaut 41,8 % (94 participants du CDAS font 41,6 %, 95 font 42,0 %). Les "
                "nombres (sessions, participants) sont reproduits exactement, les parts en découlent.\n\n"
                "Les refus ne sont comptés par l'accueil que depuis 2023 : 2022 est « non suivi », pas zéro.",
            ),
        ],
    }
    if PointAnalyse.objects.filter(annee=2023).exists():
        return
    for section, liste in points.items():
        for titre, texte in liste:
            ajouter_point(annee=2023, section=section, titre=titre, texte=texte)
