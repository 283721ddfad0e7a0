"""Annuaire, quartiers, freins et orientations de démonstration : notés depuis 2023 (tirage à part)."""

import datetime
import random

from inclusion.journal import RAISON_DEMO
from inclusion.models import ContactAnnuaire, Quartier
from inclusion.services import creer_quartier, creer_structure
from permanences import services_en_masse
from permanences.enums import MotifRefus
from permanences.models import Passage, Refus

QUARTIERS = [
    ("Maurepas", True),
    ("Le Blosne", True),
    ("Villejean", True),
    ("Cleunay", True),
    ("Centre", False),
    ("Thabor", False),
    ("Sud-Gare", False),
]


CONTACTS = [
    (
        "Préfecture",
        "Accueil des étrangers – référents partenaires",
        "prefecture_etrangers",
        "Du lundi au vendredi, 9 h – 12 h",
    ),
    ("CAF", "Pôle partenaires", "caf", "Sur rendez-vous"),
    ("CPAM", "Référente accès aux droits", "assurance_maladie", "Mardi et jeudi"),
    ("France Travail", "Agence Rennes Est – conseillère partenaires", "france_travail", "Tous les matins"),
]


# Démarche → structure vers laquelle une personne peut être orientée (annuaire ci-dessus).
VERS = {
    "prefecture_etrangers": "Préfecture",
    "caf": "CAF",
    "assurance_maladie": "CPAM",
    "france_travail": "France Travail",
}
# Quartier de chaque lieu (ordre de equipe.LIEUX) : la plupart des personnes viennent du quartier de l'ESC.
QUARTIER_DU_LIEU = ["Sud-Gare", "Maurepas", "Cleunay", "Le Blosne", "Villejean"]
FREINS = {"appreciation_outil": 45, "crainte_demarche": 32, "langue": 24, "equipement": 14, "handicap": 3}


def profil_territorial(rng, lieu, code, references):
    """(quartier, freins, orientation) d'un passage à partir de 2024, comme en 2023 : quartier noté 8 fois sur 10,
    d'abord celui de l'ESC ; 0 à 2 freins ; une orientation pour 15 % des démarches qui en ont une."""
    quartier = None
    if rng.random() < 0.8:
        noms = [n for n, _ in QUARTIERS] + ["Hors commune"]
        poids = [40 if n == QUARTIER_DU_LIEU[lieu % len(QUARTIER_DU_LIEU)] else 8 for n in noms]
        quartier = references["quartiers"].get(rng.choices(noms, weights=poids)[0])
    freins = set(rng.choices(list(FREINS), weights=list(FREINS.values()), k=rng.choice([0, 1, 1, 2])))
    vers = references["vers"].get(code) if code in references["vers"] and rng.random() < 0.15 else None
    return quartier, sorted(freins), vers


def orienter(structures, demarches, *, graine):
    """Annuaire, quartiers, freins et orientations : notés depuis 2023 (tirage à part, sans toucher aux autres)."""
    rng = random.Random(graine)
    quartiers = [creer_quartier(nom=n, qpv=q) for n, q in QUARTIERS] + [
        Quartier.objects.get(nom="Hors commune")
    ]
    for nom, service, code, horaires in CONTACTS:
        structure = structures.get(nom) or creer_structure(nom=nom)
        structures[nom] = structure
        contact = ContactAnnuaire.objects.create(
            structure=structure, service=service, horaires=horaires, telephone="02 99 00 00 00"
        )
        contact.demarches.add(demarches[code])
    debut, fin = datetime.date(2023, 1, 1), datetime.date(2024, 1, 1)
    passages = list(Passage.objects.de_la_periode(debut, fin).select_related("demarche").order_by("pk"))
    vers = {
        "prefecture_etrangers": structures["Préfecture"],
        "caf": structures["CAF"],
        "assurance_maladie": structures["CPAM"],
        "france_travail": structures["France Travail"],
    }
    for passage in passages:
        passage.quartier = (
            rng.choices(quartiers, weights=[22, 18, 12, 10, 9, 4, 8, 7])[0] if rng.random() < 0.8 else None
        )
        freins = rng.sample(
            ["appreciation_outil", "crainte_demarche", "langue", "equipement"], rng.choice([0, 1, 1, 2])
        )
        passage.freins = Passage.encoder_freins(freins)
        code = passage.demarche.code if passage.demarche else None
        passage.oriente_vers = vers.get(code) if code in vers and rng.random() < 0.15 else None
    services_en_masse.completer(Passage, passages, ["quartier", "freins", "oriente_vers"], raison=RAISON_DEMO)
    refus = list(Refus.objects.de_la_periode(debut, fin).filter(motif=MotifRefus.ORIENTE_AILLEURS))
    for r in refus:
        r.oriente_vers = rng.choice(list(vers.values()))
    services_en_masse.completer(Refus, refus, ["oriente_vers"], raison=RAISON_DEMO)
