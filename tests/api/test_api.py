"""L'API en lecture : jetons (portées, expiration, révocation, empreinte seule), limite par jeton, aucune donnée
personnelle, et schemathesis sur tout le document OpenAPI."""

import datetime
import json
import re

import pytest
import schemathesis
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, strategies
from hypothesis import settings as reglages_hypothesis

from api.enums import PorteeApi
from api.jetons import creer_jeton, empreinte, revoquer
from api.models import JetonApi
from api.vues import api
from inclusion.models import ContactAnnuaire, Demarche, Lieu, Structure
from inclusion.wsgi import application
from rapports.definitions import DEFINITIONS
from tests.echanges.validateur_lieux import violations_csv, violations_json
from tests.rapports.jeu_de_donnees import construire

TOUTES = list(PorteeApi.values)


def _jeton(portees=TOUTES, jours=30):
    return creer_jeton(
        nom="Métropole", portees=portees, expire_le=timezone.now() + datetime.timedelta(days=jours)
    )


def _donnees():
    construire(nb_lieux=2)
    Lieu.objects.update(
        commune="Rennes",
        code_postal="35000",
        code_insee="35238",
        siret="21350238800018",
        adresse="1 rue Haute",
    )
    caf = Structure.objects.create(nom="CAF d'Ille-et-Vilaine", siret="53479540500019")
    contact = ContactAnnuaire.objects.create(
        structure=caf, service="Accueil allocataires", nom="Mme Personne", telephone="0600000000",
        email="personne@caf.example", horaires="lundi 9 h - 12 h",
    )  # fmt: skip
    contact.demarches.add(Demarche.objects.get(code="caf"))


def _get(client, adresse, secret):
    return client.get(adresse, headers={"Authorization": f"Bearer {secret}"})


def test_un_jeton_n_est_garde_que_par_son_empreinte(db):
    jeton, secret = _jeton()
    stocke = JetonApi.objects.get(pk=jeton.pk)
    assert secret.startswith("inc_") and len(secret) > 40
    assert stocke.empreinte == empreinte(secret) and secret not in json.dumps(
        list(JetonApi.objects.values()), default=str
    )


