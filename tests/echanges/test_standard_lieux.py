"""Les lieux au standard national des lieux de médiation numérique (LaMednum/standard-mediation-num, tag
v1.0.1), vérifiés par un validateur recopié du schema.json de ce tag (tests/echanges/validateur_lieux.py)."""

import datetime
import json

import pytest
from django.utils import timezone

from api.enums import PorteeApi
from api.jetons import creer_jeton
from echanges import standard_lieux
from echanges.schemas_nationaux import lieux_mediation_numerique, lieux_non_publies
from inclusion.models import Lieu
from tests.demonstration import charger_la_demo
from tests.echanges import validateur_lieux
from tests.echanges.validateur_lieux import violations_csv, violations_json
from tests.inclusion.factories import utilisateur


def _trois_sorties(client, coordination):
    _, secret = creer_jeton(
        nom="Essai", portees=[PorteeApi.LIEUX], expire_le=timezone.now() + datetime.timedelta(days=1)
    )
    api = client.get("/api/v1/lieux", headers={"Authorization": f"Bearer {secret}"})
    client.force_login(coordination)
    fichier_json = json.loads(client.get("/rapports/lieux.json").content)
    fichier_csv = client.get("/rapports/lieux.csv").content.decode()
    return api.json(), fichier_json, fichier_csv


@pytest.mark.une_fois
def test_la_demo_fraiche_suit_le_standard_dans_ses_trois_sorties(client, db):
    # Base encore neuve : la démonstration est recopiée, pas réécrite (tests/demonstration.py).
    charger_la_demo(historique_seul=True)
    coordination = utilisateur("coordination", username="coord", is_staff=True)
    api, fichier_json, fichier_csv = _trois_sorties(client, coordination)
    assert len(api) == Lieu.objects.filter(actif=True).count() == 5
    assert violations_json(api) == []
    assert violations_json(fichier_json) == []
    assert violations_csv(fichier_csv) == []
    assert api == fichier_json  # le même contenu
    cleunay = next(lieu for lieu in api if lieu["nom"] == "ESC Cleunay")
    assert (cleunay["commune"], cleunay["code_postal"], cleunay["code_insee"]) == ("Rennes", "35000", "35238")
    assert cleunay["frais_a_charge"] == "Gratuit"
    assert (
        cleunay["services"]
        == "Aide aux démarches administratives|Maîtrise des outils numériques du quotidien"
    )
    assert lieux_non_publies() == []
    # data·inclusion : la permanence de chaque lieu, décrite dans son vocabulaire, valide (avertissements compris)
    from data_inclusion.schema.v1 import Service
    from data_inclusion.schema.v1 import Structure as StructureDI

    structures = json.loads(client.get("/annuaire/data-inclusion/structures.json").content)
    services = json.loads(client.get("/annuaire/data-inclusion/services.json").content)
    for s in structures:
        StructureDI.model_validate(s, context={"ignore_warnings": False})
    for s in services:
        Service.model_validate(s, context={"ignore_warnings": False})
    permanences = [s for s in services if s["id"].startswith("inclusion-esc--permanence-")]
    assert len(permanences) == 5 and all(p["horaires_accueil"] and p["thematiques"] for p in permanences)


def test_les_contraintes_du_code_sont_celles_du_tag():
    """Notre déclaration (echanges.standard_lieux) et la copie du test disent le même tag, les mêmes colonnes
    dans le même ordre, les mêmes champs requis."""
    assert standard_lieux.TAG == validateur_lieux.TAG == "v1.0.1"
    assert list(standard_lieux.CHAMPS) == validateur_lieux.NOMS and len(standard_lieux.CHAMPS) == 32
    assert set(standard_lieux.OBLIGATOIRES) == {
        nom for nom, _, requis, *_ in validateur_lieux.CHAMPS if requis
    }


@pytest.mark.parametrize(
    "valeurs, attendu",
    [
        ({"siret": ""}, "SIRET (ou RNA) à remplir"),
        ({"commune": ""}, "commune à remplir"),
        ({"code_postal": ""}, "code postal à remplir"),
        ({"adresse": ""}, "adresse à remplir"),
        ({"code_insee": "20000"}, "code INSEE invalide"),  # accepté par notre formulaire, pas par le standard
    ],
)
def test_un_lieu_incomplet_n_est_pas_publie_et_la_page_dit_ce_qui_lui_manque(
    client, coordination, valeurs, attendu
):
    complet = {
        "commune": "Rennes",
        "code_postal": "35000",
        "code_insee": "35238",
        "siret": "21350238800134",
        "adresse": "1 rue",
    }
    Lieu.objects.create(nom="ESC Complet", **complet)
    incomplet = Lieu.objects.create(nom="ESC Incomplet", **{**complet, **valeurs})
    assert [lieu["nom"] for lieu in lieux_mediation_numerique()] == ["ESC Complet"]
    assert lieux_non_publies() == [(incomplet, [attendu])]
    api, fichier_json, fichier_csv = _trois_sorties(client, coordination)
    assert [lieu["nom"] for lieu in api] == [lieu["nom"] for lieu in fichier_json] == ["ESC Complet"]
    assert "ESC Incomplet" not in fichier_csv and violations_csv(fichier_csv) == []
    page = client.get("/rapports/import/").content.decode()
    assert "Lieux non publiés" in page and f"ESC Incomplet</a> : {attendu}" in page


def test_le_validateur_voit_ce_que_le_standard_refuse():
    """Le validateur du test n'est pas complaisant : chaque écart d'avant (séparateur « ; », « Gratuit : … »,
    champs requis absents, `null`) y est une violation."""
    bon = {
        "id": "a", "pivot": "21350238800134", "nom": "ESC", "commune": "Rennes", "code_postal": "35000",
        "adresse": "1 rue", "date_maj": "2024-01-02", "latitude": 48.1,
    }  # fmt: skip
    assert violations_json([bon]) == []
    mauvais = [
        {**bon, "services": "Aide aux démarches administratives;Maîtrise des outils numériques du quotidien"},
        {**bon, "frais_a_charge": "Gratuit : Je peux accéder gratuitement au lieu et à ses services"},
        {k: v for k, v in bon.items() if k != "commune"},
        {**bon, "code_insee": None},
        {**bon, "latitude": "48.1"},
        {**bon, "code_postal": "35000x"},  # un motif porte sur la valeur entière
    ]
    for n, lieu in enumerate(mauvais):
        assert len(violations_json([{**lieu, "id": str(n)}])) == 1, lieu
