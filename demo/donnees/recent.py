"""La démonstration vivante : des données du 1er janvier 2024 à aujourd'hui, de la même forme que 2022-2023 en
plus modeste, pour que chaque compte arrive sur un écran rempli (permanences du jour avec des personnes qui
attendent, rendez-vous de la semaine, session la semaine prochaine, tableau de bord de l'année).

Glissante : relancée un autre jour, elle complète les jours manquants sans rien doubler (un jour passé qui a
déjà des passages est gardé tel quel ; les pointages du jour ne sont ajoutés qu'une fois). Chaque jour a son
propre tirage (graine + date) : le même jour redonne les mêmes données. 2022 et 2023 ne sont pas touchées, ni
donc le Bilan 2023.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from formations import services_en_masse as formations_en_masse
from formations.enums import Presence, StatutSession
from formations.models import Inscription, SessionFormation, Theme
from inclusion.cloture import annees_closes
from inclusion.enums import Fonction
from inclusion.journal import RAISON_DEMO
from inclusion.models import Demarche, Intervenant, Lieu, Structure
from permanences import services_en_masse
from permanences.enums import MotifRefus, Service, StatutRendezVous, TypeDemande
from permanences.models import Arrivee, Passage, Permanence, Refus, RendezVous
from permanences.services import creer_permanences_du_jour

from . import hasard
from .permanences import AUTRES_DEMARCHES, REPARTITION_AGE, REPARTITION_AUTONOMIE, REPARTITION_GENRE

DEBUT = datetime.date(2024, 1, 1)
GRAINE = 2024
PASSAGES_PAR_PERMANENCE = (6, 14)
HEURES_RDV = (9, 10, 11, 14, 15, 16)


def _choix(rng, repartition):
    codes, poids = zip(*repartition.items(), strict=True)
    return rng.choices(codes, weights=poids)[0]


def _passages(rng, permanences, mediateurs, demarches):
    passages, refus = [], []
    for permanence in permanences:
        binome = rng.sample(mediateurs, 2)
        for k in range(rng.randint(*PASSAGES_PAR_PERMANENCE)):
            en_ligne = rng.random() < 0.9
            code = "prefecture_etrangers" if rng.random() < 0.55 else _choix(rng, AUTRES_DEMARCHES)
            passages.append(
                Passage(
                    permanence=permanence,
                    date=permanence.date,
                    type_demande=TypeDemande.DEMARCHE_EN_LIGNE
                    if en_ligne
                    else TypeDemande.ACCOMPAGNEMENT_TECHNIQUE,
                    demarche=demarches.get(code) if en_ligne else None,
                    duree_minutes=rng.choice([10, 15, 20, 20, 20, 30, 30, 45, 60]),
                    autonomie=_choix(rng, REPARTITION_AUTONOMIE),
                    tranche_age=_choix(rng, REPARTITION_AGE),
                    genre=_choix(rng, REPARTITION_GENRE),
                    autre_venue_necessaire=rng.random() < 0.35,
                    attente_minutes=rng.randint(0, 60),
                    intervenant=binome[k % 2],
                )
            )
        for _ in range(rng.choice([0, 1, 2, 3, 4])):
            heure = datetime.datetime.combine(permanence.date, permanence.heure_debut)
            refus.append(
                Refus(
                    permanence=permanence,
                    date=permanence.date,
                    horodatage=timezone.make_aware(heure + datetime.timedelta(minutes=rng.randint(30, 170))),
                    motif=rng.choice([MotifRefus.COMPLET, MotifRefus.COMPLET, MotifRefus.HORS_HORAIRES]),
                )
            )
    services_en_masse.enregistrer_passages(passages, raison=RAISON_DEMO)
    services_en_masse.creer_refus(refus, raison=RAISON_DEMO)


def _rendez_vous(rng, jour, equipe, lieux, aujourdhui):
    """Quelques rendez-vous ce jour-là ; passés : avec leur issue ; à venir : à renseigner."""
    rdvs = []
    for service, intervenants, nombre in equipe:
        for intervenant in intervenants:
            for heure in rng.sample(HEURES_RDV, nombre):
                passe = jour < aujourdhui
                statut = rng.choices(
                    [StatutRendezVous.HONORE, StatutRendezVous.ABSENT, StatutRendezVous.EXCUSE], [85, 10, 5]
                )[0]
                honore = passe and statut == StatutRendezVous.HONORE
                rdvs.append(
                    RendezVous(
                        service=service,
                        lieu=rng.choice(lieux),
                        intervenant=intervenant,
                        date=jour,
                        heure=datetime.time(heure),
                        duree_prevue_minutes=45,
                        duree_minutes=rng.choice([30, 45, 60]) if honore else None,
                        statut=statut if passe else StatutRendezVous.A_RENSEIGNER,
                        type_demande=TypeDemande.ACCOMPAGNEMENT_TECHNIQUE if honore else "",
                        tranche_age=_choix(rng, REPARTITION_AGE) if honore else "non_communique",
                        genre=_choix(rng, REPARTITION_GENRE) if honore else "non_communique",
                    )
                )
    return rdvs


@transaction.atomic
def mettre_a_jour(aujourdhui=None):
    """Complète la démonstration jusqu'à aujourd'hui ; renvoie le nombre de jours ajoutés."""
    aujourdhui = aujourdhui or timezone.localdate()
    closes = annees_closes()
    lieux = list(Lieu.objects.actifs().order_by("pk"))
    mediateurs = list(Intervenant.objects.actifs().filter(fonction=Fonction.MEDIATEUR).order_by("pk"))
    informaticiens = list(
        Intervenant.objects.actifs().filter(fonction=Fonction.INFORMATICIEN_PUBLIC).order_by("pk")
    )
    if not lieux or len(mediateurs) < 2:
        return 0
    demarches = {d.code: d for d in Demarche.objects.all()}
    deja = set(Passage.objects.filter(date__gte=DEBUT).values_list("date", flat=True).distinct())
    rdv_deja = set(RendezVous.objects.filter(date__gte=DEBUT).values_list("date", flat=True).distinct())
    equipe = [(Service.CCAS, mediateurs[:2], 1), (Service.ARCS, informaticiens, 2)]
    ajoutes = 0
    semaine_prochaine = aujourdhui + datetime.timedelta(days=7)
    for jour in hasard.jours_ouvres_entre(DEBUT, semaine_prochaine):
        if jour.year in closes:
            continue
        rng = random.Random(GRAINE * 10_000 + jour.toordinal())
        if jour < aujourdhui and jour not in deja:
            permanences = [p for p in creer_permanences_du_jour(jour) if not p.annulee]
            _passages(rng, permanences, mediateurs, demarches)
            ajoutes += 1
        if jour not in rdv_deja:
            services_en_masse.creer_rendez_vous(
                _rendez_vous(rng, jour, equipe, lieux, aujourdhui), raison=RAISON_DEMO
            )
    _aujourdhui(aujourdhui, lieux)
    _session_a_venir(aujourdhui, lieux)
    return ajoutes


def _aujourdhui(aujourdhui, lieux):
    """Une permanence aujourd'hui dans chaque lieu (exceptionnelle si le planning n'en prévoit pas), avec des
    personnes arrivées qui attendent ; ajoutées une fois."""
    if aujourdhui.year in annees_closes():
        return
    creer_permanences_du_jour(aujourdhui)
    existantes = {p.lieu_id: p for p in Permanence.objects.filter(date=aujourdhui)}
    for lieu in lieux:
        if lieu.pk not in existantes:
            existantes[lieu.pk] = Permanence.objects.create(
                lieu=lieu, date=aujourdhui, heure_debut=datetime.time(9), heure_fin=datetime.time(17)
            )
    if Arrivee.objects.filter(permanence__date=aujourdhui).exists():
        return
    maintenant = timezone.now()
    rng = random.Random(GRAINE + aujourdhui.toordinal())
    for permanence in existantes.values():
        for minutes in sorted(rng.sample(range(2, 40), 3), reverse=True):
            Arrivee.objects.create(
                permanence=permanence,
                horodatage=maintenant - datetime.timedelta(minutes=minutes),
                tranche_age=_choix(rng, REPARTITION_AGE) if rng.random() < 0.5 else "",
                genre=_choix(rng, REPARTITION_GENRE) if rng.random() < 0.5 else "",
            )


def _session_a_venir(aujourdhui, lieux):
    """Une session de formation la semaine prochaine, avec quelques inscrits ; ajoutée une fois."""
    jour = aujourdhui + datetime.timedelta(days=7 - aujourdhui.weekday() + 1)  # le mardi suivant
    if SessionFormation.objects.filter(date=jour).exists() or jour.year in annees_closes():
        return
    theme = Theme.objects.order_by("pk").first()
    formateur = Intervenant.objects.filter(fonction=Fonction.COORDINATEUR_FORMATION).first()
    if theme is None:
        return
    session = SessionFormation.objects.create(
        theme=theme,
        date=jour,
        heure_debut=datetime.time(9, 30),
        heure_fin=datetime.time(12),
        lieu=lieux[0],
        formateur=formateur,
        capacite=10,
        statut=StatutSession.PROGRAMMEE,
    )
    structures = list(Structure.objects.filter(nom__in=["CDAS", "CCAS", "Centre social"]))
    formations_en_masse.creer_inscriptions(
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
