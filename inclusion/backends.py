"""Authentification : l'utilisateur de la session et ses rôles chargés en une seule requête.

Chaque requête authentifiée relit l'utilisateur (Django vérifie l'empreinte de session) puis ses rôles
(groupes) pour le contrôle d'accès : deux requêtes SQL à chaque page et à chaque pointage de l'accueil.
Ce moteur les fait en une, toujours fraîche (un rôle retiré dans l'admin vaut dès la requête suivante).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.db import connections, router

from .enums import Role


def _valeurs_converties(connexion, champs, valeurs):
    """Les valeurs lues par le curseur, converties comme le ferait l'ORM (SQLite rend les dates en texte)."""
    converties = []
    for champ, valeur in zip(champs, valeurs, strict=True):
        colonne = champ.cached_col
        for convertir in connexion.ops.get_db_converters(colonne) + champ.get_db_converters(connexion):
            valeur = convertir(valeur, colonne, connexion)
        converties.append(valeur)
    return converties


class AuthentificationAvecRoles(ModelBackend):
    def get_user(self, user_id):
        User = get_user_model()
        champs = User._meta.concrete_fields
        base = router.db_for_read(User)
        with connections[base].cursor() as curseur:
            curseur.execute(
                f"""SELECT {", ".join(f"u.{champ.column}" for champ in champs)}, g.name
                    FROM {User._meta.db_table} u
                    LEFT JOIN {User.groups.through._meta.db_table} ug ON ug.user_id = u.id
                    LEFT JOIN {Group._meta.db_table} g ON g.id = ug.group_id
                    WHERE u.id = %s""",  # noqa: S608 - noms de tables tirés des modèles, valeur en paramètre
                [User._meta.pk.to_python(user_id)],
            )
            lignes = curseur.fetchall()
        if not lignes:
            return None
        user = User.from_db(base, None, _valeurs_converties(connections[base], champs, lignes[0][:-1]))
        if not self.user_can_authenticate(user):
            return None
        # Lu par inclusion.roles.roles_de : pas de seconde requête.
        user._roles_cache = frozenset(ligne[-1] for ligne in lignes) & set(Role.values)
        return user
