"""Ce que la coordination ajoute au Bilan de démonstration : chiffre déclaré des ERE, identité du dispositif et
logos (dessinés sur place), analyse de l'équipe."""

import io
from decimal import Decimal

from inclusion.models import IdentiteDispositif
from rapports.models import ChiffreExterne, PointAnalyse
from rapports.services import ajouter_point

SOURCE_ERE = "Espaces Ressource Emploi (chiffre déclaré)"


def dessiner_logo(texte, couleur):
    """Un logo de démonstration dessiné sur place (aucun fichier téléchargé) : un bandeau et un nom."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 160), "white")
    dessin = ImageDraw.Draw(image)
    dessin.rectangle((0, 0, 40, 160), fill=couleur)
    dessin.text((60, 60), texte, fill=couleur, font_size=36)
    tampon = io.BytesIO()
    image.save(tampon, format="PNG")
    return tampon.getvalue(), "image/png"


def identite():
    logo, type_ = dessiner_logo("CCAS de Rennes", "#0b4f8a")
    identite = IdentiteDispositif.objects.create(
        nom="Projet inclusion numérique dans les Espaces Sociaux Communs",
        nom_court="Inclusion numérique ESC",
        organisation="CCAS de Rennes",
        site_web="https://www.espacenumeriqueesc.fr/",
        texte_de_cloture="Pour connaître nos actions et actualités tout au long de l'année, "
        "n'hésitez pas à consulter notre site internet.",
        logo=logo,
        logo_type=type_,
    )
    for ordre, (nom, couleur) in enumerate(
        [
            ("Conseiller numérique France services", "#2a7d4f"),
            ("CCAS de Rennes", "#0b4f8a"),
            ("Ville de Rennes", "#a4161a"),
        ]
    ):
        logo, type_ = dessiner_logo(nom if len(nom) < 20 else "Conseiller numérique", couleur)
        identite.partenaires.create(nom=nom, ordre=ordre, logo=logo, logo_type=type_)


def analyses():
    """L'analyse de l'équipe, en points comme dans le bilan 2023 rédigé à la main ; les chiffres sont cités par
    leur clé (rapports.analyse) et rendus à partir des données."""
    points = {
        "analyse_permanences": [
            (
                "Une attente toujours aussi importante des usagers",
                "{permanences.moyenne_usagers_par_permanence} personnes en moyenne par permanence et "
                "{permanences.refus} refus : nécessité de trouver de nouvelles solutions dans l'attente de pouvoir "
                "renforcer l'équipe.",
            ),
            (
                "Une dématérialisation grandissante",
                "{permanences.types_demande_pct.demarche_en_ligne} des demandes concernent des démarches en ligne : "
                "nécessité d'avoir des contacts professionnels identifiés dans les administrations (préfecture par "
                "exemple).",
            ),
            (
                "Une mise en réseau difficile",
                "Nécessité d'améliorer le maillage et la lisibilité des acteurs pour orienter les usagers vers les "
                "bons interlocuteurs : objectif du projet PORTREA.",
            ),
            (
                "Des outils adaptés",
                "Besoin d'outils et de mobiliers adaptés à la médiation, sécurisés et entretenus.",
            ),
        ],
        "analyse_formations": [
            (
                "Une belle progression du ratio d'inscriptions par formation",
                "Beaucoup moins d'annulations faute de participants : taux d'annulation de "
                "{formations.taux_annulation_pct} ({formations.taux_annulation_pct.evolution} par rapport à 2022). "
                "Donc une meilleure organisation des plannings et des inscriptions.",
            ),
            (
                "Une forte progression de la dimension partenariale",
                "Les savoirs sont mieux diffusés aux organisations du dispositif, et non plus surtout aux agents du "
                "CCAS : {formations.structures_pct.CDAS} des participants viennent du CDAS "
                "({formations.structures_pct.CDAS.evolution}).",
            ),
            (
                "Un éventail large et actualisé de sujets",
                "Graphisme, outils professionnels (documents numériques, outils collaboratifs), mais aussi "
                "découverte de l'intelligence artificielle, avec un contenu qui colle à l'actualité.",
            ),
            (
                "Une offre complétée par du sur-mesure",
                "{formations.accompagnements_individuels} accompagnements individuels de professionnels, de "
                "{formations.duree_moyenne_accompagnement_minutes} en moyenne.",
            ),
        ],
        "a_retenir": [
            (
                "Des permanences de plus en plus sollicitées",
                "Le nombre de personnes se présentant lors des permanences des médiateurs socio-numériques augmente "
                "sans cesse. Ceci repose la question du dimensionnement et de la pérennité des ressources humaines.",
            ),
            (
                "Une action complémentaire des partenaires",
                "Améliorer et renforcer l'usage des espaces-temps dans les ESC et dans l'aller-vers par une "
                "dynamique de partage, y compris avec les acteurs en quartiers.",
            ),
            (
                "Un travail particulier avec les services de l'État",
                "Être en situation légale vis-à-vis de l'État est indispensable pour actionner les droits et aides "
                "territoriales.",
            ),
        ],
        "methodologie": [
            (
                "Données de démonstration",
                "Les chiffres du bilan 2023 rédigé à la main ne tiennent pas tous ensemble : 65 sessions programmées "
                "dont 49 tenues font 16 annulations, soit 24,6 % (le bilan écrivait 27 %) ; avec 226 participants, "
                "aucune part entière ne vaut 41,8 % (94 participants du CDAS font 41,6 %, 95 font 42,0 %). Les "
                "nombres (sessions, participants) sont reproduits exactement, les parts en découlent.\n\n"
                "Les refus ne sont comptés par l'accueil que depuis 2023 : 2022 est « non suivi », pas zéro.",
            ),
        ],
    }
    if PointAnalyse.objects.filter(annee=2023).exists():
        return
    for section, liste in points.items():
        for titre, texte in liste:
            ajouter_point(annee=2023, section=section, titre=titre, texte=texte)


def declarer_chiffres():
    ChiffreExterne.objects.create(
        annee=2023,
        indicateur="dispositif.personnes_recues_externes",
        valeur=Decimal(4151),
        source=SOURCE_ERE,
        commentaire="3 ERE sur 4 seront en espaces numériques en ESC en 2024.",
    )
