from django.db import models


class PorteeApi(models.TextChoices):
    """Ce qu'un jeton de l'API permet de lire (api)."""

    BILAN = "bilan", "Bilan annuel (JSON)"
    INDICATEURS = "indicateurs", "Indicateurs d'une période"
    LIEUX = "lieux", "Lieux (schéma des lieux de médiation numérique)"
    ANNUAIRE = "annuaire", "Annuaire des partenaires (schéma data·inclusion)"
