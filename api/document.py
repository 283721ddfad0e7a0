"""Ce que le document OpenAPI promet en plus de ce que django-ninja tire des signatures : les schémas des
réponses du Bilan JSON (contrat v2) et des indicateurs, générés des définitions des indicateurs
(rapports.definitions.DEFINITIONS, celles que lit le test du contrat JSON), et les en-têtes des refus (401 :
WWW-Authenticate ; 429 : Retry-After)."""

from rapports.bilan import SECTIONS, VERSION_JSON
from rapports.comparaison import LISTES_DE_CODES, RAISONS_INCONNU
from rapports.definitions import DEFINITIONS
from rapports.enums import FamilleSuivie

NOMBRE_OU_RIEN = {"type": ["number", "null"]}
COMPARABILITE = {"type": "string", "description": "pourquoi les deux périodes ne se comparent pas"}
# La règle de sortie des petits groupes (rapports.secret_statistique) : ce que l'API a masqué.
SECRET_DE_LA_FEUILLE = {
    "type": "array",
    "items": {"enum": ["valeur", "precedent"]},
    "description": "valeurs masquées (null) : petit groupe, ou déductible d'un petit groupe",
}
SECRET_STATISTIQUE = {
    "type": "object",
    "description": "La règle des petits groupes : k, et chaque valeur masquée (indicateur, année, raison).",
    "properties": {
        "k": {"type": "integer", "minimum": 1},
        "masques": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "indicateur": {"type": "string"},
                    "annee": {"enum": ["valeur", "precedent"]},
                    "raison": {"type": "string"},
                },
                "required": ["indicateur", "annee", "raison"],
                "additionalProperties": False,
            },
        },
    },
    "required": ["k", "masques"],
    "additionalProperties": False,
}
_RAISON = {"enum": list(RAISONS_INCONNU)}
INCONNU = {
    "type": "object",
    "description": "pourquoi une valeur est null : non_suivi (famille pas encore notée), aucun_enregistrement "
    "(suivie, mais aucun enregistrement dans l'année), base_vide (part ou moyenne d'une base vide)",
    "properties": {"valeur": _RAISON, "precedent": _RAISON},
    "additionalProperties": False,
}


def _feuille(part):
    proprietes = {
        "valeur": NOMBRE_OU_RIEN,
        "precedent": {**NOMBRE_OU_RIEN, "description": "la même période un an plus tôt"},
        "evolution_pct": {**NOMBRE_OU_RIEN, "description": "évolution en %, null si non comparable"},
        "comparabilite": COMPARABILITE,
        "secret_statistique": SECRET_DE_LA_FEUILLE,
        "inconnu": INCONNU,
    }
    requis = ["valeur", "precedent", "evolution_pct"]
    cle_evolution = "evolution_points" if part else "evolution_pct"
    if part:
        proprietes["evolution_points"] = {**NOMBRE_OU_RIEN, "description": "évolution en points de %"}
        requis.append("evolution_points")
    proprietes["imprime"] = {
        "type": "object",
        "description": "les valeurs imprimées (arrondies) et l'évolution calculée à partir d'elles, quand elle "
        "diffère de l'arrondi de l'évolution exacte",
        "properties": {
            "valeur": {"type": "number"},
            "precedent": {"type": "number"},
            cle_evolution: NOMBRE_OU_RIEN,
        },
        "required": ["valeur", "precedent", cle_evolution],
        "additionalProperties": False,
    }
    return {"type": "object", "properties": proprietes, "required": requis, "additionalProperties": False}


REF_COMPTE = {"$ref": "#/components/schemas/Feuille"}
REF_PART = {"$ref": "#/components/schemas/FeuillePart"}
REF_UNE_FEUILLE = {"anyOf": [REF_COMPTE, REF_PART]}


def _indicateur(chemin, definition):
    """Le schéma d'un indicateur du Bilan : une feuille, ou une table (code ou nom → feuille ; par lieu : nom du
    lieu → feuille ou indicateurs du lieu)."""
    section, cle = chemin.split(".")
    feuille = REF_PART if cle.endswith("_pct") else REF_COMPTE
    description = f"{definition.libelle} : {definition.definition}"
    if not definition.table:
        return {**feuille, "description": description}
    entree = feuille
    if cle == "par_lieu":
        indicateurs_du_lieu = {"type": "object", "additionalProperties": REF_UNE_FEUILLE}
        entree = {"anyOf": [feuille, indicateurs_du_lieu]}
    table = {"type": "object", "additionalProperties": entree, "description": description}
    if definition.table in LISTES_DE_CODES:
        table["propertyNames"] = {"enum": list(LISTES_DE_CODES[definition.table])}
    return table


