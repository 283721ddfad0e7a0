"""#29, point 7 : les parts des freins (un passage peut en noter plusieurs) disent leur base sous leur table, dans
la page et dans le PDF : « Sur N personnes reçues avec au moins un frein noté en 2025 (M en 2024) ; plusieurs
freins possibles : le total dépasse 100 %. » N et M viennent des données (JSON : `passages_avec_frein`)."""

import datetime
import html
import json
import re

import pytest
from django.urls import reverse

from permanences.enums import Frein
from permanences.models import Passage
from tests.permanences.factories import PassageFactory, PermanenceFactory
from tests.rapports.test_inconnu import _texte_pdf
from tests.taches import octets_de, telecharger_le_bilan

pytestmark = pytest.mark.django_db
ESPACES = re.compile(r"[\s\u202f\u00a0]+")

# 2025 : trois passages avec des freins (5 freins notés : 166,7 %) et un sans ; 2024 : deux, un frein chacun.
FREINS_2025 = [[Frein.LANGUE, Frein.AUTRE], [Frein.LANGUE], [Frein.HANDICAP, Frein.AUTRE], []]
FREINS_2024 = [[Frein.LANGUE], [Frein.EQUIPEMENT]]


def _ecrire(annee, listes):
    permanence = PermanenceFactory(date=datetime.date(annee, 3, 4))
    for freins in listes:
        PassageFactory(permanence=permanence, freins=Passage.encoder_freins(freins) if freins else "")


def _lire(client, coordination, annee):
    client.force_login(coordination)
    page = html.unescape(client.get(reverse("rapports:bilan", args=[annee])).content.decode())
    pdf = _texte_pdf(octets_de(telecharger_le_bilan(client, annee)))
    donnees = json.loads(client.get(reverse("rapports:bilan_json", args=[annee])).content)
    return ESPACES.sub(" ", page), pdf, donnees


def test_la_base_des_freins_sous_leur_table(client, coordination):
    _ecrire(2025, FREINS_2025)
    _ecrire(2024, FREINS_2024)
    avec = [f for f in FREINS_2025 if f]
    page, pdf, donnees = _lire(client, coordination, 2025)
    assert donnees["permanences"]["passages_avec_frein"]["valeur"] == len(avec) == 3
    assert donnees["permanences"]["passages_avec_frein"]["precedent"] == len(FREINS_2024)
    assert sum(len(f) for f in avec) * 100 / len(avec) > 100
    phrase = (
        "Sur 3 personnes reçues avec au moins un frein noté en 2025 (2 en 2024) ; plusieurs freins possibles : "
        "le total dépasse 100 %."
    )
    assert phrase in page
    assert phrase in pdf


def test_un_frein_par_personne_le_total_peut_depasser_100(client, coordination):
    _ecrire(2025, [[Frein.LANGUE]])
    page, pdf, _ = _lire(client, coordination, 2025)
    phrase = (
        "Sur 1 personne reçue avec au moins un frein noté en 2025 ; plusieurs freins possibles : le total peut "
        "dépasser 100 %."
    )
    assert phrase in page
    assert phrase in pdf
