"""Les docstrings des indicateurs disent combien de requêtes ils font : un test les tient pour vraies."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rapports.indicateurs.formations import indicateurs_formations
from rapports.indicateurs.permanences import indicateurs_permanences
from rapports.indicateurs.rendez_vous import indicateurs_rendez_vous
from tests.rapports.jeu_de_donnees import construire


def _annonce(fonction):
    trouve = re.search(r"(\d+)\)?\.?\s*$|(\d+) requêtes|fixe \((\d+)\)", fonction.__doc__.split("\n")[0])
    return int(next(g for g in trouve.groups() if g))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fonction", [indicateurs_permanences, indicateurs_formations, indicateurs_rendez_vous]
)
def test_le_nombre_de_requetes_annonce_est_celui_fait(fonction):
    construire()
    periode = {"debut": datetime.date(2023, 1, 1), "fin": datetime.date(2024, 1, 1)}
    with CaptureQueriesContext(connection) as requetes:
        fonction(**periode)
    assert len(requetes) == _annonce(fonction), fonction.__doc__.split("\n")[0]
