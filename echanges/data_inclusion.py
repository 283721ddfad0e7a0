"""Importer l'annuaire national (un export data·inclusion des structures et services du territoire) dans notre
annuaire des partenaires, pour partir de l'existant plutôt que tout ressaisir.

- Chaque structure est validée par le modèle data·inclusion (paquet data-inclusion-schema), puis rapprochée
  d'une structure à nous par son identifiant national (noté au premier import) ou par son SIRET, jamais par son
  seul nom : une structure de même nom (casse ignorée) est proposée, et rapprochée seulement sur confirmation ;
  sinon elle est créée. Un SIRET connu chez eux et pas chez nous est ajouté.
- Chaque service devient un contact de sa structure (rapproché par son identifiant national, à défaut par
  structure et nom de service) : son nom, sa description (notes), ses horaires, son téléphone et son courriel
  génériques, sa date de mise à jour. Un champ modifié à la main depuis le dernier import (différent de la
  valeur importée alors) n'est pas écrasé sans confirmation.
- Tout ou rien : à la moindre erreur, rien n'est écrit et toutes les erreurs sont listées ; « essai » vérifie et
  montre les changements champ par champ sans rien écrire.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models.functions import Lower

from inclusion.json_sur import JsonRefuse, lire_json
from inclusion.models import ContactAnnuaire, Structure
from inclusion.services import creer_structure, nom_propre

TAILLE_MAX_OCTETS = 20 * 1024 * 1024
MESSAGES = {
    "missing": "champ obligatoire manquant",
    "string_too_short": "texte trop court",
    "string_too_long": "texte trop long",
    "string_pattern_mismatch": "format invalide",
    "date_from_datetime_parsing": "date invalide",
    "date_parsing": "date invalide",
    "url_parsing": "adresse web invalide",
    "value_error": "valeur invalide",
}


class ImportAnnuaireRefuse(Exception):
    def __init__(self, erreurs):
        super().__init__(f"{len(erreurs)} erreur(s)")
        self.erreurs = erreurs


class _Essai(Exception):
    pass


def lire_fichier(contenu):
    """(structures, services) d'un fichier JSON : une liste, {"items": […]} (API data·inclusion) ou
    {"structures": […], "services": […]} ; les services se reconnaissent à leur « structure_id »."""
    try:
        donnees = lire_json(contenu, taille_max=TAILLE_MAX_OCTETS)
    except JsonRefuse as refus:
        raise ImportAnnuaireRefuse([f"{refus} : un fichier JSON de data·inclusion est attendu"]) from None
    if isinstance(donnees, dict) and ("structures" in donnees or "services" in donnees):
        parties = [donnees.get("structures") or [], donnees.get("services") or []]
        if not all(isinstance(p, list) for p in parties):
            raise ImportAnnuaireRefuse(["format inattendu : « structures » et « services » sont des listes"])
        elements = parties[0] + parties[1]
    elif isinstance(donnees, dict):
        elements = donnees.get("items")
    else:
        elements = donnees
    if not isinstance(elements, list) or not all(isinstance(e, dict) for e in elements):
        raise ImportAnnuaireRefuse(["format inattendu : une liste de structures et de services est attendue"])
    structures = [e for e in elements if "structure_id" not in e]
    services = [e for e in elements if "structure_id" in e]
    return structures, services


def _valider(elements, modele, quoi):
    from pydantic import ValidationError

    valides, erreurs = [], []
    for i, element in enumerate(elements, start=1):
        try:
            valides.append(modele.model_validate(element))
        except ValidationError as erreur:
            for e in erreur.errors():
                champ = ".".join(str(x) for x in e["loc"]) or "(élément)"
                erreurs.append(f"{quoi} n° {i} : {champ} : {MESSAGES.get(e['type'], 'valeur invalide')}")
    return valides, erreurs


def _cle(element):
    """L'identifiant national d'une structure ou d'un service : « source:id »."""
    return f"{element.source}:{element.id}"[:200]


def _valeurs_du_service(service):
    return {
        "notes": (service.description or "")[:5000],
        "horaires": (service.horaires_accueil or "")[:200],
        "telephone": (service.telephone or "")[:30],
        "email": str(service.courriel or "")[:254],
    }


@dataclass
class Plan:
    """Ce que l'import fera (ou a fait) : comptes, changements champ par champ, rapprochements par le nom proposés
    (jamais appliqués sans confirmation) et champs modifiés à la main gardés."""

    comptes: dict = field(
        default_factory=lambda: dict.fromkeys(
            ("structures_creees", "structures_mises_a_jour", "contacts_crees", "contacts_mis_a_jour"), 0
        )
    )
    changements: list = field(default_factory=list)  # {objet, champ, avant, apres}
    gardes: list = field(default_factory=list)  # {objet, champ, avant, apres} : modifiés à la main, gardés
    propositions: list = field(default_factory=list)  # {identifiant, nom, structure}

    def en_dict(self):
        return {
            **self.comptes,
            "changements": self.changements,
            "gardes": self.gardes,
            "propositions": self.propositions,
        }


