from django.apps import AppConfig
from django.db.models.signals import post_migrate


class InclusionConfig(AppConfig):
    name = "inclusion"
    verbose_name = "Référentiel"

    def ready(self):
        # Importés ici : ces modules lisent les modèles, prêts seulement quand ready() est appelé.
        from . import verifications  # noqa: F401 (enregistre les vérifications de déploiement)
        from .permissions import synchroniser_permissions_des_groupes

        post_migrate.connect(
            synchroniser_permissions_des_groupes, dispatch_uid="inclusion_sync_group_permissions"
        )
