from django.db import models


class SectionBilan(models.TextChoices):
    """Sections du Bilan annuel pouvant recevoir un commentaire de la coordination."""

    EQUIPE = "equipe", "L'équipe"
    PERMANENCES = "permanences", "Bilan des permanences numériques"
    DEMANDES = "demandes", "Types de demandes et démarches"
    PUBLIC = "public", "Autonomie et public"
    ANALYSE_PERMANENCES = "analyse_permanences", "Analyse des permanences"
    RENDEZ_VOUS = "rendez_vous", "Les accompagnements individuels"
    FORMATIONS = "formations", "Bilan formation"
    ANALYSE_FORMATIONS = "analyse_formations", "Analyse des formations"
    ARCS = "arcs", "Informaticiens publics de l'ARCS"
    A_RETENIR = "a_retenir", "Quelques éléments à retenir"
    METHODOLOGIE = "methodologie", "Notes méthodologiques"


class FamilleSuivie(models.TextChoices):
    """Familles d'enregistrements qui n'ont pas toujours été notées : avant leur « suivi depuis », inconnu ≠ zéro."""

    REFUS = "refus", "Refus pointés à l'accueil"
    ATTENTE = "attente", "Temps d'attente"
    FREINS = "freins", "Freins à l'autonomie"
    QUARTIERS = "quartiers", "Quartiers de résidence"
    ORIENTATIONS = "orientations", "Orientations vers les partenaires"
    PROFIL_ACCUEIL = "profil_accueil", "Profil noté à l'accueil (âge, genre)"


class FormatRendu(models.TextChoices):
    PDF = "pdf", "PDF"
    HTML = "html", "HTML"
