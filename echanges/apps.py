from django.apps import AppConfig

from travaux.registre import inscrire


class EchangesConfig(AppConfig):
    name = "echanges"
    verbose_name = "Échanges de fichiers"

    def ready(self):
        # Importé ici : les travaux lisent les modèles, prêts seulement quand ready() est appelé.
        from .travaux import TRAVAUX

        for nature, travail in TRAVAUX.items():
            inscrire(nature, travail)
