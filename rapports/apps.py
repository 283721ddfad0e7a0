from django.apps import AppConfig

from travaux.registre import inscrire


class RapportsConfig(AppConfig):
    name = "rapports"
    verbose_name = "Rapports"

    def ready(self):
        # Importé ici : les travaux lisent les modèles, prêts seulement quand ready() est appelé.
        from .travaux import TRAVAUX

        for nature, travail in TRAVAUX.items():
            inscrire(nature, travail)
