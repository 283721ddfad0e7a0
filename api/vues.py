"""Les points d'entrée de l'API /api/v1/ (django-ninja) ; le document OpenAPI est /api/v1/openapi.json.

Chaque point d'entrée a sa portée ; un jeton absent, inconnu, expiré, révoqué ou sans la portée reçoit 401, un
jeton qui dépasse sa limite par minute 429 (Retry-After). Réponses et erreurs sont décrites dans le document
OpenAPI (schemathesis s'en assure dans les tests)."""

import datetime
import json
from typing import Annotated

from django.http import HttpResponse
from ninja import NinjaAPI, Path, Query, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as ErreurDeValidation
from ninja.security import HttpBearer
from pydantic import Field

from echanges import schemas_nationaux, standard_lieux
from rapports import secret_statistique
from rapports.bilan import Periode, comparer_periodes, en_json, message_aucune_donnee
from rapports.models import PublicationBilan
from rapports.presentation import feuilles_de, reponse_publiee

from . import jetons
from .document import completer
from .enums import PorteeApi


class Erreur(Schema):
    detail: str


class LimiteDepassee(HttpError):
    def __init__(self, secondes):
        super().__init__(429, "Trop de requêtes pour ce jeton : réessayez dans un instant.")
        self.secondes = secondes


class Jeton(HttpBearer):
    """« Authorization: Bearer inc_… » ; le jeton doit avoir la portée du point d'entrée."""

    def __init__(self, portee):
        super().__init__()
        self.portee = portee

    def authenticate(self, request, token):
        jeton = jetons.jeton_valide(token, self.portee)
        if jeton is None:
            return None
        if attente := jetons.attente_avant_requete(jeton):
            raise LimiteDepassee(attente)
        return jeton


class ApiDocumentee(NinjaAPI):
    """Le document OpenAPI de django-ninja, complété par api.document (schémas des réponses du Bilan et
    des indicateurs, en-têtes des refus)."""

    def get_openapi_schema(self, **options):
        return completer(super().get_openapi_schema(**options))


api = ApiDocumentee(
    title="inclusion : API en lecture",
    version="1",
    description="Bilan, indicateurs, lieux et annuaire d'un dispositif d'inclusion numérique. Aucune donnée "
    "personnelle. Jeton créé par la coordination (administration, « Jetons de l'API »).",
    urls_namespace="api_v1",
    openapi_url="/openapi.json",
    docs_url=None,
)

ERREURS = {401: Erreur, 422: Erreur, 429: Erreur}


@api.exception_handler(AuthenticationError)
def _non_authentifie(request, exc):
    reponse = api.create_response(
        request,
        {"detail": "Jeton absent, inconnu, expiré ou révoqué, ou sans la portée de cette adresse."},
        status=401,
    )
    reponse["WWW-Authenticate"] = "Bearer"  # RFC 6750 : le schéma d'authentification attendu
    return reponse


@api.exception_handler(LimiteDepassee)
def _trop_de_requetes(request, exc):
    reponse = api.create_response(request, {"detail": exc.message}, status=429)
    reponse["Retry-After"] = str(exc.secondes)
    return reponse


@api.exception_handler(ErreurDeValidation)
def _invalide(request, exc):
    champs = sorted({str(e.get("loc", ["?"])[-1]) for e in exc.errors})
    return api.create_response(
        request, {"detail": "Paramètre invalide : " + ", ".join(champs) + "."}, status=422
    )


def _refus(statut, message):
    return Status(statut, {"detail": message})


@api.get(
    "/bilan/{annee}",
    auth=Jeton(PorteeApi.BILAN),
    response={200: dict, 404: Erreur, **ERREURS},
    summary="Le Bilan JSON d'une année (contrat versionné : champ « version »)",
    tags=["bilan"],
)
def bilan(request, annee: Path[int]):
    if not 2000 <= annee <= 2100:
        return _refus(404, f"Aucun Bilan pour {annee} : année entre 2000 et 2100.")
    if publication := PublicationBilan.objects.en_vigueur(annee):  # une année close : sa version publiée
        return reponse_publiee(publication)
    comparaison = comparer_periodes(Periode.annee(annee))
    if not comparaison.a_des_donnees:
        return _refus(404, message_aucune_donnee(annee))
    return _json(secret_statistique.bilan_protege(en_json(comparaison), comparaison.periode))


