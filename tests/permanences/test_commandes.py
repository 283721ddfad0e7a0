"""La commande de création des permanences, lancée chaque nuit pour la semaine qui vient."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from freezegun import freeze_time

from permanences.models import Permanence
from tests.permanences.factories import CreneauFactory

pytestmark = pytest.mark.django_db


@freeze_time("2026-11-29 02:00")  # un dimanche, la nuit
def test_la_semaine_qui_vient_une_seule_fois():
    CreneauFactory(jour_semaine=1)  # le mardi
    sortie = StringIO()
    call_command("creer_permanences", "--semaine", stdout=sortie)
    assert "1 permanence(s) créée(s) du 29/11/2026 au 06/12/2026." in sortie.getvalue()
    assert list(Permanence.objects.values_list("date", flat=True)) == [datetime.date(2026, 12, 1)]
    call_command("creer_permanences", "--semaine", stdout=StringIO())
    assert Permanence.objects.count() == 1


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--du", "2026-13-01"], "Date invalide : format AAAA-MM-JJ attendu."),
        (["--du", "2026-12-02", "--au", "2026-12-01"], "La date de fin précède la date de début."),
        (["--du", "2026-01-01", "--au", "2099-01-01"], "Période trop longue : 366 jours au plus."),
        (["--semaine", "--du", "2026-12-01"], "--semaine ne se combine pas avec --du ou --au."),
    ],
)
def test_arguments_refuses_avec_un_message_clair(arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("creer_permanences", *arguments, stdout=StringIO())
    assert not Permanence.objects.exists()
