"""#31, point 4 : un nouveau rendez-vous n'a ni âge ni genre choisi d'avance (comme un passage) ; les oublier
donne un message clair en français et rien n'est enregistré ; « Non communiqué » se choisit comme le reste, et un
rendez-vous existant garde son profil."""

import re

import pytest
from django.urls import reverse
from freezegun import freeze_time

from inclusion.roles import intervenant_de
from permanences.models import RendezVous
from tests.inclusion.factories import utilisateur
from tests.permanences.factories import RendezVousFactory
from tests.permanences.test_rendez_vous import donnees_rdv

pytestmark = pytest.mark.django_db


@pytest.fixture
def mediateur(lieu):
    return utilisateur("mediation", lieux=[lieu], username="mediateur")


def options_choisies(contenu, champ):
    liste = re.search(rf'<select name="{champ}"[^>]*>(.*?)</select>', contenu, re.S).group(1)
    return re.findall(r'<option value="([^"]*)"[^>]*selected', liste)


@freeze_time("2024-03-04 10:00:00+01:00")
def test_nouveau_rendez_vous_sans_age_ni_genre_choisis_d_avance(client, mediateur):
    client.force_login(mediateur)
    contenu = client.get(reverse("permanences:rendez_vous_nouveau")).content.decode()
    for champ in ("tranche_age", "genre"):
        assert options_choisies(contenu, champ) == [""], champ
        assert '<option value="" selected>— À choisir —</option>' in contenu
        assert '<option value="non_communique">Non communiqué</option>' in contenu


@freeze_time("2024-03-04 10:00:00+01:00")
def test_age_et_genre_oublies_un_message_clair_et_rien_d_enregistre(client, mediateur, lieu):
    client.force_login(mediateur)
    donnees = donnees_rdv(lieu, intervenant_de(mediateur), tranche_age="", genre="")
    reponse = client.post(reverse("permanences:rendez_vous_nouveau"), donnees)
    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    assert "Choisissez la tranche d&#x27;âge (ou « Non communiqué »)." in contenu
    assert "Choisissez le genre (ou « Non communiqué »)." in contenu
    assert not RendezVous.objects.exists()
    # Le choix explicite de « Non communiqué » est accepté.
    donnees.update(tranche_age="non_communique", genre="non_communique")
    assert client.post(reverse("permanences:rendez_vous_nouveau"), donnees).status_code == 302
    assert RendezVous.objects.get().tranche_age == "non_communique"


@freeze_time("2024-03-04 10:00:00+01:00")
def test_un_rendez_vous_existant_garde_son_profil(client, mediateur, lieu):
    client.force_login(mediateur)
    rdv = RendezVousFactory(
        lieu=lieu, intervenant=intervenant_de(mediateur), tranche_age="40_59", genre="feminin"
    )
    contenu = client.get(reverse("permanences:rendez_vous_modifier", args=[rdv.pk])).content.decode()
    assert options_choisies(contenu, "tranche_age") == ["40_59"]
    assert options_choisies(contenu, "genre") == ["feminin"]
    assert "— À choisir —" not in contenu