IdentifiantLieu = Annotated[int, Field(ge=1, le=2**63 - 1)]


DEBUT_MIN, FIN_MAX = datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)
PERIODE_MAX_JOURS = 3 * 366  # « au plus trois ans » : fin − début, en jours
BORNES = {"x-minimum": DEBUT_MIN.isoformat(), "x-maximum": FIN_MAX.isoformat()}
REGLE_PERIODE = (
    f"La fin suit le début (ou lui est égale), et la période dure au plus trois ans : fin − début ≤ "
    f"{PERIODE_MAX_JOURS} jours (sinon 422). Petits groupes : une valeur sur moins de k personnes est null, et "
    "si un mois de la période (un jour des mois touchés, pour une période qui n'est pas faite de mois entiers ; "
    "lieu par lieu avec « lieux ») compte moins de k personnes d'une population, ses valeurs sont null ; "
    "« secret_statistique » dit ce qui est masqué. Un paramètre inconnu est refusé (422), au lieu d'être ignoré "
    "sans le dire."
)


class FiltreIndicateurs(Schema):
    debut: datetime.date = Field(
        ...,
        description=f"premier jour de la période, du {DEBUT_MIN:%d/%m/%Y} au {FIN_MAX:%d/%m/%Y}",
        ge=DEBUT_MIN,
        le=FIN_MAX,
        json_schema_extra=BORNES,
    )
    fin: datetime.date = Field(
        ...,
        description=f"dernier jour (inclus), du {DEBUT_MIN:%d/%m/%Y} au {FIN_MAX:%d/%m/%Y}. {REGLE_PERIODE}",
        ge=DEBUT_MIN,
        le=FIN_MAX,
        json_schema_extra={**BORNES, "x-periode-max-jours": PERIODE_MAX_JOURS, "x-apres": "debut"},
    )
    lieux: list[IdentifiantLieu] = Field(
        default_factory=list, description="identifiants des lieux (tous si absent)"
    )


@api.get(
    "/indicateurs",
    auth=Jeton(PorteeApi.INDICATEURS),
    response={200: dict, **ERREURS},
    summary="Les indicateurs d'une période, comparés à la même période un an plus tôt (filtres du tableau de bord)",
    description=REGLE_PERIODE,
    tags=["indicateurs"],
)
def indicateurs(request, filtre: Query[FiltreIndicateurs]):
    if inconnus := sorted(set(request.GET) - set(FiltreIndicateurs.model_fields)):
        noms = ", ".join(f"« {nom[:40]} »" for nom in inconnus[:5])
        return _refus(
            422,
            f"Paramètre inconnu : {noms}. Paramètres acceptés : {', '.join(FiltreIndicateurs.model_fields)}.",
        )
    if filtre.fin < filtre.debut or (filtre.fin - filtre.debut).days > PERIODE_MAX_JOURS:
        return _refus(422, "Période invalide : la fin suit le début, et la période dure au plus trois ans.")
    lendemain = filtre.fin + datetime.timedelta(days=1)
    periode = Periode(filtre.debut, lendemain)
    comparaison = comparer_periodes(periode, lieux=filtre.lieux or None)
    sections, masques = secret_statistique.proteger(
        comparaison.indicateurs, periode=periode, par_lieu=bool(filtre.lieux)
    )
    contenu = {
        "debut": filtre.debut.isoformat(),
        "fin": filtre.fin.isoformat(),
        "lieux": filtre.lieux,
        "indicateurs": {
            ".".join(str(c) for c in chemin): feuille for chemin, feuille in feuilles_de(sections)
        },
        "secret_statistique": {"k": secret_statistique.k_anonymat(), "masques": masques},
    }
    return _json(contenu)


