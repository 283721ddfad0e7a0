"""Des jeux de données quelconques pour le Bilan (#29, point 9), tirés par hypothesis : une ou deux années, un
ou plusieurs lieux, une année partielle (quelques mois), des familles absentes (freins, quartiers, orientations,
refus, formations, rendez-vous), des chiffres déclarés seuls, 0, 1 ou quelques enregistrements par catégorie.

Chaque jeu est minuscule (le PDF de chacun est rendu) ; `Jeu` dit ce qui a été écrit, pour que les tests sachent
quelles bases sont vides sans relire le moteur."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from hypothesis import strategies as st

from formations.enums import Presence, StatutSession
from formations.models import AccompagnementFormation, Inscription, SessionFormation, Theme
from inclusion.models import Intervenant, Lieu, Quartier, Structure
from permanences.enums import Frein, Service, StatutRendezVous, TypeDemande
from permanences.models import Passage, Permanence, Refus, RendezVous
from rapports.models import ChiffreExterne
from tests.inclusion.factories import demarche

ANNEE = 2025
PEU = st.sampled_from([0, 0, 1, 1, 2, 3])  # 0 et 1 plus souvent qu'ailleurs
# Des passages dont les parts d'autonomie s'arrondissent « à part » d'une année à l'autre : 1/3 (33,3 %) et 1/6
# (16,7 %) impriment un écart de −16,6 pts quand l'écart exact (−16,66) s'arrondit à −16,7 ; de même 1/3 et 2/3,
# 1/6 et 5/6, 2/3 et 5/6. Deux années tirées parmi elles (une fois sur deux un tel couple) : un écart calculé sur
# les valeurs exactes, et non sur les valeurs imprimées, se voit.
A, C = "autonome", "accompagne"
PARTS_QUI_S_ARRONDISSENT_A_PART = ((A, C, C), (A, C, C, C, C, C), (A, A, C), (A, A, A, A, A, C))


@dataclass(frozen=True)
class Annee:
    mois: tuple  # une année partielle : ses mois de données
    passages: tuple  # l'autonomie de chaque passage : des parts qui ne tombent pas juste (1/3, 1/6, 2/5…)
    freins: bool
    quartiers: bool
    orientations: bool
    refus: int
    rendez_vous: int
    arcs: int
    sessions: int
    inscrits: int
    accompagnements: int
    declare: bool


@dataclass(frozen=True)
class Jeu:
    lieux: int
    annees: dict  # {année: Annee}

    def base(self, annee, famille):
        a = self.annees.get(annee)
        return getattr(a, famille) if a else 0


def _annees(passages):
    return st.builds(
        Annee,
        mois=st.lists(st.integers(1, 12), min_size=1, max_size=3, unique=True).map(
            lambda m: tuple(sorted(m))
        ),
        passages=passages,
        freins=st.booleans(),
        quartiers=st.booleans(),
        orientations=st.booleans(),
        refus=PEU,
        rendez_vous=PEU,
        arcs=PEU,
        sessions=st.sampled_from([0, 0, 1, 2]),
        inscrits=st.sampled_from([0, 1, 2]),
        accompagnements=st.sampled_from([0, 1]),
        declare=st.booleans(),
    )


annees = _annees(
    st.lists(st.sampled_from(["accompagne", "autonome", "fait_a_sa_place"]), max_size=6).map(tuple)
)
annees_a_parts_qui_s_arrondissent_a_part = _annees(st.sampled_from(PARTS_QUI_S_ARRONDISSENT_A_PART))
# Une année seule (rien l'année d'avant) ou deux, dont deux aux parts qui s'arrondissent à part ; un lieu seul ou
# quelques-uns.
jeux = st.builds(
    Jeu,
    lieux=st.sampled_from([1, 1, 2, 3]),
    annees=st.one_of(
        st.fixed_dictionaries({ANNEE: annees}),
        st.fixed_dictionaries({ANNEE - 1: annees, ANNEE: annees}),
        st.fixed_dictionaries(
            {
                ANNEE - 1: annees_a_parts_qui_s_arrondissent_a_part,
                ANNEE: annees_a_parts_qui_s_arrondissent_a_part,
            }
        ),
    ),
)


def ecrire(jeu):
    """Écrit le jeu en base (modèles directement : quelques dizaines de lignes)."""
    lieux = [Lieu.objects.create(nom=f"ESC généré {i}") for i in range(jeu.lieux)]
    ccas = Structure.objects.get_or_create(nom="CCAS")[0]
    cdas = Structure.objects.get_or_create(nom="CDAS")[0]
    mediateurs = [Intervenant.objects.create(nom=f"Médiateur {i}", structure=ccas) for i in range(2)]
    quartier = Quartier.objects.get_or_create(nom="Maurepas", defaults={"qpv": True})[0]
    theme = Theme.objects.create(nom="Thème généré")
    for annee, a in jeu.annees.items():
        jours = [datetime.date(annee, mois, 1 + (k * 7) % 27) for k, mois in enumerate(a.mois * 4)]
        permanences = []
        for k, jour in enumerate(jours[: max(1, jeu.lieux)]):
            if a.passages or a.refus:
                p = Permanence.objects.create(
                    date=jour,
                    lieu=lieux[k % jeu.lieux],
                    heure_debut=datetime.time(9),
                    heure_fin=datetime.time(12),
                )
                p.intervenants.set(mediateurs)
                permanences.append(p)
        for k, autonomie in enumerate(a.passages):
            en_ligne = k % 3 != 2
            Passage.objects.create(
                permanence=permanences[k % len(permanences)],
                type_demande=TypeDemande.DEMARCHE_EN_LIGNE
                if en_ligne
                else TypeDemande.ACCOMPAGNEMENT_TECHNIQUE,
                demarche=demarche("prefecture_etrangers" if k % 2 else "caf") if en_ligne else None,
                duree_minutes=15 + 10 * k,
                autonomie=autonomie,
                tranche_age=["25_39", "40_59", "60_69"][k % 3],
                genre=["feminin", "masculin"][k % 2],
                autre_venue_necessaire=k % 2 == 0,
                attente_minutes=5 * k,
                intervenant=mediateurs[k % 2],
                freins=Passage.encoder_freins([Frein.values[k % 2]]) if a.freins else "",
                quartier=quartier if a.quartiers else None,
                oriente_vers=cdas if a.orientations and k == 0 else None,
            )
        for k in range(a.refus):
            p = permanences[k % len(permanences)]
            Refus.objects.create(
                permanence=p,
                horodatage=datetime.datetime.combine(p.date, datetime.time(10, k), tzinfo=datetime.UTC),
            )
        for service, nombre in ((Service.CCAS, a.rendez_vous), (Service.ARCS, a.arcs)):
            for k in range(nombre):
                RendezVous.objects.create(
                    service=service,
                    lieu=lieux[k % jeu.lieux],
                    intervenant=mediateurs[0],
                    date=jours[k % len(jours)],
                    heure=datetime.time(9 + k),
                    duree_prevue_minutes=45,
                    duree_minutes=30 + 5 * k,
                    statut=StatutRendezVous.HONORE,
                    type_demande=TypeDemande.ACCOMPAGNEMENT_TECHNIQUE
                    if service == Service.ARCS or k % 2
                    else TypeDemande.DEMARCHE_EN_LIGNE,
                    demarche=demarche("caf") if service == Service.CCAS and not k % 2 else None,
                    tranche_age="40_59",
                    genre="feminin",
                )
        for k in range(a.sessions):
            s = SessionFormation.objects.create(
                theme=theme,
                date=jours[k % len(jours)],
                heure_debut=datetime.time(9, 30),
                heure_fin=datetime.time(12),
                lieu=lieux[0],
                capacite=10,
                statut=StatutSession.TENUE if a.inscrits else StatutSession.ANNULEE,
            )
            for n in range(a.inscrits):
                Inscription.objects.create(
                    session=s,
                    nom=f"Pro {s.pk}-{n}",
                    structure=cdas if n % 2 else ccas,
                    present=Presence.PRESENT,
                )
        for k in range(a.accompagnements):
            AccompagnementFormation.objects.create(
                date=jours[k % len(jours)], duree_minutes=90, structure=cdas
            )
        if a.declare:
            ChiffreExterne.objects.create(
                annee=annee,
                indicateur="dispositif.personnes_recues_externes",
                valeur=Decimal(120 + annee % 10),
                source="Espaces Ressource Emploi (chiffre déclaré)",
            )
