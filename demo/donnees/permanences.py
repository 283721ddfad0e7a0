"""Permanences, passages, refus et rendez-vous de démonstration (2022 et 2023), écrits par les services des
permanences (avec leur journal)."""

import datetime
from collections import defaultdict

from django.utils import timezone

from inclusion.journal import RAISON_DEMO
from permanences import services_en_masse
from permanences.enums import MotifRefus, MotifRendezVous, Service, StatutRendezVous, TypeDemande
from permanences.models import Creneau, Passage, Permanence, Refus, RendezVous
from permanences.services import creer_creneau

from . import hasard

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


def planning(lieux, mediateurs):
    creneaux = {2022: [], 2023: []}
    for i, (li, jour, heure) in enumerate(CRENEAUX_13):
        c = creer_creneau(
            lieu=lieux[li],
            jour_semaine=jour,
            heure_debut=datetime.time(heure),
            heure_fin=datetime.time(heure + 3),
            valide_du=datetime.date(2022, 1, 1),
            valide_au=FIN_ANCIEN_PLANNING,
            intervenants=[mediateurs[i % 7], mediateurs[(i + 3) % 7]],
        )
        creneaux[2022].append(c)
    for i, (li, jour, heure) in enumerate(CRENEAUX_10):
        c = creer_creneau(
            lieu=lieux[li],
            jour_semaine=jour,
            heure_debut=datetime.time(heure),
            heure_fin=datetime.time(heure + 3),
            valide_du=FIN_ANCIEN_PLANNING + datetime.timedelta(days=1),
            intervenants=[mediateurs[i % 5], mediateurs[(i + 2) % 5]],
        )
        creneaux[2023].append(c)
    # Permanence du samedi matin, ouverte en 2024 (hors des chiffres 2022-2023).
    creer_creneau(
        lieu=lieux[0],
        jour_semaine=5,
        heure_debut=datetime.time(9),
        heure_fin=datetime.time(12),
        valide_du=datetime.date(2024, 1, 6),
    )
    return Creneau.objects.all()


def permanences(rng, creneaux, mediateurs):
    """Permanences 2022-2023 à partir du planning ; celles qu'on n'a pas pu tenir sont annulées."""
    resultat = {}
    for annee in (2022, 2023):
        prevues = []
        for jour in hasard.jours_ouvres(annee):
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
        tenues = sorted(
            (p for p in prevues if not p.annulee), key=lambda p: (p.date, p.heure_debut, p.lieu_id)
        )
        equipe = mediateurs[: CIBLES[annee]["mediateurs"]]
        binomes = []
        for i, _ in enumerate(tenues):  # binômes qui tournent sur toute l'équipe de l'année
            a = equipe[i % len(equipe)]
            b = equipe[(i + 1 + (i // len(equipe)) % (len(equipe) - 1)) % len(equipe)]
            binomes.append((a, b))
        annulees = [(p, []) for p in prevues if p.annulee]
        services_en_masse.creer_permanences(
            [(p, [m.pk for m in binome]) for p, binome in zip(tenues, binomes, strict=True)] + annulees
        )
        binomes = {p.pk: binome for p, binome in zip(tenues, binomes, strict=True)}
        resultat[annee] = (tenues, binomes)
    return resultat


def passages_et_refus(rng, annee, tenues, binomes, lieux, demarches):
    cible = CIBLES[annee]
    par_lieu = defaultdict(list)
    for p in tenues:
        par_lieu[p.lieu_id].append(p)
    # Usagers par lieu selon la moyenne visée, le dernier lieu absorbant l'arrondi.
    usagers_lieu = [round(MOYENNES[annee][i] * len(par_lieu[lieu.pk])) for i, lieu in enumerate(lieux)]
    usagers_lieu[-1] += cible["usagers"] - sum(usagers_lieu)
    n = cible["usagers"]
    autres = cible["demarches"] - cible["prefecture"]
    codes_demarches = ["prefecture_etrangers"] * cible["prefecture"] + hasard.tirage(
        rng, AUTRES_DEMARCHES, autres
    )
    types = [TypeDemande.DEMARCHE_EN_LIGNE] * cible["demarches"] + [TypeDemande.ACCOMPAGNEMENT_TECHNIQUE] * (
        n - cible["demarches"]
    )
    rng.shuffle(codes_demarches)
    profils = list(zip(types, codes_demarches + [None] * (n - cible["demarches"]), strict=True))
    rng.shuffle(profils)
    ages = hasard.tirage(rng, REPARTITION_AGE, n)
    genres = hasard.tirage(rng, REPARTITION_GENRE, n)
    autonomies = hasard.tirage(rng, REPARTITION_AUTONOMIE, n)
    durees = hasard.durees(rng, n, 21, 120)
    rng.shuffle(durees)
    passages = []
    k = 0
    for i, lieu in enumerate(lieux):
        perms = par_lieu[lieu.pk]
        for p, nombre in zip(perms, hasard.repartir(rng, usagers_lieu[i], len(perms)), strict=True):
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
    services_en_masse.enregistrer_passages(passages, raison=RAISON_DEMO)
    if cible["refus"]:
        refus = []
        poids = [len(par_lieu[lieu.pk]) * MOYENNES[annee][i] for i, lieu in enumerate(lieux)]
        refusees = rng.choices(
            tenues,
            weights=[poids[[lieu.pk for lieu in lieux].index(p.lieu_id)] for p in tenues],
            k=cible["refus"],
        )
        motifs = hasard.tirage(
            rng,
            {MotifRefus.COMPLET: 70, MotifRefus.HORS_HORAIRES: 12, MotifRefus.ORIENTE_AILLEURS: 10, "": 8},
            cible["refus"],
        )
        for p, motif in zip(refusees, motifs, strict=True):
            heure = datetime.datetime.combine(p.date, p.heure_debut) + datetime.timedelta(
                minutes=rng.randint(0, 170)
            )
            refus.append(Refus(permanence=p, date=p.date, horodatage=timezone.make_aware(heure), motif=motif))
        services_en_masse.creer_refus(refus, raison=RAISON_DEMO)


def rendez_vous(rng, annee, lieux, mediateurs, informaticiens, demarches):
    cible = CIBLES[annee]
    rdvs = []
    jours = list(hasard.jours_ouvres(annee))
    equipe = mediateurs[: cible["mediateurs"]]
    # CCAS : 91 % démarches en ligne dont 75 % Préfecture (2023 : 364 et 273 sur 400).
    n = cible["rdv"]
    n_dem = round(0.91 * n)
    n_pref = round(0.75 * n_dem)
    codes = ["prefecture_etrangers"] * n_pref + hasard.tirage(rng, AUTRES_DEMARCHES, n_dem - n_pref)
    types = [TypeDemande.DEMARCHE_EN_LIGNE] * n_dem + [TypeDemande.ACCOMPAGNEMENT_TECHNIQUE] * (n - n_dem)
    durees = hasard.durees(rng, n, 35, 120)
    ages, genres = hasard.tirage(rng, REPARTITION_AGE, n), hasard.tirage(rng, REPARTITION_GENRE, n)
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
    ages = hasard.tirage(
        rng, {"12_17": 2, "18_24": 6, "25_39": 22, "40_59": 30, "60_69": 22, "70_plus": 18}, n
    )
    genres = hasard.tirage(rng, {"feminin": 58, "masculin": 42}, n)
    lieux_arcs = hasard.tirage(rng, {0: 45, 1: 35, 2: 20}, n)
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
    services_en_masse.creer_rendez_vous(rdvs, raison=RAISON_DEMO)