def _json(contenu):
    return HttpResponse(
        json.dumps(contenu, default=str, ensure_ascii=False, indent=2), content_type="application/json"
    )


def _motif(champ):
    """Le motif du standard, ancré sur la valeur entière comme l'entend Table Schema (un motif de JSON Schema
    cherche n'importe où dans la valeur)."""
    return f"^(?:{standard_lieux.MOTIFS[champ]})$"


class LieuMediationNumerique(Schema):
    """Un lieu au standard national des lieux de médiation numérique (LaMednum/standard-mediation-num, tag
    v1.0.1 : echanges.standard_lieux) : les champs que nous remplissons ; un champ sans valeur est omis,
    jamais `null` ; plusieurs valeurs sont séparées par « | »."""

    model_config = {"json_schema_extra": {"externalDocs": {"url": standard_lieux.URI}}}

    id: str
    pivot: str = Field(pattern=_motif("pivot"))
    nom: str
    commune: str
    code_postal: str = Field(pattern=_motif("code_postal"))
    code_insee: str = Field(None, pattern=_motif("code_insee"))
    adresse: str
    latitude: float = None
    longitude: float = None
    horaires: str = Field(None, description="format OpenStreetMap (opening_hours)")
    source: str = None
    itinerance: str = Field(None, pattern=_motif("itinerance"))
    date_maj: datetime.date
    services: str = Field(None, pattern=_motif("services"))
    modalites_acces: str = Field(None, pattern=_motif("modalites_acces"))
    modalites_accompagnement: str = Field(None, pattern=_motif("modalites_accompagnement"))
    frais_a_charge: str = Field(None, pattern=_motif("frais_a_charge"))
    fiche_acces_libre: str = None


class StructureDataInclusion(Schema):
    """Une structure au schéma data·inclusion v1 (notre dispositif, ou une structure partenaire) ; un champ
    sans valeur est omis."""

    source: str
    id: str
    nom: str
    date_maj: str
    siret: str = None
    site_web: str = None


class ServiceDataInclusion(Schema):
    """Un service au schéma data·inclusion v1 : la permanence numérique d'un de nos lieux (thématiques
    `numerique--…`, accueil, horaires OpenStreetMap, adresse, publics), ou un contact d'une structure partenaire
    (nom et description seulement) ; un champ sans valeur est omis."""

    source: str
    id: str
    structure_id: str
    nom: str
    description: str
    date_maj: str
    type: str = None
    thematiques: list[str] = None
    frais: str = None
    publics: list[str] = None
    modes_accueil: list[str] = None
    modes_mobilisation: list[str] = None
    mobilisable_par: list[str] = None
    horaires_accueil: str = None
    adresse: str = None
    commune: str = None
    code_postal: str = None
    code_insee: str = None
    latitude: float = None
    longitude: float = None


@api.get(
    "/lieux",
    auth=Jeton(PorteeApi.LIEUX),
    response={200: list[LieuMediationNumerique], **ERREURS},
    exclude_none=True,
    summary="Les lieux complets, au standard national des lieux de médiation numérique (v1.0.1)",
    tags=["lieux"],
)
def lieux(request):
    return list(schemas_nationaux.lieux_mediation_numerique())


@api.get(
    "/annuaire/structures",
    auth=Jeton(PorteeApi.ANNUAIRE),
    response={200: list[StructureDataInclusion], **ERREURS},
    exclude_none=True,
    summary="Les structures partenaires, au schéma data·inclusion",
    tags=["annuaire"],
)
def structures(request):
    return list(schemas_nationaux.structures_data_inclusion())


@api.get(
    "/annuaire/services",
    auth=Jeton(PorteeApi.ANNUAIRE),
    response={200: list[ServiceDataInclusion], **ERREURS},
    exclude_none=True,
    summary="Les services des partenaires (un par contact de l'annuaire), au schéma data·inclusion",
    tags=["annuaire"],
)
def services(request):
    return list(schemas_nationaux.services_data_inclusion())
