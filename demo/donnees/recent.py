"""La démonstration vivante : des données du 1er janvier 2024 à aujourd'hui, qui ressemblent aux années suivantes
d'un vrai dispositif, pour que chaque compte arrive sur un écran rempli et que les Bilans 2024 et suivants se
lisent comme de vrais bilans.

- les permanences du planning hebdomadaire (demi-journées du lundi au samedi, fermetures d'août et de fin
  d'année), chacune avec sa fréquentation propre selon le lieu ;
- chaque passage vient d'une arrivée pointée à l'accueil (prise en charge par le médiateur, attente qui en
  découle), avec quartier, freins et orientation comme en 2023 ; des refus les jours chargés ;
- des rendez-vous des médiateurs (démarches en ligne et accompagnement technique) et de l'ARCS ;
- des sessions de formation chaque trimestre (demo.donnees.formations) ;
- les chiffres déclarés des ERE (3 ERE sur 4 en espaces numériques en ESC dès 2024) et l'analyse de l'équipe de
  chaque année terminée (demo.donnees.document).

Glissante : relancée un autre jour, elle complète les jours manquants sans rien doubler (un jour passé qui a
déjà des passages est gardé tel quel ; les pointages du jour ne sont ajoutés qu'une fois). Chaque jour a ses
propres tirages (graine + date) : le même jour redonne les mêmes données. 2022 et 2023 ne sont pas touchées, ni
donc le Bilan 2023.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from inclusion.annees_closes import annees_closes
from inclusion.enums import Fonction
from inclusion.journal import RAISON_DEMO
from inclusion.models import Demarche, Intervenant, Lieu, Quartier, Structure
from permanences import services_en_masse
from permanences.enums import MotifRefus, MotifRendezVous, Service, StatutRendezVous, TypeDemande
from permanences.models import Arrivee, Creneau, Passage, Permanence, Refus, RendezVous
from permanences.services import creer_permanences_du_jour

from . import document, formations, hasard, orientation
from .permanences import AUTRES_DEMARCHES, REPARTITION_AGE, REPARTITION_AUTONOMIE, REPARTITION_GENRE

DEBUT = datetime.date(2024, 1, 1)
GRAINE = 2024
# Personnes reçues en moyenne par permanence, par lieu (ordre de equipe.LIEUX) : des lieux qui diffèrent.
MOYENNES = [12.5, 10.0, 7.5, 14.5, 9.0]
MOYENNE_SAMEDI = 6.0
HEURES_RDV = (9, 10, 11, 14, 15, 16)
AGES_ARCS = {"12_17": 2, "18_24": 6, "25_39": 22, "40_59": 30, "60_69": 22, "70_plus": 18}


def _choix(rng, repartition):
    codes, poids = zip(*repartition.items(), strict=True)
    return rng.choices(codes, weights=poids)[0]


def _moment(jour, heure, minutes):
    return timezone.make_aware(datetime.datetime.combine(jour, heure) + datetime.timedelta(minutes=minutes))


def _accueil(rng, permanence, binome, references, en_attente):
    """Une permanence passée : arrivées pointées, prises en charge par le binôme dans l'ordre d'arrivée,
    passages (attente = prise en charge − arrivée) et refus une fois la jauge atteinte. Les personnes restées
    en attente d'un précédent « aujourd'hui » sont reçues en premier."""
    lieu = references["rang_lieu"][permanence.lieu_id]
    moyenne = MOYENNE_SAMEDI if permanence.date.weekday() == 5 else MOYENNES[lieu]
    nombre = max(len(en_attente), min(20, round(rng.gauss(moyenne, 2.5))), 2)
    debut = permanence.heure_debut
    heures = sorted(rng.uniform(-15, 150) for _ in range(nombre - len(en_attente)))
    arrivees = list(en_attente) + [
        Arrivee(permanence=permanence, horodatage=_moment(permanence.date, debut, m)) for m in heures
    ]
    libre = {m: _moment(permanence.date, debut, 0) for m in binome}
    passages = []
    for arrivee in arrivees:
        mediateur = min(binome, key=lambda m: (libre[m], m))
        prise = max(arrivee.horodatage, libre[mediateur])
        duree = max(5, min(120, round(rng.gammavariate(2.2, 22 / 2.2))))
        libre[mediateur] = prise + datetime.timedelta(minutes=duree)
        age = arrivee.tranche_age or _choix(rng, REPARTITION_AGE)
        genre = arrivee.genre or _choix(rng, REPARTITION_GENRE)
        arrivee.prise_en_charge_le, arrivee.prise_en_charge_par_id = prise, mediateur
        if arrivee.pk is None and rng.random() < 0.7:  # l'accueil note le profil le plus souvent
            arrivee.tranche_age, arrivee.genre = age, genre
        en_ligne = rng.random() < 0.9
        code = "prefecture_etrangers" if rng.random() < 0.55 else _choix(rng, AUTRES_DEMARCHES)
        quartier, freins, vers = orientation.profil_territorial(
            rng, lieu, code if en_ligne else None, references
        )
        passages.append(
            Passage(
                permanence=permanence,
                date=permanence.date,
                arrivee=arrivee,
                type_demande=TypeDemande.DEMARCHE_EN_LIGNE
                if en_ligne
                else TypeDemande.ACCOMPAGNEMENT_TECHNIQUE,
                demarche=references["demarches"].get(code) if en_ligne else None,
                duree_minutes=duree,
                autonomie=_choix(rng, REPARTITION_AUTONOMIE),
                tranche_age=age,
                genre=genre,
                autre_venue_necessaire=rng.random() < 0.35,
                attente_minutes=int((prise - arrivee.horodatage).total_seconds() // 60),
                intervenant_id=mediateur,
                quartier=quartier,
                freins=Passage.encoder_freins(freins),
                oriente_vers=vers,
            )
        )
    refus = []
    for _ in range(max(0, nombre - round(moyenne) + rng.choice([-1, 0, 1]))):  # les jours chargés
        motif = _choix(
            rng, {MotifRefus.COMPLET: 75, MotifRefus.HORS_HORAIRES: 12, MotifRefus.ORIENTE_AILLEURS: 13}
        )
        refus.append(
            Refus(
                permanence=permanence,
                date=permanence.date,
                horodatage=_moment(permanence.date, debut, rng.randint(100, 175)),
                motif=motif,
                oriente_vers=rng.choice(list(references["vers"].values()))
                if motif == MotifRefus.ORIENTE_AILLEURS
                else None,
            )
        )
    return arrivees, passages, refus


def _rendez_vous(rng, jour, references, aujourdhui):
    """Les rendez-vous du jour : deux des médiateurs (démarches en ligne ou accompagnement technique, motif) et
    l'ARCS (accompagnement technique, dans ses trois lieux) ; passés : avec leur issue ; à venir : à renseigner."""
    passe = jour < aujourdhui
    rdvs = []
    lieux, arcs = references["lieux"], references["informaticiens"]
    agenda = [(Service.CCAS, m, 1) for m in rng.sample(references["mediateurs"], 2)]
    agenda += [
        (Service.ARCS, i, rng.choice([1, 1, 2] if jour.year == 2024 else [1, 1, 1, 2, 2])) for i in arcs
    ]
    for service, intervenant, nombre in agenda:
        for heure in rng.sample(HEURES_RDV, nombre):
            statut = _choix(
                rng,
                {
                    StatutRendezVous.HONORE: 84,
                    StatutRendezVous.ABSENT: 9,
                    StatutRendezVous.EXCUSE: 4,
                    StatutRendezVous.ANNULE: 3,
                },
            )
            honore = passe and statut == StatutRendezVous.HONORE
            ccas = service == Service.CCAS
            en_ligne = ccas and rng.random() < 0.85
            code = "prefecture_etrangers" if rng.random() < 0.7 else _choix(rng, AUTRES_DEMARCHES)
            rdvs.append(
                RendezVous(
                    service=service,
                    lieu=rng.choice(lieux) if ccas else lieux[_choix(rng, {0: 45, 1: 35, 2: 20})],
                    intervenant=intervenant,
                    date=jour,
                    heure=datetime.time(heure),
                    duree_prevue_minutes=60 if ccas else 45,
                    duree_minutes=max(15, min(120, round(rng.gammavariate(3, 12.5 if ccas else 15))))
                    if honore
                    else None,
                    statut=statut if passe else StatutRendezVous.A_RENSEIGNER,
                    type_demande=(
                        TypeDemande.DEMARCHE_EN_LIGNE if en_ligne else TypeDemande.ACCOMPAGNEMENT_TECHNIQUE
                    )
                    if honore
                    else "",
                    demarche=references["demarches"].get(code) if honore and en_ligne else None,
                    motif=_choix(
                        rng,
                        {
                            MotifRendezVous.TROP_LONG_POUR_PERMANENCE: 55,
                            MotifRendezVous.FINALISER_DEMARCHE: 45,
                        },
                    )
                    if ccas
                    else "",
                    tranche_age=_choix(rng, REPARTITION_AGE if ccas else AGES_ARCS)
                    if honore
                    else "non_communique",
                    genre=_choix(rng, REPARTITION_GENRE) if honore else "non_communique",
                )
            )
    return rdvs


