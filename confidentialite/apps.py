from django.apps import AppConfig


class ConfidentialiteConfig(AppConfig):
    name = "confidentialite"
    verbose_name = "Données personnelles"
