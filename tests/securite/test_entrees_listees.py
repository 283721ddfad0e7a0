"""#19, point 7 : chaque entrée hostile relevée par l'audit donne une réponse claire (400, 404 ou formulaire en
erreur), jamais une erreur 500."""

import datetime
import io
import json
import uuid

import pytest
from django.urls import reverse
from freezegun import freeze_time

from inclusion.roles import intervenant_de
from tests.inclusion.factories import LieuFactory, utilisateur
from tests.permanences.factories import PermanenceFactory
from tests.permanences.test_accueil import pointer
from tests.permanences.test_rendez_vous import donnees_rdv
from tests.taches import exporter, televerser

MAINTENANT = "2024-03-04 10:00:00+01:00"


@pytest.fixture
def monde(db):
    lieu = LieuFactory()
    return lieu, PermanenceFactory(lieu=lieu, date=datetime.date(2024, 3, 4))


def _pas_de_500(reponse, quoi):
    assert reponse.status_code < 500, (quoi, reponse.status_code)
    return reponse


@freeze_time(MAINTENANT)
@pytest.mark.parametrize(
    "horodatage",
    [
        "2024-02-30T10:00:00",
        "2024-03-04T25:00:00",
        "2024-03-04T10:00:00+99:00",
        "0001-01-01T00:00:00",
        "0001-01-01T00:00:00+23:59",
        "2024-03-04T10:00:00+23:59",
        "9999-12-31T23:59:59-23:59",
        "",
        "²",
        12,
        None,
    ],
)
def test_horodatages_hostiles_du_pointage(client, monde, horodatage):
    lieu, permanence = monde
    client.force_login(utilisateur("accueil", lieux=[lieu], username="agent_h"))
    corps = {
        "uuid": str(uuid.uuid4()),
        "type": "arrivee",
        "permanence": permanence.pk,
        "horodatage": horodatage,
    }
    reponse = client.post(reverse("permanences:pointer"), json.dumps(corps), content_type="application/json")
    assert reponse.status_code == 400, (horodatage, reponse.status_code)
    assert reponse.json()["erreur"]


@freeze_time(MAINTENANT)
def test_orientation_et_json_hostiles_du_pointage(client, monde):
    lieu, permanence = monde
    client.force_login(utilisateur("accueil", lieux=[lieu], username="agent_j"))
    reponse = pointer(client, permanence, "refus", horodatage="2024-03-04T10:00:00+01:00", oriente_vers="²")
    assert reponse.status_code == 400
    imbrique = "[" * 100_000 + "]" * 100_000
    reponse = client.post(reverse("permanences:pointer"), imbrique, content_type="application/json")
    assert reponse.status_code == 400


@freeze_time(MAINTENANT)
def test_parametres_hostiles_des_pages(client, monde, coordination):
    lieu, permanence = monde
    mediateur = utilisateur("mediation", lieux=[lieu], username="med_h")
    client.force_login(mediateur)
    for url in (
        reverse("annuaire") + "?demarche=²",
        reverse("permanences:passage_nouveau", args=[permanence.pk]) + "?arrivee=²",
        reverse("permanences:agenda") + "?semaine=9999-12-31",
        reverse("permanences:agenda") + "?semaine=0001-01-01",
    ):
        _pas_de_500(client.get(url), url)
    reponse = client.post(
        reverse("permanences:rendez_vous_nouveau"),
        donnees_rdv(lieu, intervenant_de(mediateur), date="9999-12-31", heure="23:59"),
    )
    _pas_de_500(reponse, "rendez-vous au 31/12/9999")
    client.force_login(utilisateur("formation", username="form_h"))
    for annee in ("0", "99999", "-5", "²"):
        _pas_de_500(client.get(reverse("formations:sessions") + f"?annee={annee}"), annee)
    client.force_login(coordination)
    for url in (
        reverse("rapports:tableau_de_bord") + "?debut=2024-01-01&fin=9999-12-31",
        reverse("rapports:tableau_de_bord") + "?debut=0001-01-01&fin=0001-01-02",
    ):
        _pas_de_500(client.get(url), url)
    for url in (
        reverse("rapports:export_zip") + "?annee=²",
        reverse("rapports:export_coop") + "?annee=²",
        reverse("rapports:export_xlsx") + "?debut=2024-01-01&fin=9999-12-31",
    ):
        _pas_de_500(exporter(client, url), url)


def test_import_nul_et_chiffre_declare_enorme(client, coordination):
    import zipfile

    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(coordination)
    for nom, contenu in (
        ("lieux.csv", "nom\nESC\x00Nul\n"),
        (
            "chiffres_externes.csv",
            'annee,indicateur,valeur\n2023,dispositif.personnes_recues_externes,"9 999 999 999,999"\n',
        ),
    ):
        tampon = io.BytesIO()
        with zipfile.ZipFile(tampon, "w") as archive:
            archive.writestr(nom, contenu)
        page = televerser(client, SimpleUploadedFile("i.zip", tampon.getvalue())).content.decode()
        assert "Import refusé" in page and "rien n'a été écrit" in page, nom
