"""Nos lieux et notre annuaire dans les schémas nationaux, champ par champ (les noms sont ceux des schémas).

- Lieux : standard national des lieux de médiation numérique, LaMednum/standard-mediation-num, schema.json au
  tag v1.0.1 (contraintes redéclarées dans echanges.standard_lieux) ; un lieu qui ne le suit pas (SIRET,
  commune, code postal ou adresse manquants…) n'est pas publié, et lieux_non_publies() dit ce qui lui manque.
- Annuaire : schéma data·inclusion v1 (paquet PyPI data-inclusion-schema 1.0, modèles Structure et Service),
  qui valide nos sorties dans les tests (avertissements compris). Notre dispositif est une structure, et la
  permanence numérique de chaque lieu publié un service, décrit dans le vocabulaire de data·inclusion :
  thématiques `numerique--…`, accueil en présentiel, horaires OpenStreetMap, adresse du lieu, tous publics,
  gratuit. Un contact de l'annuaire est publié comme service de sa structure, sans nom de personne, ni
  téléphone, ni courriel (données personnelles de professionnels : l'annuaire national veut des coordonnées
  génériques) ; nous ne savons pas le décrire davantage (ses horaires sont du texte libre).
"""

from django.utils import timezone

from inclusion.models import ContactAnnuaire, IdentiteDispositif, Lieu, Structure
from permanences.enums import JourSemaine
from permanences.models import Creneau

from . import standard_lieux

VERSION_SCHEMA_DATA_INCLUSION = "1.0"
SOURCE = "inclusion-esc"

