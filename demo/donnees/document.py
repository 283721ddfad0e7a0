"""Ce que la coordination ajoute au Bilan de démonstration : chiffre déclaré des ERE, identité du dispositif et
logos (dessinés sur place), analyse de l'équipe."""

import io
from decimal import Decimal

from inclusion.models import IdentiteDispositif
from rapports.models import ChiffreExterne, PointAnalyse
from rapports.services import ajouter_point
from rapports.typographie import police_du_document

SOURCE_ERE = "Espaces Ressource Emploi (chiffre déclaré)"


def dessiner_logo(texte, couleur):
    """Un logo de démonstration dessiné sur place (aucun fichier téléchargé) : un bandeau et un nom."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (480, 160), "white")
    dessin = ImageDraw.Draw(image)
    dessin.rectangle((0, 0, 40, 160), fill=couleur)
    # La police du document : celle de Pillow par défaut n'a pas « é » (« num▯rique »).
    dessin.text((60, 60), texte, fill=couleur, font=ImageFont.truetype(police_du_document(), 36))
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


# Personnes reçues dans les trois ERE devenus espaces numériques en ESC (3 sur 4 dès 2024), déclarées chaque année.
ERE_DECLARES = {2024: 3212, 2025: 3388, 2026: 3450}


def chiffres_declares_recents(annee):
    """Le chiffre déclaré des ERE d'une année terminée depuis 2024 (une fois)."""
    if annee not in ERE_DECLARES:
        return
    ChiffreExterne.objects.get_or_create(
        annee=annee,
        indicateur="dispositif.personnes_recues_externes",
        defaults={
            "valeur": Decimal(ERE_DECLARES[annee]),
            "source": SOURCE_ERE,
            "commentaire": "3 ERE sur 4 en espaces numériques en ESC depuis 2024 ; le quatrième n'est pas compté.",
        },
    )


def analyses_recentes(annee):
    """L'analyse de l'équipe d'une année terminée depuis 2024 (une fois) : des chiffres cités par leur clé, rendus
    à partir des données, et aucun sens (« hausse », « baisse ») que les chiffres ne portent pas."""
    if annee not in ANALYSES_RECENTES or PointAnalyse.objects.filter(annee=annee).exists():
        return
    for section, liste in ANALYSES_RECENTES[annee].items():
        for titre, texte in liste:
            ajouter_point(annee=annee, section=section, titre=titre, texte=texte)


ANALYSES_RECENTES = {
    2024: {
        "analyse_permanences": [
            (
                "Trois ERE sur quatre dans le dispositif",
                "Les trois Espaces Ressource Emploi devenus espaces numériques en ESC déclarent "
                "{dispositif.personnes_recues_externes} personnes reçues ; le quatrième n'est plus compté. Avec les "
                "permanences et les rendez-vous, {dispositif.personnes_recues} personnes ont été reçues dans le "
                "dispositif.",
            ),
            (
                "Une permanence le samedi matin",
                "Ouverte en janvier à l'ESC Les Champs Manceaux, elle porte le planning à "
                "{permanences.permanences_par_semaine} permanences par semaine ; {permanences.permanences_tenues} "
                "permanences tenues dans l'année.",
            ),
            (
                "Des lieux très différents",
                "L'ESC Le Blosne reçoit le plus de personnes par permanence, l'ESC Cleunay le moins : la "
                "répartition des créneaux entre les lieux sera revue avec les ESC.",
            ),
            (
                "L'accueil mesure l'attente",
                "Chaque arrivée est pointée à l'accueil : {permanences.attente_moyenne_minutes} d'attente en "
                "moyenne avant la prise en charge, et {permanences.taux_sans_reponse_pct} des personnes venues "
                "sans réponse sur place ({permanences.refus} refus).",
            ),
        ],
        "analyse_formations": [
            (
                "Une offre tenue chaque trimestre",
                "{formations.sessions_tenues} sessions tenues sur {formations.sessions_programmees} programmées, "
                "autour de {formations.themes} thèmes ; taux d'annulation de {formations.taux_annulation_pct} "
                "({formations.taux_annulation_pct.evolution} par rapport à 2023).",
            ),
            (
                "Les partenaires au rendez-vous",
                "{formations.participants} participants, dont {formations.structures_pct.CDAS} venus du CDAS.",
            ),
            (
                "Du sur-mesure",
                "{formations.accompagnements_individuels} accompagnements individuels de professionnels, de "
                "{formations.duree_moyenne_accompagnement_minutes} en moyenne.",
            ),
        ],
        "a_retenir": [
            (
                "Les rendez-vous pour les démarches longues",
                "{rendez_vous.realises} rendez-vous individuels des médiateurs, dont "
                "{rendez_vous.types_demande_pct.demarche_en_ligne} pour des démarches en ligne ; "
                "{arcs.rendez_vous_tenus} rendez-vous tenus par les informaticiens publics de l'ARCS.",
            ),
            (
                "La préfecture, première démarche",
                "{permanences.demarches_pct.prefecture_etrangers} des démarches en ligne accompagnées en permanence "
                "concernent la préfecture et le droit des étrangers.",
            ),
        ],
    },
    2025: {
        "analyse_permanences": [
            (
                "Une fréquentation en hausse",
                "{dispositif.personnes_recues} personnes reçues dans le dispositif "
                "({dispositif.personnes_recues.evolution}), dont {dispositif.personnes_recues_externes} déclarées "
                "par les trois ERE.",
            ),
            (
                "Des permanences toujours chargées",
                "{permanences.moyenne_usagers_par_permanence} personnes en moyenne par permanence "
                "({permanences.moyenne_usagers_par_permanence.evolution}) et {permanences.refus} refus : l'équipe "
                "reste au complet, avec {permanences.mediateurs} médiateurs.",
            ),
            (
                "Des démarches en plusieurs venues",
                "{permanences.duree_moyenne_minutes} par passage en moyenne ; "
                "{permanences.autre_venue_necessaire_pct} des personnes reçues ont dû revenir.",
            ),
        ],
        "analyse_formations": [
            (
                "Moins de sessions, presque toutes tenues",
                "{formations.sessions_programmees} sessions programmées, dont {formations.sessions_tenues} "
                "tenues : taux d'annulation de {formations.taux_annulation_pct} "
                "({formations.taux_annulation_pct.evolution}).",
            ),
            (
                "Un accompagnement individuel recherché",
                "{formations.accompagnements_individuels} accompagnements individuels, de "
                "{formations.duree_moyenne_accompagnement_minutes} en moyenne.",
            ),
        ],
        "a_retenir": [
            (
                "Les rendez-vous complètent les permanences",
                "{rendez_vous.realises} rendez-vous des médiateurs, de {rendez_vous.duree_moyenne_minutes} en "
                "moyenne, et {arcs.rendez_vous_tenus} rendez-vous de l'ARCS.",
            ),
            (
                "Le lien avec les partenaires",
                "Les orientations vers la préfecture, la CAF, la CPAM et France Travail sont notées à chaque "
                "passage : l'annuaire des contacts partenaires est à tenir à jour.",
            ),
        ],
    },
}
