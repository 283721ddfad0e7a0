"""Permissions Django des groupes de rôles (utiles pour l'administration ; les vues vérifient les rôles)."""

from django.contrib.auth.models import Group, Permission

from .enums import Role

# Modèles que chaque rôle peut consulter et modifier dans l'administration.
PERMISSIONS_PAR_ROLE = {
    Role.ACCUEIL: {"permanences": ["arrivee", "refus"]},
    Role.MEDIATION: {"permanences": ["passage", "rendezvous", "arrivee"]},
    Role.ARCS: {"permanences": ["rendezvous"]},
    Role.FORMATION: {"formations": ["theme", "sessionformation", "inscription", "accompagnementformation"]},
    Role.COORDINATION: {
        "inclusion": None,
        "permanences": None,
        "formations": None,
        "rapports": None,
        "travaux": None,
        "echanges": None,
        "api": None,
        "auth": ["user"],
        # Voir et lever les verrouillages de connexion (supprimer une tentative débloque le compte).
        "axes": ["accessattempt", "accessfailurelog", "accesslog"],
    },
}


def synchroniser_permissions_des_groupes(app_config=None, **kwargs):
    """Donne à chaque groupe ses permissions ; idempotent.

    Branché sur post_migrate, qui est émis pour chaque application : n'agit qu'au dernier envoi,
    quand les permissions de toutes les applications existent.
    """
    from django.apps import apps as django_apps

    # post_migrate n'est émis que pour les applications qui ont des modèles (la démonstration n'en a pas).
    avec_modeles = [a for a in django_apps.get_app_configs() if a.models_module is not None]
    if app_config is not None and app_config != avec_modeles[-1]:
        return
    for role, apps in PERMISSIONS_PAR_ROLE.items():
        group, _ = Group.objects.get_or_create(name=role)
        perms = Permission.objects.none()
        for app_label, models in apps.items():
            qs = Permission.objects.filter(content_type__app_label=app_label)
            if models is not None:
                qs = qs.filter(content_type__model__in=models)
            perms = perms | qs
        group.permissions.set(perms)