def schemas_du_bilan():
    """Les composants du document : Feuille, FeuillePart, une section par section du Bilan, Bilan."""
    schemas = {"Feuille": _feuille(False), "FeuillePart": _feuille(True)}
    for section in SECTIONS:
        chemins = [c for c in DEFINITIONS if c.split(".")[0] == section]
        schemas[f"Bilan_{section}"] = {
            "type": "object",
            "properties": {c.split(".")[1]: _indicateur(c, DEFINITIONS[c]) for c in chemins},
            "required": [c.split(".")[1] for c in chemins],
            "additionalProperties": False,
        }
    familles = list(FamilleSuivie.values)
    schemas["Bilan"] = {
        "type": "object",
        "description": f"Le Bilan JSON, contrat v{VERSION_JSON} (README, « Bilan JSON »).",
        "properties": {
            "version": {"const": VERSION_JSON},
            "annee": {"type": "integer", "minimum": 2000, "maximum": 2100},
            "suivi_depuis": {
                "type": "object",
                "properties": {f: {"type": ["string", "null"], "format": "date"} for f in familles},
                "required": familles,
                "additionalProperties": False,
            },
            **{section: {"$ref": f"#/components/schemas/Bilan_{section}"} for section in SECTIONS},
            "chiffres_declares": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "annee": {"type": "integer"},
                        "indicateur": {"type": "string"},
                        "valeur": {"type": ["number", "null"], "description": "null : masqué (petit groupe)"},
                        "source": {"type": "string"},
                    },
                    "required": ["annee", "indicateur", "valeur", "source"],
                    "additionalProperties": False,
                },
            },
            "secret_statistique": SECRET_STATISTIQUE,
        },
        "required": ["version", "annee", "suivi_depuis", *SECTIONS, "chiffres_declares"],
        "additionalProperties": False,
    }
    schemas["Indicateurs"] = {
        "type": "object",
        "description": "Chaque feuille du Bilan de la période, sous son chemin pointé (section.indicateur[.code]).",
        "properties": {
            "debut": {"type": "string", "format": "date"},
            "fin": {"type": "string", "format": "date"},
            "lieux": {"type": "array", "items": {"type": "integer"}},
            "indicateurs": {
                "type": "object",
                "propertyNames": {"pattern": "^(" + "|".join(SECTIONS) + r")\.[^.]+(\..+)?$"},
                "additionalProperties": REF_UNE_FEUILLE,
            },
            "secret_statistique": SECRET_STATISTIQUE,
        },
        "required": ["debut", "fin", "lieux", "indicateurs", "secret_statistique"],
        "additionalProperties": False,
    }
    return schemas


EN_TETES = {
    "401": {
        "WWW-Authenticate": {
            "description": "« Bearer » : le jeton se donne dans l'en-tête « Authorization: Bearer … ».",
            "required": True,
            "schema": {"type": "string", "pattern": "^Bearer"},
        }
    },
    "429": {
        "Retry-After": {
            "description": "Secondes à attendre avant la prochaine requête de ce jeton.",
            "required": True,
            "schema": {"type": "integer", "minimum": 1},
        }
    },
}
REPONSES = {"/bilan/{annee}": "Bilan", "/indicateurs": "Indicateurs"}


def completer(document):
    """Le document de django-ninja, complété (en place) ; le renvoie."""
    document.setdefault("components", {}).setdefault("schemas", {}).update(schemas_du_bilan())
    for chemin, operations in document["paths"].items():
        for operation in operations.values():
            reponses = {str(statut): reponse for statut, reponse in operation["responses"].items()}
            for statut, en_tetes in EN_TETES.items():
                if statut in reponses:
                    reponses[statut]["headers"] = en_tetes
            for fin, schema in REPONSES.items():
                if chemin.endswith(fin):
                    contenu = reponses["200"]["content"]["application/json"]
                    contenu["schema"] = {"$ref": f"#/components/schemas/{schema}"}
    return document
