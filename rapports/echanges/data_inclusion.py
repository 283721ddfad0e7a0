"""Importer l'annuaire national (un export data·inclusion des structures et services du territoire) dans notre
annuaire des partenaires, pour partir de l'existant plutôt que tout ressaisir.

- Chaque structure est validée par le modèle data·inclusion (paquet data-inclusion-schema), puis rapprochée
  d'une structure à nous par son SIRET, à défaut par son nom (casse ignorée) ; sinon elle est créée. Un SIRET
  connu chez eux et pas chez nous est ajouté.
- Chaque service devient un contact de sa structure (rapproché par structure et nom de service) : son nom, sa
  description (notes), ses horaires, son téléphone et son courriel génériques, sa date de mise à jour.
- Tout ou rien : à la moindre erreur, rien n'est écrit et toutes les erreurs sont listées ; « essai » vérifie et
  compte sans rien écrire.
"""

from django.db import transaction
from django.db.models.functions import Lower

from inclusion.json_sur import JsonRefuse, lire_json
from inclusion.models import ContactAnnuaire, Structure

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


def importer_annuaire(contenu, *, essai=False):
    """Importe le fichier ; renvoie {"structures_creees", "structures_mises_a_jour", "contacts_crees",
    "contacts_mis_a_jour"} ; lève ImportAnnuaireRefuse (rien n'est écrit) s'il y a la moindre erreur."""
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
    comptes = dict.fromkeys(
        ("structures_creees", "structures_mises_a_jour", "contacts_crees", "contacts_mis_a_jour"), 0
    )
    try:
        with transaction.atomic():
            correspondance = {s.id: _structure(s, comptes) for s in structures}
            for service in services:
                _contact(service, correspondance[service.structure_id], comptes)
            if essai:
                raise _Essai
    except _Essai:
        pass
    return comptes


def _structure(nationale, comptes):
    nom = nationale.nom[:120]
    trouvee = Structure.objects.filter(siret=nationale.siret).first() if nationale.siret else None
    trouvee = trouvee or Structure.objects.annotate(n=Lower("nom")).filter(n=nom.lower()).first()
    if trouvee is None:
        comptes["structures_creees"] += 1
        return Structure.objects.create(nom=nom, siret=nationale.siret or "")
    if nationale.siret and not trouvee.siret:
        trouvee.siret = nationale.siret
        trouvee.save(update_fields=["siret"])
        comptes["structures_mises_a_jour"] += 1
    return trouvee


def _contact(service, structure, comptes):
    champs = {
        "notes": (service.description or "")[:5000],
        "horaires": (service.horaires_accueil or "")[:200],
        "telephone": (service.telephone or "")[:30],
        "email": str(service.courriel or "")[:254],
        "verifie_le": service.date_maj,
    }
    nom = service.nom[:150]
    contact = ContactAnnuaire.objects.filter(structure=structure, service__iexact=nom).first()
    if contact is None:
        ContactAnnuaire.objects.create(structure=structure, service=nom, **champs)
        comptes["contacts_crees"] += 1
        return
    for champ, valeur in champs.items():
        setattr(contact, champ, valeur)
    contact.save()
    comptes["contacts_mis_a_jour"] += 1
