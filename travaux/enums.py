from django.db import models


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
