from django.apps import AppConfig


class RapportsConfig(AppConfig):
    name = "rapports"
    verbose_name = "Rapports"
