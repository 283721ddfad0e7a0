"""#19, point 2 : les chemins de tous les jours ne réécrivent pas le passé.

Avant : un agent pointait des refus horodatés de 2023 sur une permanence de 2023 (Bilan 2023 : 1 546 → 1 566
refus), un médiateur créait et annulait des permanences de 2023, le rôle formation des sessions de 2023.
"""

import datetime
import html
import json
import uuid

from django.urls import reverse
from freezegun import freeze_time

from formations.models import SessionFormation
from inclusion.roles import intervenant_de
from permanences.models import Permanence, Refus, RendezVous
from tests.formations.factories import SessionFormationFactory, ThemeFactory
from tests.inclusion.factories import LieuFactory, utilisateur
from tests.permanences.factories import PermanenceFactory
from tests.permanences.test_rendez_vous import donnees_rdv

AUJOURDHUI = "2024-03-04 12:00:00+01:00"
ANCIEN = datetime.date(2023, 11, 6)


def _pointer(client, permanence, horodatage, type_pointage="refus"):
    corps = {
        "uuid": str(uuid.uuid4()),
        "type": type_pointage,
        "permanence": permanence.pk,
        "horodatage": horodatage,
    }
    return client.post(reverse("permanences:pointer"), json.dumps(corps), content_type="application/json")


@freeze_time(AUJOURDHUI)
def test_un_pointage_ancien_est_refuse_mais_la_file_hors_ligne_d_un_week_end_passe(client, db):
    lieu = LieuFactory()
    client.force_login(utilisateur("accueil", lieux=[lieu], username="agent_delais"))
    vieille = PermanenceFactory(lieu=lieu, date=ANCIEN)
    for type_pointage in ("refus", "arrivee"):
        reponse = _pointer(client, vieille, "2023-11-06T10:00:00+01:00", type_pointage)
        assert reponse.status_code == 400
        assert "Pointage de plus de 72 heures" in reponse.json()["erreur"]
    assert not Refus.objects.exists()
    samedi = PermanenceFactory(lieu=lieu, date=datetime.date(2024, 3, 2))  # hors ligne depuis samedi
    assert _pointer(client, samedi, "2024-03-02T10:00:00+01:00").status_code == 201


@freeze_time(AUJOURDHUI)
def test_creer_ou_annuler_une_permanence_ancienne_reserve_a_la_coordination(client, coordination, db):
    lieu = LieuFactory()
    client.force_login(utilisateur("mediation", lieux=[lieu], username="mediateur_delais"))
    champs = {"date": ANCIEN.isoformat(), "lieu": lieu.pk, "heure_debut": "14:00", "heure_fin": "16:00"}
    reponse = client.post(reverse("permanences:permanence_nouvelle"), champs)
    assert "date de plus de 30 jours : seule la coordination peut la modifier" in html.unescape(
        reponse.content.decode()
    )
    assert not Permanence.objects.exists()
    vieille = PermanenceFactory(lieu=lieu, date=ANCIEN)
    reponse = client.post(
        reverse("permanences:permanence_annuler", args=[vieille.pk]), {"motif_annulation": "x"}, follow=True
    )
    assert "seule la coordination peut la modifier" in html.unescape(reponse.content.decode())
    vieille.refresh_from_db()
    assert not vieille.annulee
    client.force_login(coordination)
    client.post(reverse("permanences:permanence_annuler", args=[vieille.pk]), {"motif_annulation": "Oubli"})
    vieille.refresh_from_db()
    assert vieille.annulee


@freeze_time(AUJOURDHUI)
def test_creer_ou_annuler_une_session_ancienne_reserve_a_la_coordination(client, db):
    client.force_login(utilisateur("formation", username="formation_delais"))
    theme = ThemeFactory()
    champs = {
        "theme": theme.pk,
        "date": ANCIEN.isoformat(),
        "heure_debut": "09:30",
        "heure_fin": "12:00",
        "capacite": "8",
    }
    reponse = client.post(reverse("formations:session_nouvelle"), champs)
    assert "Cette session date de plus de 30 jours" in html.unescape(reponse.content.decode())
    vieille = SessionFormationFactory(date=ANCIEN, theme=theme)
    reponse = client.post(
        reverse("formations:session_annuler", args=[vieille.pk]), {"motif": "x"}, follow=True
    )
    assert "Cette session date de plus de 30 jours" in html.unescape(reponse.content.decode())
    assert SessionFormation.objects.get(pk=vieille.pk).statut != "annulee"
    assert SessionFormation.objects.count() == 1


@freeze_time(AUJOURDHUI)
def test_un_rendez_vous_ancien_reserve_a_la_coordination(client, db):
    lieu = LieuFactory()
    compte = utilisateur("mediation", lieux=[lieu], username="mediateur_rdv")
    client.force_login(compte)
    reponse = client.post(
        reverse("permanences:rendez_vous_nouveau"),
        donnees_rdv(lieu, intervenant_de(compte), date=ANCIEN.isoformat()),
    )
    assert (
        "Ce rendez-vous date de plus de 30 jours : seule la coordination peut le modifier"
        in html.unescape(reponse.content.decode())
    )
    assert not RendezVous.objects.exists()
