from django.apps import AppConfig


class PermanencesConfig(AppConfig):
    name = "permanences"
    verbose_name = "Permanences et rendez-vous"
