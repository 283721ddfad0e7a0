"""#29, point 6 : la plus longue durée des rendez-vous (`rendez_vous.duree_max_minutes`) est le maximum de tous les
rendez-vous honorés des médiateurs, y compris quand plusieurs tombent dans le même groupe de la requête (même
service, statut, type de demande et démarche) ; ceux des informaticiens publics (ARCS), les absents et ceux d'une
autre année n'y entrent pas."""

import datetime

import pytest

from permanences.enums import Service, StatutRendezVous, TypeDemande
from rapports.indicateurs.rendez_vous import indicateurs_rendez_vous
from tests.inclusion.factories import demarche
from tests.permanences.factories import RendezVousFactory

pytestmark = pytest.mark.django_db

# Trois rendez-vous d'accompagnement technique (un seul groupe SQL), deux démarches CAF (un autre groupe).
DUREES_TECHNIQUES = [20, 95, 40]
DUREES_CAF = [30, 60]


def test_la_plus_longue_duree_de_plusieurs_rendez_vous_d_un_meme_groupe():
    for jour, duree in enumerate(DUREES_TECHNIQUES, start=1):
        RendezVousFactory(
            date=datetime.date(2024, 3, jour),
            statut=StatutRendezVous.HONORE,
            duree_minutes=duree,
            type_demande=TypeDemande.ACCOMPAGNEMENT_TECHNIQUE,
        )
    for jour, duree in enumerate(DUREES_CAF, start=10):
        RendezVousFactory(
            date=datetime.date(2024, 3, jour),
            statut=StatutRendezVous.HONORE,
            duree_minutes=duree,
            type_demande=TypeDemande.DEMARCHE_EN_LIGNE,
            demarche=demarche("caf"),
        )
    # Hors du calcul : plus longs, mais ARCS, absent ou en 2023.
    RendezVousFactory(
        service=Service.ARCS,
        date=datetime.date(2024, 4, 1),
        statut=StatutRendezVous.HONORE,
        duree_minutes=150,
        type_demande=TypeDemande.ACCOMPAGNEMENT_TECHNIQUE,
    )
    RendezVousFactory(date=datetime.date(2024, 4, 2), statut=StatutRendezVous.ABSENT)
    RendezVousFactory(
        date=datetime.date(2023, 4, 2),
        statut=StatutRendezVous.HONORE,
        duree_minutes=180,
        type_demande=TypeDemande.ACCOMPAGNEMENT_TECHNIQUE,
    )

    rendez_vous, _arcs, _donnees = indicateurs_rendez_vous(
        debut=datetime.date(2024, 1, 1), fin=datetime.date(2025, 1, 1)
    )

    assert rendez_vous["realises"] == len(DUREES_TECHNIQUES) + len(DUREES_CAF)
    assert rendez_vous["duree_max_minutes"] == max(DUREES_TECHNIQUES + DUREES_CAF) == 95
