"""L'équipe de démonstration : lieux, structures, intervenants (arrivées, départs, temps partiel, intitulés au
féminin) et un compte par rôle (mot de passe « demo »)."""

import datetime
from decimal import Decimal

from django.contrib.auth.models import Group, User

from inclusion.enums import Accord, Fonction, Quotite, Role
from inclusion.models import Intervenant, Structure, TempsDeTravail
from inclusion.services import creer_intervenant, creer_lieu, creer_structure

MOT_DE_PASSE = "demo"


# Nom, adresse (voie), code postal, SIRET, latitude, longitude : de quoi publier chaque lieu au standard national
# des lieux de médiation numérique (commune Rennes, code INSEE 35238). Les SIRET sont ceux de démonstration :
# le SIREN de la Ville de Rennes et un numéro d'établissement inventé (clé de Luhn juste, non vérifié).
LIEUX = [
    (
        "ESC Les Champs Manceaux",
        "15 rue Jean-Baptiste Barré",
        "35200",
        "21350238800118",
        "48.09355",
        "-1.66934",
    ),
    ("ESC Maurepas", "32 rue de la Marbaudais", "35700", "21350238800126", "48.12958", "-1.65408"),
    ("ESC Cleunay", "49 rue Jules Lallemand", "35000", "21350238800134", "48.10241", "-1.70853"),
    ("ESC Le Blosne", "7 boulevard de Yougoslavie", "35200", "21350238800142", "48.08494", "-1.66096"),
    ("ESC Villejean", "43 cours Kennedy", "35000", "21350238800159", "48.12136", "-1.70594"),
]
COMMUNE, CODE_INSEE = "Rennes", "35238"


MEDIATEURS = [
    "Noé Lambert",
    "Inès Garnier",
    "Malo Perrin",
    "Lina Roussel",
    "Yanis Caron",
    "Élise Marchand",
    "Tom Besnard",
]


ARCS = ["Jeanne Le Goff", "Karim Haddad"]


AU_FEMININ = ["Inès Garnier", "Lina Roussel", "Élise Marchand", "Jeanne Le Goff"]  # leur choix d'intitulé


STRUCTURES = ["CCAS", "ARCS", "CDAS", "ERE", "CAF", "Ville de Rennes", "Centre social", "Mission locale"]


def creer_equipe():
    """Lieux, structures et intervenants ; renvoie (lieux, structures, médiateurs, informaticiens, fiches par rôle)."""
    lieux = [
        creer_lieu(
            nom=nom, adresse=adresse, code_postal=code_postal, commune=COMMUNE, code_insee=CODE_INSEE,
            siret=siret, latitude=Decimal(latitude), longitude=Decimal(longitude),
        )
        for nom, adresse, code_postal, siret, latitude, longitude in LIEUX
    ]  # fmt: skip
    structures = {n: Structure.objects.filter(nom=n).first() or creer_structure(nom=n) for n in STRUCTURES}
    ccas, arcs_structure = structures["CCAS"], structures["ARCS"]
    mediateurs = [
        creer_intervenant(nom=n, structure=ccas, fonction=Fonction.MEDIATEUR, lieux=lieux) for n in MEDIATEURS
    ]
    for m in mediateurs[5:]:  # deux départs fin 2022
        m.actif = False
        m.depart_le = datetime.date(2022, 12, 31)
        m.save(update_fields=["actif", "depart_le"])
    TempsDeTravail.objects.create(
        intervenant=mediateurs[4],
        depuis=datetime.date(2023, 10, 1),
        quotite=Quotite.TEMPS_PARTIEL,
        pourcentage=50,
    )
    informaticiens = [
        creer_intervenant(
            nom=n, structure=arcs_structure, fonction=Fonction.INFORMATICIEN_PUBLIC, lieux=lieux[:3]
        )
        for n in ARCS
    ]
    coordinateur = creer_intervenant(
        nom="Sacha Morel", structure=ccas, fonction=Fonction.COORDINATEUR, lieux=lieux
    )
    formateur = creer_intervenant(nom="Hugo Tanguy", structure=ccas, fonction=Fonction.COORDINATEUR_FORMATION)
    agent = creer_intervenant(
        nom="Nadia Benali",
        structure=ccas,
        fonction=Fonction.AGENT_ACCUEIL,
        accord=Accord.FEMININ,
        lieux=lieux,
    )
    for i in Intervenant.objects.filter(nom__in=AU_FEMININ):
        i.accord = Accord.FEMININ
        i.save(update_fields=["accord"])

    return (
        lieux,
        structures,
        mediateurs,
        informaticiens,
        {
            "mediation": mediateurs[0],
            "arcs": informaticiens[0],
            "coordination": coordinateur,
            "formation": formateur,
            "accueil": agent,
        },
    )


def creer_comptes(intervenants):
    """Un compte par rôle (identifiant : le code du rôle), relié à sa fiche d'intervenant."""
    groupes = {g.name: g for g in Group.objects.all()}
    for role in Role:
        fiche = intervenants.get(role.value)
        user, cree = User.objects.get_or_create(username=role.value)
        if fiche is not None:
            user.first_name, _, user.last_name = fiche.nom.partition(" ")
        user.set_password(MOT_DE_PASSE)
        user.is_staff = role == Role.COORDINATION
        user.save()
        user.groups.set([groupes[role.value]])
        if fiche is not None and fiche.user_id != user.pk:
            Intervenant.objects.filter(user=user).update(user=None)
            fiche.user = user
            fiche.save(update_fields=["user"])
