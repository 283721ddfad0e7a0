"""Sessions en base de données, relues par une requête SQL écrite à la main.

Chaque requête authentifiée relit sa session : c'est, avec l'utilisateur et ses rôles
(`inclusion.backends`), le coût fixe de chaque page et de chaque pointage de l'accueil. Même table, même
format et mêmes règles d'expiration que `django.contrib.sessions.backends.db`, dont ce moteur hérite tout
le reste (création, enregistrement, `clearsessions`).
"""

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        base = router.db_for_read(self.model)
        connexion = connections[base]
        with connexion.cursor() as curseur:
            curseur.execute(
                f"SELECT session_key, session_data FROM {self.model._meta.db_table} "  # noqa: S608 - nom de table tiré du modèle
                "WHERE session_key = %s AND expire_date > %s",
                [self.session_key, connexion.ops.adapt_datetimefield_value(timezone.now())],
            )
            ligne = curseur.fetchone()
        if ligne is None:
            self._session_key = None
            return None
        # Seules la clé et les données servent (`load`) ; l'expiration vient d'être vérifiée par la requête.
        return self.model.from_db(base, ["session_key", "session_data"], ligne)
