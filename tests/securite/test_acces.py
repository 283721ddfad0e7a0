"""#19, point 10 : petites fuites d'accès. « Inconnu » et « pas permis » reçoivent la même réponse."""

import datetime
import json
import uuid

from django.urls import reverse
from freezegun import freeze_time

from inclusion.models import Intervenant
from permanences.models import Arrivee
from tests.inclusion.factories import LieuFactory, utilisateur
from tests.permanences.factories import PermanenceFactory
from tests.permanences.test_accueil import pointer

MAINTENANT = "2024-03-04 10:00:00+01:00"


def _pointer(client, permanence, identifiant=None, type_pointage="arrivee"):
    return pointer(client, permanence, type_pointage, identifiant, horodatage="2024-03-04T10:00:00+01:00")


@freeze_time(MAINTENANT)
def test_un_intervenant_inactif_ne_pointe_plus(client, db):
    lieu = LieuFactory()
    agent = utilisateur("accueil", lieux=[lieu], username="parti")
    Intervenant.objects.filter(user=agent).update(actif=False)  # compte encore ouvert
    client.force_login(agent)
    reponse = _pointer(client, PermanenceFactory(lieu=lieu, date=datetime.date(2024, 3, 4)))
    assert reponse.status_code == 400 and reponse.json()["erreur"] == "Permanence inconnue."
    assert not Arrivee.objects.exists()
    assert 'data-permanence="' not in client.get(reverse("permanences:accueil")).content.decode()


def test_un_compte_sans_role_ne_lit_pas_l_annuaire(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("sans_role", password="mot-de-passe-de-test"))
    assert client.get(reverse("annuaire")).status_code == 403
    assert client.get(reverse("suggestions_orientation")).status_code == 403


@freeze_time(MAINTENANT)
def test_rejouer_l_uuid_d_un_pointage_d_un_autre_lieu_ne_l_acquitte_pas(client, db):
    lieu_a, lieu_b = LieuFactory(), LieuFactory()
    permanence_a = PermanenceFactory(lieu=lieu_a, date=datetime.date(2024, 3, 4))
    client.force_login(utilisateur("accueil", lieux=[lieu_a], username="agent_a"))
    identifiant = uuid.uuid4()
    assert _pointer(client, permanence_a, identifiant).status_code == 201
    client.force_login(utilisateur("accueil", lieux=[lieu_b], username="agent_b"))
    reponse = _pointer(client, permanence_a, identifiant)
    assert reponse.status_code == 400 and reponse.json() == {"ok": False, "erreur": "Permanence inconnue."}


@freeze_time(MAINTENANT)
def test_annuler_ne_dit_pas_si_un_uuid_existe_ailleurs(client, db):
    lieu_a, lieu_b = LieuFactory(), LieuFactory()
    client.force_login(utilisateur("accueil", lieux=[lieu_a], username="agent_a"))
    identifiant = uuid.uuid4()
    _pointer(client, PermanenceFactory(lieu=lieu_a, date=datetime.date(2024, 3, 4)), identifiant)
    client.force_login(utilisateur("accueil", lieux=[lieu_b], username="agent_b"))
    url = reverse("permanences:annuler_pointage")
    existant = client.post(url, json.dumps({"uuid": str(identifiant)}), content_type="application/json")
    inconnu = client.post(url, json.dumps({"uuid": str(uuid.uuid4())}), content_type="application/json")
    assert (existant.status_code, existant.json()) == (inconnu.status_code, inconnu.json())
    assert not Arrivee.objects.get(uuid=identifiant).est_annule


@freeze_time(MAINTENANT)
def test_l_erreur_ne_nomme_pas_le_lieu_d_une_permanence_interdite(client, db):
    secret = LieuFactory(nom="ESC Lieu Discret")
    client.force_login(utilisateur("accueil", lieux=[LieuFactory()], username="agent_c"))
    reponse = _pointer(
        client, PermanenceFactory(lieu=secret, date=datetime.date(2024, 3, 4)), type_pointage="refus"
    )
    assert reponse.status_code == 400 and "Discret" not in reponse.content.decode()
