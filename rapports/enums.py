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


class NatureTraitement(models.TextChoices):
    """Travaux longs confiés aux processus de fond (django-tasks) plutôt qu'à une requête web."""

    IMPORT = "import", "Import de fichiers"
    EXPORT_COMPLET = "export_complet", "Export complet (zip de CSV)"
    EXPORT_COOP = "export_coop", "Export pour la Coop (XLSX)"
    EXPORT_TABLEAU = "export_tableau", "Indicateurs du tableau de bord (XLSX)"
    BILAN = "bilan", "Rendu du Bilan (PDF et HTML)"
    ANNUAIRE = "annuaire", "Import de l'annuaire national"


class StatutTraitement(models.TextChoices):
    EN_ATTENTE = "en_attente", "En attente"
    EN_COURS = "en_cours", "En cours"
    TERMINE = "termine", "Terminé"
    ECHOUE = "echoue", "Échoué"


class FormatRendu(models.TextChoices):
    PDF = "pdf", "PDF"
    HTML = "html", "HTML"


class PorteeApi(models.TextChoices):
    """Ce qu'un jeton de l'API permet de lire (rapports.api)."""

    BILAN = "bilan", "Bilan annuel (JSON)"
    INDICATEURS = "indicateurs", "Indicateurs d'une période"
    LIEUX = "lieux", "Lieux (schéma des lieux de médiation numérique)"
    ANNUAIRE = "annuaire", "Annuaire des partenaires (schéma data·inclusion)"