def test_portee_expiration_et_revocation(client, db):
    _donnees()
    jeton, secret = _jeton(portees=[PorteeApi.LIEUX])
    assert _get(client, "/api/v1/lieux", secret).status_code == 200
    reponse = _get(client, "/api/v1/bilan/2023", secret)  # sans la portée « bilan »
    assert reponse.status_code == 401 and "portée" in reponse.json()["detail"]
    assert client.get("/api/v1/lieux").status_code == 401  # sans jeton
    assert _get(client, "/api/v1/lieux", secret[:-1] + "x").status_code == 401  # jeton inconnu
    revoquer(jeton)
    assert _get(client, "/api/v1/lieux", secret).status_code == 401
    _, expire = _jeton(portees=[PorteeApi.LIEUX])
    JetonApi.objects.filter(empreinte=empreinte(expire)).update(
        expire_le=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert _get(client, "/api/v1/lieux", expire).status_code == 401


@override_settings(
    INCLUSION={**__import__("django.conf").conf.settings.INCLUSION, "API_REQUETES_PAR_MINUTE": 3}
)
def test_la_limite_par_jeton(client, db):
    from django.core.cache import cache

    cache.clear()
    _, secret = _jeton(portees=[PorteeApi.LIEUX])
    _, autre = _jeton(portees=[PorteeApi.LIEUX])
    assert [_get(client, "/api/v1/lieux", secret).status_code for _ in range(3)] == [200, 200, 200]
    reponse = _get(client, "/api/v1/lieux", secret)
    assert reponse.status_code == 429 and 0 < int(reponse["Retry-After"]) <= 60
    assert _get(client, "/api/v1/lieux", autre).status_code == 200  # la limite est celle de chaque jeton


def test_le_bilan_de_l_api_est_celui_de_l_application_aux_petits_groupes_pres(client, coordination, db):
    """Même Bilan que la page de la coordination, sauf les cellules des petits groupes : nulles et nommées."""
    from rapports.bilan import SECTIONS
    from rapports.presentation import feuilles_de

    _donnees()
    _, secret = _jeton()
    par_l_api = _get(client, "/api/v1/bilan/2023", secret).json()
    client.force_login(coordination)
    page = json.loads(client.get("/rapports/bilan/2023.json").content)
    secret_stat = par_l_api.pop("secret_statistique")
    masques = {(m["indicateur"], m["annee"]) for m in secret_stat["masques"]}
    assert secret_stat["k"] == 5 and ("arcs.rendez_vous_tenus", "valeur") in masques  # 2 rendez-vous ARCS
    attendues = dict(feuilles_de({s: page[s] for s in SECTIONS}))
    for chemin, feuille in feuilles_de({s: par_l_api[s] for s in SECTIONS}):
        for cote in ("valeur", "precedent"):
            cache = (".".join(chemin), cote) in masques
            assert feuille[cote] == (None if cache else attendues[chemin][cote]), (chemin, cote)
    assert {k: v for k, v in par_l_api.items() if k not in SECTIONS and k != "chiffres_declares"} == {
        k: v for k, v in page.items() if k not in SECTIONS and k != "chiffres_declares"
    }
    assert _get(client, "/api/v1/bilan/2031", secret).status_code == 404


def test_lieux_et_annuaire_dans_les_schemas_nationaux(client, db):
    from data_inclusion.schema.v1 import Service
    from data_inclusion.schema.v1 import Structure as StructureDI

    _donnees()
    _, secret = _jeton()
    lieux = _get(client, "/api/v1/lieux", secret).json()
    assert len(lieux) == 2 and violations_json(lieux) == []
    structures = _get(client, "/api/v1/annuaire/structures", secret).json()
    services = _get(client, "/api/v1/annuaire/services", secret).json()
    strict = {"ignore_warnings": False}  # les avertissements de data·inclusion comptent comme des erreurs
    for s in structures:
        StructureDI.model_validate(s, context=strict)
    for s in services:
        Service.model_validate(s, context=strict)
    assert {s["siret"] for s in structures if "siret" in s} == {"53479540500019"}
    assert [s["id"] for s in structures][0] == "inclusion-esc--dispositif"
    permanences = [s for s in services if s["structure_id"] == "inclusion-esc--dispositif"]
    assert [p["nom"] for p in permanences] == [f"Permanence numérique – {lieu['nom']}" for lieu in lieux]
    for permanence, lieu in zip(permanences, lieux, strict=True):
        assert permanence["thematiques"] == [
            "numerique--acceder-a-des-services-en-ligne", "numerique--maitriser-les-fondamentaux-du-numerique"
        ]  # fmt: skip
        assert (permanence["modes_accueil"], permanence["publics"]) == (["en-presentiel"], ["tous-publics"])
        assert permanence["horaires_accueil"] == lieu["horaires"]  # OpenStreetMap, des créneaux en vigueur
        assert (permanence["code_insee"], permanence["adresse"]) == ("35238", lieu["adresse"])
    contact = next(s for s in services if s["structure_id"] != "inclusion-esc--dispositif")
    assert set(contact) == {"source", "id", "structure_id", "nom", "description", "date_maj"}  # rien de plus


# Tout ce que l'API peut renvoyer, champ par champ : un champ ajouté au document OpenAPI fait échouer ce test
# tant qu'il n'est pas relu ici (aucun n'est une donnée personnelle : ni nom de personne, ni téléphone, ni
# courriel, ni note ; le Bilan et les indicateurs ne sont que des agrégats).
CHAMPS_PERMIS = {
    "FiltreIndicateurs": {"debut", "fin", "lieux"},  # paramètres de requête, pas une réponse
    "Erreur": {"detail"},
    "LieuMediationNumerique": {
        "id", "pivot", "nom", "commune", "code_postal", "code_insee", "adresse", "latitude", "longitude",
        "horaires", "source", "itinerance", "date_maj", "services", "modalites_acces", "modalites_accompagnement",
        "frais_a_charge",
        "fiche_acces_libre",
    },
    "StructureDataInclusion": {"source", "id", "nom", "date_maj", "siret", "site_web"},
    "ServiceDataInclusion": {
        "source", "id", "structure_id", "nom", "description", "date_maj", "type", "thematiques", "frais",
        "publics", "modes_accueil", "modes_mobilisation", "mobilisable_par", "horaires_accueil", "adresse",
        "commune", "code_postal", "code_insee", "latitude", "longitude",
    },
    # Le Bilan JSON et les indicateurs : des agrégats (les sections reprennent les chemins de DEFINITIONS).
    "Bilan": {
        "version", "annee", "suivi_depuis", "permanences", "rendez_vous", "arcs", "formations", "dispositif",
        "chiffres_declares", "secret_statistique",
    },
    # secret_statistique : ce que la règle des petits groupes a masqué (chemins d'indicateurs, années, raisons).
    "Indicateurs": {"debut", "fin", "lieux", "indicateurs", "secret_statistique"},
    "Feuille": {"valeur", "precedent", "evolution_pct", "comparabilite", "secret_statistique", "inconnu", "imprime"},
    "FeuillePart": {
        "valeur", "precedent", "evolution_pct", "evolution_points", "comparabilite", "secret_statistique",
        "inconnu", "imprime",
    },
    **{
        f"Bilan_{section}": {c.split(".")[1] for c in DEFINITIONS if c.startswith(f"{section}.")}
        for section in ("permanences", "rendez_vous", "arcs", "formations", "dispositif")
    },
}  # fmt: skip


def test_aucune_donnee_personnelle_ne_peut_sortir(client, db):
    document = api.get_openapi_schema(path_prefix="/api/v1/")
    schemas = document["components"]["schemas"]
    assert {nom: set(s.get("properties", {})) for nom, s in schemas.items()} == CHAMPS_PERMIS
    _donnees()
    _, secret = _jeton()
    tout = "".join(
        _get(client, a, secret).content.decode() for a in ("/api/v1/annuaire/services", "/api/v1/lieux")
    )
    for personnel in ("Mme Personne", "0600000000", "personne@caf.example"):
        assert personnel not in tout


@pytest.fixture
def secret_complet(db, settings):
    """Les données d'essai et un jeton à toutes les portées, sans limite de débit gênante. Comme le client de
    test de Django, on ne ferme pas la connexion entre deux requêtes WSGI (elle porte la transaction du test)."""
    from django.core import signals
    from django.db import close_old_connections

    settings.INCLUSION = {**settings.INCLUSION, "API_REQUETES_PAR_MINUTE": 100_000}
    _donnees()
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield _jeton()[1]
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


# Le document tel que le sert /api/v1/openapi.json ; les requêtes passent par l'application WSGI de Django.
DOCUMENT = api.get_openapi_schema(path_prefix="/api/v1/")
schema = schemathesis.openapi.from_dict(DOCUMENT)
schema.app = application

# Ce que JSON Schema ne sait pas dire d'un paramètre (les bornes d'une date, une règle entre deux paramètres), le
# document le dit en toutes lettres et dans ses champs « x-… » ; le générateur les lit là, dans le document, pour
# que chaque demande qu'il croit valide le soit vraiment (toutes les vérifications tournent, aucune n'est exclue).
PARAMETRES = {p["name"]: p["schema"] for p in DOCUMENT["paths"]["/api/v1/indicateurs"]["get"]["parameters"]}
BORNES = [datetime.date.fromisoformat(PARAMETRES["debut"][c]) for c in ("x-minimum", "x-maximum")]
assert [datetime.date.fromisoformat(PARAMETRES["fin"][c]) for c in ("x-minimum", "x-maximum")] == BORNES
schemathesis.openapi.format("date", strategies.dates(*BORNES).map(datetime.date.isoformat))


@schema.hook
def filter_case(context, case):
    """Une demande « valide » des indicateurs suit aussi la règle de période du document (x-apres,
    x-periode-max-jours) ; une demande volontairement invalide (mode négatif) passe telle quelle."""
    if (
        not case.operation.path.endswith("/indicateurs")
        or case.meta is None
        or not case.meta.generation.mode.is_positive
    ):
        return True
    regle = PARAMETRES["fin"]
    try:
        debut, fin = (datetime.date.fromisoformat(case.query[c]) for c in (regle["x-apres"], "fin"))
    except (KeyError, TypeError, ValueError):
        return True
    return 0 <= (fin - debut).days <= regle["x-periode-max-jours"]


@schema.parametrize()
@reglages_hypothesis(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_l_api_suit_son_document_openapi(case, secret_complet):
    """Chaque point d'entrée, chaque paramètre documenté, toutes les vérifications de schemathesis : jamais
    d'erreur 500, chaque réponse (statut, corps, en-têtes) conforme au document, toute demande conforme au
    document acceptée, toute demande non conforme refusée."""
    case.call_and_validate(headers={"Authorization": f"Bearer {secret_complet}"})


def _valideur(nom):
    import jsonschema_rs

    return jsonschema_rs.Draft202012Validator(
        {"$ref": f"#/components/schemas/{nom}", "components": DOCUMENT["components"]}, validate_formats=True
    )


def test_les_reponses_du_bilan_et_des_indicateurs_suivent_leur_schema(client, db):
    """Les schémas du document sont générés des définitions (rapports.definitions) : le Bilan et les indicateurs
    servis les suivent, et un Bilan qui perd ou gagne un indicateur, ou dont une feuille change de forme, non."""
    from decimal import Decimal

    from rapports.models import ChiffreExterne

    _donnees()
    ChiffreExterne.objects.create(
        annee=2022, indicateur="dispositif.personnes_recues_externes", valeur=Decimal(4151), source="ERE"
    )
    _, secret = _jeton()
    bilan = _get(client, "/api/v1/bilan/2023", secret).json()
    indicateurs = _get(client, "/api/v1/indicateurs?debut=2023-01-01&fin=2023-12-31", secret).json()
    assert bilan["chiffres_declares"] and len(indicateurs["indicateurs"]) > 50
    assert list(_valideur("Bilan").iter_errors(bilan)) == []
    assert list(_valideur("Indicateurs").iter_errors(indicateurs)) == []
    sans = {**bilan, "permanences": {k: v for k, v in bilan["permanences"].items() if k != "refus"}}
    en_trop = {**bilan, "arcs": {**bilan["arcs"], "inconnu": bilan["arcs"]["rendez_vous_tenus"]}}
    feuille = {**bilan, "permanences": {**bilan["permanences"], "refus": {"valeur": "14"}}}
    for faux in (sans, en_trop, feuille, {**bilan, "version": 3}):
        assert not _valideur("Bilan").is_valid(faux)


def test_les_refus_et_les_bornes_sont_documentes(client, db):
    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/indicateurs"]["get"]
    assert operation["responses"]["401"]["headers"]["WWW-Authenticate"]["required"] is True
    assert operation["responses"]["429"]["headers"]["Retry-After"]["schema"]["type"] == "integer"
    parametres = {p["name"]: p["schema"] for p in operation["parameters"]}
    assert parametres["debut"]["x-minimum"] == "2000-01-01" and parametres["fin"]["x-maximum"] == "2100-12-31"
    assert parametres["fin"]["x-periode-max-jours"] == 3 * 366 and "trois ans" in operation["description"]
    reponse = client.get("/api/v1/lieux")
    assert reponse.status_code == 401 and reponse["WWW-Authenticate"] == "Bearer"
    _, secret = _jeton()
    trop_long = _get(client, "/api/v1/indicateurs?debut=2020-01-01&fin=2023-01-05", secret)
    assert trop_long.status_code == 422 and "trois ans" in trop_long.json()["detail"]
    assert _get(client, "/api/v1/indicateurs?debut=2020-01-01&fin=2023-01-03", secret).status_code == 200
    assert _get(client, "/api/v1/indicateurs?debut=1999-12-31&fin=2000-01-03", secret).status_code == 422
    # Un paramètre inconnu (une faute de frappe : « lieu » pour « lieux ») est refusé en le nommant, pas ignoré.
    faute = _get(client, "/api/v1/indicateurs?debut=2023-01-01&fin=2023-12-31&lieu=1&none=true", secret)
    assert faute.status_code == 422
    assert faute.json()["detail"] == (
        "Paramètre inconnu : « lieu », « none ». Paramètres acceptés : debut, fin, lieux."
    )


def test_le_document_openapi_est_servi(client, db):
    document = client.get("/api/v1/openapi.json").json()
    assert set(document["paths"]) == {
        "/api/v1/bilan/{annee}", "/api/v1/indicateurs", "/api/v1/lieux", "/api/v1/annuaire/structures",
        "/api/v1/annuaire/services",
    }  # fmt: skip
    assert document["components"]["securitySchemes"]["Jeton"]["scheme"] == "bearer"


def test_les_fichiers_nationaux_de_la_coordination(client, coordination, db):
    import csv
    import io

    from data_inclusion.schema.v1 import Structure as StructureDI

    _donnees()
    Lieu.objects.filter(pk=Lieu.objects.first().pk).update(adresse="=HYPERLIEN(1)")
    client.force_login(coordination)
    lieux = json.loads(client.get("/rapports/lieux.json").content)
    assert len(lieux) == 2 and violations_json(lieux) == []
    texte = client.get("/rapports/lieux.csv").content.decode()
    assert violations_csv(texte) == []
    lignes = list(csv.DictReader(io.StringIO(texte)))
    assert [ligne["id"] for ligne in lignes] == [lieu["id"] for lieu in lieux]
    assert any(ligne["adresse"] == "'=HYPERLIEN(1)" for ligne in lignes)  # neutralisée contre les formules
    for s in json.loads(client.get("/annuaire/data-inclusion/structures.json").content):
        StructureDI.model_validate(s)
    assert client.get("/annuaire/data-inclusion/autre.json").status_code == 404


def test_horaires_au_format_openstreetmap():
    from types import SimpleNamespace as S

    from echanges.schemas_nationaux import horaires_osm

    def c(jour, debut, fin):
        return S(jour_semaine=jour, heure_debut=datetime.time(*debut), heure_fin=datetime.time(*fin))

    assert horaires_osm([c(1, (14, 0), (17, 0)), c(0, (9, 0), (12, 0)), c(0, (14, 0), (16, 30))]) == (
        "Mo 09:00-12:00,14:00-16:30; Tu 14:00-17:00"
    )


def test_la_coordination_cree_et_revoque_un_jeton_dans_l_administration(client, coordination):
    client.force_login(coordination)
    expire = (timezone.localtime() + datetime.timedelta(days=90)).strftime("%Y-%m-%d")
    reponse = client.post(
        "/admin/api/jetonapi/add/",
        {"nom": "Métropole", "portees": ["bilan", "lieux"], "expire_le_0": expire, "expire_le_1": "12:00:00"},
        follow=True,
    )
    page = reponse.content.decode()
    secret = re.search(r"(inc_[A-Za-z0-9_-]{40,})", page).group(1)
    assert "il ne sera plus jamais affiché" in page
    jeton = JetonApi.objects.get()
    assert jeton.portees == ["bilan", "lieux"] and jeton.cree_par == coordination
    assert _get(client, "/api/v1/lieux", secret).status_code == 200
    assert secret not in client.get(f"/admin/api/jetonapi/{jeton.pk}/change/").content.decode()
    trop_loin = (timezone.localtime() + datetime.timedelta(days=400)).strftime("%Y-%m-%d")
    refus = client.post(
        "/admin/api/jetonapi/add/",
        {"nom": "Trop long", "portees": ["bilan"], "expire_le_0": trop_loin, "expire_le_1": "12:00:00"},
    )
    assert "au plus un an" in refus.content.decode() and JetonApi.objects.count() == 1
    client.post("/admin/api/jetonapi/", {"action": "revoquer", "_selected_action": [jeton.pk]}, follow=True)
    assert _get(client, "/api/v1/lieux", secret).status_code == 401


def _points_d_entree():
    """(adresse, portée exigée) de chaque point d'entrée de l'API, lus dans l'API elle-même."""
    for prefixe, routeur in api._routers:
        for chemin, vue in routeur.path_operations.items():
            for operation in vue.operations:
                for garde in operation.auth_callbacks:
                    yield (
                        f"/api/v1{prefixe}{chemin}".replace("//", "/").replace("{annee}", "2023"),
                        garde.portee,
                    )


@pytest.mark.parametrize(("adresse", "portee"), list(_points_d_entree()))
def test_chaque_point_d_entree_exige_sa_portee(client, db, adresse, portee):
    """Un jeton qui a toutes les portées sauf celle du point d'entrée reçoit 401 ; avec elle seule, il passe
    la garde (la réponse peut être 404 ou 422 selon les paramètres, jamais 401)."""
    _, sans = _jeton(portees=[p for p in TOUTES if p != portee])
    _, avec = _jeton(portees=[portee])
    reponse = _get(client, adresse, sans)
    assert reponse.status_code == 401 and "portée" in reponse.json()["detail"]
    assert _get(client, adresse, avec).status_code != 401


def test_les_points_d_entree_et_leurs_portees_sont_tous_vus():
    assert {p for _, p in _points_d_entree()} == set(TOUTES)
