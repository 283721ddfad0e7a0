"""Nos lieux et notre annuaire dans les schémas nationaux, champ par champ (les noms sont ceux des schémas).

- Lieux : schéma des lieux de médiation numérique, LaMednum/standard-mediation-num, schema.json version 0.2.0
  (Table Schema) ; CHAMPS_LIEU_OBLIGATOIRES et MOTIFS reprennent ses contraintes.
- Annuaire : schéma data·inclusion v1 (paquet PyPI data-inclusion-schema 1.0, modèles Structure et Service),
  qui valide nos sorties dans les tests. Un contact est publié comme service de sa structure, sans nom de
  personne, ni téléphone, ni courriel (données personnelles de professionnels : l'annuaire national veut des
  coordonnées génériques).
"""

import re

from django.utils import timezone

from inclusion.models import ContactAnnuaire, IdentiteDispositif, Lieu, Structure
from permanences.enums import JourSemaine
from permanences.models import Creneau

VERSION_SCHEMA_LIEUX = "0.2.0"
VERSION_SCHEMA_DATA_INCLUSION = "1.0"
SOURCE = "inclusion-esc"

# Les champs que nous remplissons, dans l'ordre du schéma (colonnes du CSV).
CHAMPS_LIEU = (
    "id", "pivot", "nom", "commune", "code_postal", "code_insee", "adresse", "latitude", "longitude", "horaires",
    "source", "itinerance", "date_maj", "services", "modalites_acces", "modalites_accompagnement", "frais_a_charge", "fiche_acces_libre",
)  # fmt: skip
CHAMPS_LIEU_OBLIGATOIRES = ("id", "pivot", "nom", "commune", "code_postal", "adresse", "date_maj", "services")
MOTIFS = {
    "code_postal": r"^\d{5}$",
    "code_insee": r"^([013-9]\d|2[AB1-9])\d{3}$",
    "services": r"(?:(?:^|;)(Aide aux démarches administratives|Maîtrise des outils numériques du quotidien|"
    r"Insertion professionnelle via le numérique|Utilisation sécurisée du numérique|Parentalité et éducation avec "
    r"le numérique|Loisirs et créations numériques|Compréhension du monde numérique|Accès internet et matériel "
    r"informatique|Acquisition de matériel informatique à prix solidaire))+$",
    "modalites_acces": r"(?:(?:^|;)(Se présenter|Téléphoner|Contacter par mail|Prendre un RDV en ligne|Ce lieu "
    r"n'accueille pas de public|Envoyer un mail avec une fiche de prescription))+$",
    "itinerance": r"(?:(?:^|;)(Itinérant|Fixe))+$",
}
# Ce que font nos permanences (aide aux démarches en ligne, accompagnement technique), dans la liste du schéma.
SERVICES = "Aide aux démarches administratives;Maîtrise des outils numériques du quotidien"
JOURS_OSM = {
    j.value: code for j, code in zip(JourSemaine, ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"), strict=True)
}


def horaires_osm(creneaux):
    """Les créneaux hebdomadaires en vigueur au format OpenStreetMap : « Mo 09:00-12:00; Tu 14:00-17:00 »."""
    par_jour = {}
    for c in sorted(creneaux, key=lambda c: (c.jour_semaine, c.heure_debut)):
        par_jour.setdefault(c.jour_semaine, []).append(f"{c.heure_debut:%H:%M}-{c.heure_fin:%H:%M}")
    return "; ".join(f"{JOURS_OSM[jour]} {','.join(plages)}" for jour, plages in par_jour.items())


def lieux_mediation_numerique():
    """Les lieux actifs, dans le schéma des lieux de médiation numérique (les champs vides sont omis)."""
    aujourdhui = timezone.localdate()
    identite = IdentiteDispositif.actuelle()
    creneaux = {}
    for c in Creneau.objects.en_vigueur(aujourdhui):
        creneaux.setdefault(c.lieu_id, []).append(c)
    for lieu in Lieu.objects.filter(actif=True).order_by("nom"):
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
            "horaires": horaires_osm(creneaux.get(lieu.pk, [])),
            "source": identite.organisation or identite.nom,
            "itinerance": "Fixe",
            "date_maj": lieu.modifie_le.date().isoformat(),
            "services": SERVICES,
            "modalites_acces": "Se présenter",
            "modalites_accompagnement": "Accompagnement individuel",
            "frais_a_charge": "Gratuit : Je peux accéder gratuitement au lieu et à ses services",
            "fiche_acces_libre": lieu.fiche_acces_libre,
        }
        yield {cle: valeur for cle, valeur in valeurs.items() if valeur not in ("", None)}


def erreurs_du_lieu(lieu):
    """Ce qui manque ou ne suit pas le schéma des lieux (champs obligatoires, motifs) : à compléter dans
    l'administration avant de publier."""
    erreurs = [f"{champ} manquant" for champ in CHAMPS_LIEU_OBLIGATOIRES if not lieu.get(champ)]
    erreurs += [
        f"{champ} invalide"
        for champ, motif in MOTIFS.items()
        if champ in lieu and not re.match(motif, lieu[champ])
    ]
    return erreurs


# Le champ du schéma des lieux → ce que la coordination remplit dans l'administration (« Lieux »).
CHAMPS_A_REMPLIR = {
    "pivot": "SIRET",
    "commune": "commune",
    "code_postal": "code postal",
    "code_insee": "code INSEE",
    "adresse": "adresse",
}


def manques_du_lieu(lieu):
    """Ce qu'il faut remplir dans l'administration (« Lieux ») pour que ce lieu sorte complet dans les fichiers
    nationaux (lieux.json, lieux.csv, /api/v1/lieux), en mots de l'administration : [« SIRET manquant »…]."""
    fiche = {
        "id": lieu.pk,
        "nom": lieu.nom,
        "date_maj": "-",
        "services": SERVICES,
        **{champ: getattr(lieu, "siret" if champ == "pivot" else champ) for champ in CHAMPS_A_REMPLIR},
    }
    fiche = {cle: valeur for cle, valeur in fiche.items() if valeur not in ("", None)}
    manques = []
    for erreur in erreurs_du_lieu(fiche):
        champ, _, etat = erreur.partition(" ")
        manques.append(f"{CHAMPS_A_REMPLIR.get(champ, champ)} {etat}")
    return manques


def lieux_incomplets():
    """[(lieu, manques)] des lieux actifs qui sortent incomplets des fichiers nationaux, par nom."""
    lieux = Lieu.objects.filter(actif=True).order_by("nom")
    return [(lieu, manques) for lieu in lieux if (manques := manques_du_lieu(lieu))]


def structures_data_inclusion():
    """Les structures de l'annuaire (actives, avec au moins un contact), au schéma data·inclusion."""
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
    """Chaque contact de l'annuaire comme service de sa structure : ce qu'il traite et ses horaires, sans
    personne nommée ni coordonnée personnelle."""
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