def _references():
    lieux = list(Lieu.objects.actifs().order_by("pk"))
    actifs = Intervenant.objects.actifs().order_by("pk")
    structures = {s.nom: s for s in Structure.objects.all()}
    return {
        "lieux": lieux,
        "rang_lieu": {lieu.pk: i for i, lieu in enumerate(lieux)},
        "mediateurs": list(actifs.filter(fonction=Fonction.MEDIATEUR)),
        "informaticiens": list(actifs.filter(fonction=Fonction.INFORMATICIEN_PUBLIC)),
        "demarches": {d.code: d for d in Demarche.objects.all()},
        "quartiers": {q.nom: q for q in Quartier.objects.all()},
        "structures": structures,
        "vers": {code: structures[nom] for code, nom in orientation.VERS.items() if nom in structures},
        "binomes": {
            c.pk: sorted(i.pk for i in c.intervenants.all())
            for c in Creneau.objects.prefetch_related("intervenants")
        },
    }


def _jours_de_permanence(debut, fin):
    """Les jours du planning : du lundi au samedi, hors fermetures (août, fin d'année)."""
    return hasard.jours_ouvres_entre(debut, fin, samedi=True)


@transaction.atomic
def mettre_a_jour(aujourdhui=None):
    """Complète la démonstration jusqu'à aujourd'hui ; renvoie le nombre de jours de permanence ajoutés."""
    aujourdhui = aujourdhui or timezone.localdate()
    closes = annees_closes()
    references = _references()
    mediateurs = references["mediateurs"]
    if not references["lieux"] or len(mediateurs) < 2:
        return 0
    deja = set(Passage.objects.filter(date__gte=DEBUT).values_list("date", flat=True).distinct())
    rdv_deja = set(RendezVous.objects.filter(date__gte=DEBUT).values_list("date", flat=True).distinct())
    en_attente = {}
    for arrivee in Arrivee.objects.filter(
        permanence__date__gte=DEBUT, permanence__date__lt=aujourdhui, prise_en_charge_le__isnull=True
    ).order_by("horodatage", "pk"):
        en_attente.setdefault(arrivee.permanence_id, []).append(arrivee)
    arrivees, passages, refus, rdvs, ajoutes = [], [], [], [], 0
    for jour in _jours_de_permanence(DEBUT, aujourdhui - datetime.timedelta(days=1)):
        if jour.year in closes or jour in deja:
            continue
        rng = random.Random(GRAINE * 10_000 + jour.toordinal())
        creer_permanences_du_jour(jour)
        for permanence in Permanence.objects.filter(date=jour, annulee=False).order_by(
            "heure_debut", "lieu_id"
        ):
            binome = references["binomes"].get(permanence.creneau_id) or []
            if len(binome) < 2:
                binome = sorted(m.pk for m in rng.sample(mediateurs, 2))
            a, p, r = _accueil(rng, permanence, binome, references, en_attente.get(permanence.pk, []))
            arrivees += a
            passages += p
            refus += r
        ajoutes += 1
    for jour in hasard.jours_ouvres_entre(DEBUT, aujourdhui + datetime.timedelta(days=7)):
        if jour.year not in closes and jour not in rdv_deja:
            rng = random.Random(GRAINE * 20_000 + jour.toordinal())
            rdvs += _rendez_vous(rng, jour, references, aujourdhui)
    reprises = [a for a in arrivees if a.pk is not None]
    services_en_masse.creer_arrivees(
        [a for a in arrivees if a.pk is None]
    )  # les passages les relient ensuite
    Arrivee.objects.bulk_update(reprises, ["prise_en_charge_le", "prise_en_charge_par"])
    services_en_masse.enregistrer_passages(passages, raison=RAISON_DEMO)
    services_en_masse.creer_refus(refus, raison=RAISON_DEMO)
    services_en_masse.creer_rendez_vous(rdvs, raison=RAISON_DEMO)
    formations.formations_recentes(aujourdhui, references, closes=closes)
    for annee in range(DEBUT.year, aujourdhui.year):
        if annee not in closes:
            document.chiffres_declares_recents(annee)
            document.analyses_recentes(annee)
    _aujourdhui(aujourdhui)
    formations.session_a_venir(aujourdhui, references, closes=closes)
    return ajoutes


def _aujourdhui(aujourdhui):
    """Les permanences du planning aujourd'hui (aucune le dimanche ni pendant les fermetures), avec des personnes
    arrivées qui attendent ; ajoutées une fois."""
    if aujourdhui.year in annees_closes():
        return
    if aujourdhui in set(_jours_de_permanence(aujourdhui, aujourdhui)):
        creer_permanences_du_jour(aujourdhui)
    permanences = list(Permanence.objects.filter(date=aujourdhui, annulee=False).order_by("pk"))
    if not permanences or Arrivee.objects.filter(permanence__date=aujourdhui).exists():
        return
    maintenant = timezone.now()
    rng = random.Random(GRAINE + aujourdhui.toordinal())
    arrivees = []
    for permanence in permanences:
        for minutes in sorted(rng.sample(range(2, 40), 3), reverse=True):
            arrivees.append(
                Arrivee(
                    permanence=permanence,
                    horodatage=maintenant - datetime.timedelta(minutes=minutes),
                    tranche_age=_choix(rng, REPARTITION_AGE) if rng.random() < 0.7 else "",
                    genre=_choix(rng, REPARTITION_GENRE) if rng.random() < 0.7 else "",
                )
            )
    services_en_masse.creer_arrivees(arrivees)
