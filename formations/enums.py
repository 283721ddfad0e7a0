from django.db import models


class StatutSession(models.TextChoices):
    PROGRAMMEE = "programmee", "Programmée"
    TENUE = "tenue", "Tenue"
    ANNULEE = "annulee", "Annulée"


class Presence(models.TextChoices):
    INCONNUE = "inconnue", "Non renseignée"
    PRESENT = "oui", "Présent·e"
    ABSENT = "non", "Absent·e"
