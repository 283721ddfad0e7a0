"""#21 : cinq règles qu'on avait cassées exprès sans qu'aucun test ne le voie. Chacune a désormais son test.

(La règle « un agent n'annule pas le pointage d'un autre lieu » est gardée par
tests/securite/test_acces.py::test_annuler_ne_dit_pas_si_un_uuid_existe_ailleurs.)
"""

import datetime
import threading
import uuid

import pytest
from django.db import connection
from django.urls import reverse
from freezegun import freeze_time

from inclusion.roles import intervenant_de
from permanences import services
from permanences.models import Arrivee, Passage, Permanence, Refus
from tests.inclusion.factories import utilisateur
from tests.permanences.factories import ArriveeFactory, PassageFactory, PermanenceFactory, RefusFactory
from tests.permanences.test_accueil import pointer

MAINTENANT = "2024-03-04 10:00:00+01:00"


@freeze_time(MAINTENANT)
def test_un_uuid_rejoue_sur_une_autre_permanence_est_refuse(client, lieu):
    """Cassé exprès : acquitter un rejeu sans comparer la permanence."""
    agent = utilisateur("accueil", lieux=[lieu], username="agent_rejeu")
    matin, soir = (
        PermanenceFactory(
            lieu=lieu,
            date=datetime.date(2024, 3, 4),
            heure_debut=datetime.time(h),
            heure_fin=datetime.time(h + 2),
        )
        for h in (9, 14)
    )
    client.force_login(agent)
    identifiant = uuid.uuid4()
    assert pointer(client, matin, identifiant=identifiant).status_code == 201
    reponse = pointer(client, soir, identifiant=identifiant)
    assert reponse.status_code == 400
    assert reponse.json()["erreur"] == "Cet identifiant de pointage est déjà utilisé pour un autre pointage."
    assert list(Arrivee.objects.values_list("permanence_id", flat=True)) == [matin.pk]


def test_deplacer_une_permanence_emmene_la_date_de_ses_passages_et_refus(db):
    """Cassé exprès : retirer la recopie de la date dans Permanence.save."""
    permanence = PermanenceFactory(date=datetime.date(2024, 3, 4))
    PassageFactory(permanence=permanence)
    RefusFactory(permanence=permanence)
    permanence.date = datetime.date(2024, 3, 6)
    permanence.save()
    assert set(Passage.objects.values_list("date", flat=True)) == {datetime.date(2024, 3, 6)}
    assert set(Refus.objects.values_list("date", flat=True)) == {datetime.date(2024, 3, 6)}


def test_un_refus_deplace_prend_la_date_de_sa_nouvelle_permanence(db):
    """Le bogue relevé : Refus.save ne recopiait la date que si elle était vide."""
    refus = RefusFactory(permanence=PermanenceFactory(date=datetime.date(2024, 3, 4)))
    refus.permanence = PermanenceFactory(date=datetime.date(2024, 3, 7))
    refus.save()
    refus.refresh_from_db()
    assert refus.date == datetime.date(2024, 3, 7)


def _requetes(client, url):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as contexte:
        client.get(url)
    return len(contexte)


@freeze_time(MAINTENANT)
def test_l_accueil_coute_le_meme_nombre_de_requetes_avec_1_et_5_permanences(client, lieu):
    """Cassé exprès : retirer un select_related (8, 9, 10, 11 requêtes pour 1 à 4 permanences)."""
    client.force_login(utilisateur("accueil", lieux=[lieu], username="agent_requetes"))
    PermanenceFactory(
        lieu=lieu, date=datetime.date(2024, 3, 4), heure_debut=datetime.time(8), heure_fin=datetime.time(9)
    )
    urls = [reverse("permanences:accueil"), reverse("permanences:accueil_compteurs")]
    une = {url: _requetes(client, url) for url in urls}
    for h in (10, 12, 14, 16):
        p = PermanenceFactory(
            lieu=lieu,
            date=datetime.date(2024, 3, 4),
            heure_debut=datetime.time(h),
            heure_fin=datetime.time(h + 1),
        )
        ArriveeFactory(permanence=p)
        RefusFactory(permanence=p)
    assert {url: _requetes(client, url) for url in urls} == une


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgresql
def test_deux_mediateurs_simultanes_ne_prennent_jamais_la_meme_personne(donnees_de_migration, lieu):
    """Cassé exprès : « prendre en charge » sans condition. Deux connexions réelles, en même temps, 25 fois."""
    permanence = PermanenceFactory(lieu=lieu, date=datetime.date.today())
    mediateurs = [
        intervenant_de(utilisateur("mediation", lieux=[lieu], username=f"mediateur_concurrent{i}"))
        for i in range(2)
    ]
    for _ in range(25):
        ArriveeFactory(permanence=permanence)
        depart, pris = threading.Barrier(2), []

        def prendre(intervenant):
            depart.wait()
            arrivee = services.prendre_en_charge(permanence=permanence, intervenant=intervenant)
            pris.append(arrivee.pk if arrivee else None)
            connection.close()

        fils = [threading.Thread(target=prendre, args=(m,)) for m in mediateurs]
        for f in fils:
            f.start()
        for f in fils:
            f.join()
        assert sorted(pris, key=str).count(None) == 1, pris  # une seule personne attendait : un seul la prend
    assert Arrivee.objects.filter(prise_en_charge_le__isnull=False).count() == 25
    assert not Permanence.objects.filter(pk=permanence.pk, annulee=True).exists()


@pytest.mark.django_db
def test_l_administration_ne_deplace_pas_un_refus(client):
    from django.urls import reverse

    from tests.inclusion.factories import utilisateur
    from tests.permanences.factories import PermanenceFactory, RefusFactory

    admin = utilisateur("coordination", is_staff=True, is_superuser=True)
    refus = RefusFactory()
    autre = PermanenceFactory(date=refus.permanence.date.replace(day=1))
    client.force_login(admin)
    url = reverse("admin:permanences_refus_change", args=[refus.pk])
    page = client.get(url).content.decode()
    assert 'name="permanence"' not in page
    client.post(url, {"permanence": autre.pk, "horodatage_0": "01/01/2024", "horodatage_1": "10:00"})
    refus.refresh_from_db()
    assert refus.permanence_id != autre.pk
