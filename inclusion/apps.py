from django.apps import AppConfig
from django.db.models.signals import post_migrate


class InclusionConfig(AppConfig):
    name = "inclusion"
    verbose_name = "Référentiel"

    def ready(self):
        from .permissions import sync_group_permissions

        post_migrate.connect(sync_group_permissions, dispatch_uid="inclusion_sync_group_permissions")