# Ce que font nos permanences (aide aux démarches en ligne, accompagnement technique), dans la liste du standard.
SERVICES = standard_lieux.multiple(
    "Aide aux démarches administratives", "Maîtrise des outils numériques du quotidien"
)
JOURS_OSM = {
    j.value: code for j, code in zip(JourSemaine, ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"), strict=True)
}


def horaires_osm(creneaux):
    """Les créneaux hebdomadaires en vigueur au format OpenStreetMap : « Mo 09:00-12:00; Tu 14:00-17:00 »."""
    par_jour = {}
    for c in sorted(creneaux, key=lambda c: (c.jour_semaine, c.heure_debut)):
        par_jour.setdefault(c.jour_semaine, []).append(f"{c.heure_debut:%H:%M}-{c.heure_fin:%H:%M}")
    return "; ".join(f"{JOURS_OSM[jour]} {','.join(plages)}" for jour, plages in par_jour.items())


def _enregistrement_du_lieu(lieu, identite, creneaux):
    """Le lieu au standard (champs sans valeur omis), ses créneaux en vigueur donnés."""
    valeurs = {
        "id": f"{SOURCE}-lieu-{lieu.pk}",
        "pivot": lieu.siret,
        "nom": lieu.nom,
        "commune": lieu.commune,
        "code_postal": lieu.code_postal,
        "code_insee": lieu.code_insee,
        "adresse": lieu.adresse,
        "latitude": float(lieu.latitude) if lieu.latitude is not None else None,
        "longitude": float(lieu.longitude) if lieu.longitude is not None else None,
        "horaires": horaires_osm(creneaux),
        "source": identite.organisation or identite.nom,
        "itinerance": "Fixe",
        "date_maj": (lieu.modifie_le or timezone.now()).date().isoformat(),
        "services": SERVICES,
        "modalites_acces": "Se présenter",
        "modalites_accompagnement": "Accompagnement individuel",
        "frais_a_charge": "Gratuit",
        "fiche_acces_libre": lieu.fiche_acces_libre,
    }
    return {cle: valeur for cle, valeur in valeurs.items() if valeur not in ("", None)}


def _enregistrements_lieux():
    """(lieu, enregistrement au standard) pour chaque lieu actif ; un champ sans valeur est omis."""
    identite = IdentiteDispositif.actuelle()
    creneaux = {}
    for c in Creneau.objects.en_vigueur(timezone.localdate()):
        creneaux.setdefault(c.lieu_id, []).append(c)
    for lieu in Lieu.objects.filter(actif=True).order_by("nom"):
        yield lieu, _enregistrement_du_lieu(lieu, identite, creneaux.get(lieu.pk, []))


def manques_du_lieu(lieu):
    """Ce qui manque à ce lieu, ou ne suit pas le standard, pour être publié dans les fichiers nationaux
    (lieux.json, lieux.csv, /api/v1/lieux) : ce que l'administration (« Lieux ») montre, vide s'il est complet."""
    creneaux = list(Creneau.objects.en_vigueur(timezone.localdate()).filter(lieu=lieu))
    return standard_lieux.violations(_enregistrement_du_lieu(lieu, IdentiteDispositif.actuelle(), creneaux))


def lieux_mediation_numerique():
    """Les lieux actifs conformes au standard (tag standard_lieux.TAG), champs sans valeur omis ; un lieu
    incomplet n'est pas publié (lieux_non_publies)."""
    for _, enregistrement in _enregistrements_lieux():
        if not standard_lieux.violations(enregistrement):
            yield enregistrement


def lieux_non_publies():
    """[(lieu, ce qui manque ou ne suit pas le standard)] : à compléter dans l'administration avant publication."""
    return [
        (lieu, erreurs)
        for lieu, enregistrement in _enregistrements_lieux()
        if (erreurs := standard_lieux.violations(enregistrement))
    ]


ID_DISPOSITIF = f"{SOURCE}--dispositif"
# Ce que fait une permanence numérique, dans le vocabulaire de data·inclusion (v1 : thematiques.py, etc.)
PERMANENCE = {
    "type": "accompagnement",
    "thematiques": ["numerique--acceder-a-des-services-en-ligne", "numerique--maitriser-les-fondamentaux-du-numerique"],
    "frais": "gratuit",
    "publics": ["tous-publics"],
    "modes_accueil": ["en-presentiel"],
    "modes_mobilisation": ["se-presenter"],
    "mobilisable_par": ["usagers"],
}  # fmt: skip
DESCRIPTION_PERMANENCE = (
    "Permanence numérique sans rendez-vous : un médiateur numérique aide à faire ses démarches administratives "
    "en ligne (titre de séjour, CAF, impôts, Assurance maladie, France Travail…) et à se servir d'un "
    "ordinateur, d'un téléphone ou d'une messagerie. Gratuit, ouvert à tous."
)


def _lieux_publies():
    return [(lieu, e) for lieu, e in _enregistrements_lieux() if not standard_lieux.violations(e)]


def _dispositif(publies):
    """Notre dispositif comme structure data·inclusion, s'il a au moins un lieu publié."""
    if not publies:
        return []
    identite = IdentiteDispositif.actuelle()
    valeurs = {
        "source": SOURCE,
        "id": ID_DISPOSITIF,
        "nom": (identite.organisation or identite.nom)[:150],
        "date_maj": max(e["date_maj"] for _, e in publies),
        "site_web": identite.site_web,
    }
    return [{cle: valeur for cle, valeur in valeurs.items() if valeur}]


def permanences_data_inclusion():
    """La permanence numérique de chaque lieu publié, comme service data·inclusion de notre dispositif."""
    for lieu, e in _lieux_publies():
        valeurs = {
            "source": SOURCE,
            "id": f"{SOURCE}--permanence-{lieu.pk}",
            "structure_id": ID_DISPOSITIF,
            "nom": f"Permanence numérique – {lieu.nom}"[:150],
            "description": DESCRIPTION_PERMANENCE,
            "date_maj": min(e["date_maj"], timezone.localdate().isoformat()),
            **PERMANENCE,
            "horaires_accueil": e.get("horaires"),
            **{
                c: e.get(c)
                for c in ("adresse", "commune", "code_postal", "code_insee", "latitude", "longitude")
            },
        }
        yield {cle: valeur for cle, valeur in valeurs.items() if valeur not in ("", None)}


def structures_data_inclusion():
    """Notre dispositif (s'il a un lieu publié), puis les structures de l'annuaire (actives, avec au moins un
    contact), au schéma data·inclusion."""
    yield from _dispositif(_lieux_publies())
    structures = Structure.objects.filter(actif=True, contacts__isnull=False).distinct().order_by("nom")
    for s in structures:
        date_maj = max(c.verifie_le for c in s.contacts.all())
        valeurs = {
            "source": SOURCE,
            "id": f"{SOURCE}--structure-{s.pk}",
            "nom": s.nom,
            "date_maj": min(date_maj, timezone.localdate()).isoformat(),
            "siret": s.siret,
        }
        yield {cle: valeur for cle, valeur in valeurs.items() if valeur}


def services_data_inclusion():
    """Les permanences numériques de nos lieux publiés, puis chaque contact de l'annuaire comme service de sa
    structure : ce qu'il traite, sans personne nommée ni coordonnée personnelle."""
    yield from permanences_data_inclusion()
    contacts = (
        ContactAnnuaire.objects.filter(structure__actif=True)
        .select_related("structure")
        .prefetch_related("demarches")
        .order_by("pk")
    )
    for c in contacts:
        demarches = ", ".join(d.libelle for d in c.demarches.all())
        nom = c.service or c.structure.nom
        description = f"{nom} ({c.structure.nom})" + (f" : {demarches}." if demarches else ".")
        valeurs = {
            "source": SOURCE,
            "id": f"{SOURCE}--service-{c.pk}",
            "structure_id": f"{SOURCE}--structure-{c.structure_id}",
            "nom": nom[:150],
            "description": description[:10000],
            "date_maj": min(c.verifie_le, timezone.localdate()).isoformat(),
        }
        yield valeurs