def importer_annuaire(contenu, *, essai=False, rapprocher=(), ecraser=False):
    """Importe le fichier (tout ou rien) ; renvoie le plan (Plan.en_dict) ; lève ImportAnnuaireRefuse (rien n'est
    écrit) s'il y a la moindre erreur.

    Une structure est reconnue par son identifiant national (noté au premier import) ou par son SIRET, jamais par
    son seul nom : une structure de même nom est proposée, et n'est rapprochée que si son identifiant national est
    dans `rapprocher` (sinon elle et ses services sont laissés de côté). Un champ de contact modifié à la main
    depuis le dernier import n'est écrasé qu'avec `ecraser`.
    """
    from data_inclusion.schema.v1 import Service
    from data_inclusion.schema.v1 import Structure as StructureNationale

    structures, services = lire_fichier(contenu)
    structures, erreurs = _valider(structures, StructureNationale, "structure")
    services, erreurs_services = _valider(services, Service, "service")
    erreurs += erreurs_services
    connues = {s.id for s in structures}
    erreurs += [
        f"service « {s.nom[:60]} » : structure « {s.structure_id[:60]} » absente du fichier"
        for s in services
        if s.structure_id not in connues
    ]
    if erreurs:
        raise ImportAnnuaireRefuse(erreurs)
    plan = Plan()
    rapprocher = set(rapprocher)
    try:
        with transaction.atomic():
            correspondance = {s.id: _structure(s, plan, rapprocher) for s in structures}
            for service in services:
                structure = correspondance[service.structure_id]
                if structure is not None:
                    _contact(service, structure, plan, ecraser)
            if essai:
                raise _Essai
    except _Essai:
        pass
    return plan.en_dict()


def _structure(nationale, plan, rapprocher):
    nom, cle = nom_propre(nationale.nom)[:120], _cle(nationale)
    trouvee = Structure.objects.filter(identifiant_national=cle).first()
    if trouvee is None and nationale.siret:
        trouvee = Structure.objects.filter(siret=nationale.siret).first()
    if trouvee is None:
        homonyme = Structure.objects.annotate(n=Lower("nom")).filter(n=nom.lower()).first()
        if homonyme is not None and cle not in rapprocher:
            plan.propositions.append({"identifiant": cle, "nom": nom, "structure": homonyme.nom})
            return None  # ni créée (le nom est pris), ni rapprochée sans confirmation
        trouvee = homonyme
    if trouvee is None:
        plan.comptes["structures_creees"] += 1
        plan.changements.append(
            {"objet": f"structure « {nom} » (nouvelle)", "champ": "", "avant": "", "apres": nom}
        )
        return creer_structure(nom=nom, siret=nationale.siret or "", identifiant_national=cle)
    champs = {}
    if nationale.siret and not trouvee.siret:
        champs["siret"] = nationale.siret
    if trouvee.identifiant_national != cle and not trouvee.identifiant_national:
        champs["identifiant_national"] = cle
    if champs:
        for champ, valeur in champs.items():
            plan.changements.append(
                {
                    "objet": f"structure « {trouvee.nom} »",
                    "champ": champ,
                    "avant": getattr(trouvee, champ),
                    "apres": valeur,
                }
            )
            setattr(trouvee, champ, valeur)
        trouvee.save(update_fields=list(champs))
        plan.comptes["structures_mises_a_jour"] += 1
    return trouvee


def _contact(service, structure, plan, ecraser):
    valeurs, nom, cle = _valeurs_du_service(service), service.nom[:150], _cle(service)
    contact = ContactAnnuaire.objects.filter(structure=structure, identifiant_national=cle).first()
    contact = contact or ContactAnnuaire.objects.filter(structure=structure, service__iexact=nom).first()
    objet = f"contact « {structure.nom} – {nom} »"
    if contact is None:
        ContactAnnuaire.objects.create(
            structure=structure,
            service=nom,
            identifiant_national=cle,
            valeurs_importees=valeurs,
            verifie_le=service.date_maj,
            **valeurs,
        )
        plan.comptes["contacts_crees"] += 1
        plan.changements.append({"objet": f"{objet} (nouveau)", "champ": "", "avant": "", "apres": nom})
        return
    change = False
    for champ, valeur in valeurs.items():
        actuelle = getattr(contact, champ)
        if actuelle == valeur:
            continue
        # Modifié à la main : différent de la dernière valeur importée (ou saisi avant tout import).
        a_la_main = actuelle != contact.valeurs_importees.get(champ, "")
        ligne = {"objet": objet, "champ": champ, "avant": actuelle, "apres": valeur}
        if a_la_main and not ecraser:
            plan.gardes.append(ligne)
            continue
        plan.changements.append(ligne)
        setattr(contact, champ, valeur)
        change = True
    contact.valeurs_importees = valeurs
    contact.identifiant_national = cle
    contact.verifie_le = max(contact.verifie_le, service.date_maj)
    contact.save()
    plan.comptes["contacts_mis_a_jour"] += change
