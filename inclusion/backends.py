"""Authentification : l'utilisateur de la session et ses rôles chargés en une seule requête.

Chaque requête authentifiée relit l'utilisateur (Django vérifie l'empreinte de session) puis ses rôles
(groupes) pour le contrôle d'accès : deux requêtes SQL à chaque page et à chaque pointage de l'accueil.
Ce moteur les fait en une, toujours fraîche (un rôle retiré dans l'admin vaut dès la requête suivante).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group

from .enums import Role


class ModelBackendAvecRoles(ModelBackend):
    def get_user(self, user_id):
        User = get_user_model()
        colonnes = ", ".join(f"u.{f.column}" for f in User._meta.concrete_fields)
        requete = User.objects.raw(
            f"""SELECT {colonnes}, g.name AS nom_du_groupe
                FROM {User._meta.db_table} u
                LEFT JOIN {User.groups.through._meta.db_table} ug ON ug.user_id = u.id
                LEFT JOIN {Group._meta.db_table} g ON g.id = ug.group_id
                WHERE u.id = %s""",  # noqa: S608 - noms de tables tirés des modèles, valeur en paramètre
            [user_id],
        )
        lignes = list(requete)
        if not lignes or not self.user_can_authenticate(lignes[0]):
            return None
        user = lignes[0]
        # Lu par inclusion.roles.get_roles : pas de seconde requête.
        user._roles_cache = frozenset(ligne.nom_du_groupe for ligne in lignes) & set(Role.values)
        return user
