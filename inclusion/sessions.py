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
        table = self.model._meta.db_table
        base = router.db_for_read(self.model)
        maintenant = connections[base].ops.adapt_datetimefield_value(timezone.now())
        session = next(
            iter(
                self.model.objects.db_manager(base).raw(
                    f"SELECT session_key, session_data, expire_date FROM {table} "  # noqa: S608 - nom de table tiré du modèle
                    "WHERE session_key = %s AND expire_date > %s",
                    [self.session_key, maintenant],
                )
            ),
            None,
        )
        if session is None:
            self._session_key = None
        return session
