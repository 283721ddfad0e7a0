"""Le déroulement d'un traitement dans un processus de fond : début, avancement, fin, et processus arrêtés.

- L'avancement est écrit au plus une fois par seconde, par une connexion à part sur PostgreSQL : un import tient
  sa transaction ouverte jusqu'au bout (tout ou rien), et la page de suivi doit pourtant voir où il en est.
  SQLite n'admet qu'un écrivain à la fois : pendant une transaction, l'avancement y est écrit dans un petit
  fichier à côté des documents (MEDIA_ROOT ; SQLite, c'est une seule machine), que la page lit
  (progression_de) ; il est effacé à la fin, quand la ligne de suivi reçoit l'avancement final.
- Un processus arrêté en route (tué, machine éteinte) ne peut plus rien écrire. Sur PostgreSQL, il tient un
  verrou consultatif pendant tout le traitement : le serveur le relâche quand la connexion tombe, et la page de
  suivi, qui parvient alors à le prendre, sait que le processus n'est plus là. Sur SQLite (une seule machine),
  le numéro du processus suffit. Le traitement est alors déclaré échoué ; sa transaction a été annulée par la
  base, rien n'a été écrit.
"""

import json
import os
import socket
import time
from contextlib import contextmanager, suppress
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from inclusion.annees_closes import annee_close_de

from .enums import StatutTraitement
from .models import Traitement

# Espaces des verrous consultatifs de PostgreSQL (pg_advisory_lock(espace, identifiant)).
VERROU_PROCESSUS = 20_001  # identifiant : le traitement ; tenu par le processus qui le fait
VERROU_IMPORT = 20_002  # identifiant 1 : un seul import à la fois
INTERVALLE_ECRITURE_SECONDES = 1.0

MESSAGE_PROCESSUS_ARRETE = (
    "Le processus qui faisait ce travail s'est arrêté en route (redémarrage ou incident du serveur). "
    "Rien n'a été écrit : relancez-le."
)


def nom_du_processus():
    return f"{socket.gethostname()}:{os.getpid()}"


def _sur_postgresql():
    return connection.vendor == "postgresql"


def _connexion_a_part():
    """Une seconde connexion à la même base, en validation automatique (hors de la transaction de l'import)."""
    principale = connections[DEFAULT_DB_ALIAS]
    return type(principale)(dict(principale.settings_dict), alias=DEFAULT_DB_ALIAS)


class Progression:
    """Ce que la page de suivi montre pendant le travail : écrit au plus une fois par seconde."""

    def __init__(self, traitement, connexion=None):
        self.traitement, self.connexion = traitement, connexion
        self.etat = dict(traitement.progression)
        self._derniere = 0.0

    def noter(self, *, forcer=False, **valeurs):
        self.etat.update(valeurs)
        maintenant = time.monotonic()
        if not forcer and maintenant - self._derniere < INTERVALLE_ECRITURE_SECONDES:
            return
        self._derniere = maintenant
        self.ecrire()

    def ecrire(self):
        if self.connexion is not None:
            from django.db.models.fields.json import JSONField

            valeur = JSONField().get_db_prep_value(self.etat, self.connexion)
            with self.connexion.cursor() as curseur:
                curseur.execute(
                    f"UPDATE {Traitement._meta.db_table} SET progression = %s WHERE id = %s",  # noqa: S608
                    [valeur, self.traitement.pk],
                )
        elif not connection.in_atomic_block:
            Traitement.objects.filter(pk=self.traitement.pk).update(progression=self.etat)
        else:
            fichier = fichier_de_progression(self.traitement.pk)
            fichier.parent.mkdir(parents=True, exist_ok=True)
            provisoire = fichier.with_suffix(".tmp")
            provisoire.write_text(json.dumps(self.etat))
            provisoire.replace(fichier)  # la page ne lit jamais un fichier à moitié écrit


def fichier_de_progression(pk):
    """L'avancement d'un traitement écrit hors de la base (SQLite, pendant la transaction d'un import)."""
    return Path(settings.MEDIA_ROOT) / "traitements" / "progression" / f"{pk}.json"


def progression_de(traitement):
    """L'avancement à montrer : celui du fichier s'il y en a un (SQLite, en cours), sinon celui de la base."""
    if traitement.statut == StatutTraitement.EN_COURS and not _sur_postgresql():
        with suppress(OSError, ValueError):
            return json.loads(fichier_de_progression(traitement.pk).read_text())
    return traitement.progression or {}


@contextmanager
def deroulement(traitement):
    """Marque le traitement commencé, donne sa Progression, puis le marque terminé (ou échoué, avec le message
    de l'erreur). Sur PostgreSQL, tient le verrou « processus vivant » jusqu'à la fin."""
    a_part = _connexion_a_part() if _sur_postgresql() else None
    try:
        if a_part is not None:
            with a_part.cursor() as curseur:
                curseur.execute("SELECT pg_advisory_lock(%s, %s)", [VERROU_PROCESSUS, traitement.pk])
        traitement.statut, traitement.commence_le = StatutTraitement.EN_COURS, timezone.now()
        traitement.processus = nom_du_processus()
        traitement.save(update_fields=["statut", "commence_le", "processus"])
        progression = Progression(traitement, a_part)
        try:
            yield progression
        except Exception as erreur:
            _finir(traitement, progression, StatutTraitement.ECHOUE, message_d_echec(erreur))
            raise
        _finir(traitement, progression, StatutTraitement.TERMINE)
    finally:
        if a_part is not None:
            a_part.close()  # relâche aussi le verrou


def _finir(traitement, progression, statut, message=""):
    traitement.statut, traitement.message, traitement.termine_le = statut, message, timezone.now()
    traitement.progression = progression.etat
    traitement.save(
        update_fields=["statut", "message", "termine_le", "progression", "resultat", "fichier", "nom_fichier"]
    )
    fichier_de_progression(traitement.pk).unlink(missing_ok=True)


class EchecExplique(Exception):
    """Un échec dont le message est fait pour les personnes (le reste est dit sans détail technique)."""


def message_d_echec(erreur):
    if isinstance(erreur, EchecExplique):
        return str(erreur)
    if (refus := annee_close_de(erreur)) is not None:  # une année close : rien n'a été écrit, on dit pourquoi
        return f"{refus.message} Rien n'a été écrit."
    return (
        "Le travail a échoué sur une erreur inattendue ; rien n'a été écrit. L'erreur est dans le journal du "
        f"serveur ({type(erreur).__name__})."
    )


@contextmanager
def import_exclusif(progression):
    """Un seul import à la fois (PostgreSQL : verrou consultatif pris dans la transaction de l'import, relâché
    à sa fin, validée ou annulée). Le second attend, et la page de suivi dit sa place dans la file ; SQLite n'a
    de toute façon qu'un écrivain."""
    if not _sur_postgresql():
        yield
        return
    with transaction.atomic():
        with connection.cursor() as curseur:
            curseur.execute("SELECT pg_try_advisory_xact_lock(%s, 1)", [VERROU_IMPORT])
            if not curseur.fetchone()[0]:
                progression.noter(attend_un_autre_import=True, a_attendu_un_autre_import=True, forcer=True)
                curseur.execute("SELECT pg_advisory_xact_lock(%s, 1)", [VERROU_IMPORT])
                progression.noter(attend_un_autre_import=False, forcer=True)
        yield


def _processus_arrete(traitement):
    if _sur_postgresql():
        with connection.cursor() as curseur:
            curseur.execute("SELECT pg_try_advisory_lock(%s, %s)", [VERROU_PROCESSUS, traitement.pk])
            libre = curseur.fetchone()[0]
            if libre:
                curseur.execute("SELECT pg_advisory_unlock(%s, %s)", [VERROU_PROCESSUS, traitement.pk])
        return libre
    machine, _, pid = traitement.processus.rpartition(":")
    if machine != socket.gethostname() or not pid.isdigit():
        return False  # un processus d'une autre machine : on ne peut pas le savoir d'ici
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def declarer_echoue(traitement, *, etait, tache_etait, message, exception, tache_exigee=False):
    """Dans une transaction : la tâche de la file (si elle est encore `tache_etait`) et le Traitement (s'il est
    encore `etait`) déclarés échoués avec `message` (`exception` : le nom gardé par la file). Avec
    `tache_exigee`, rien ne change et la fonction renvoie False si la tâche n'était plus `tache_etait` (un
    processus l'a prise entre-temps) ; sinon elle renvoie vrai."""
    with transaction.atomic():
        maintenant = timezone.now()
        changees = traitement.tache and DBTaskResult.objects.filter(
            id=traitement.tache, status=tache_etait
        ).update(
            status=TaskResultStatus.FAILED,
            finished_at=maintenant,
            exception_class_path=f"travaux.{exception}",
            traceback=message,
        )
        if tache_exigee and not changees:
            return False
        Traitement.objects.filter(pk=traitement.pk, statut=etait).update(
            statut=StatutTraitement.ECHOUE, message=message, termine_le=maintenant
        )
    return True


def constater_les_arrets(traitements=None):
    """Déclare échoués les traitements en cours dont le processus s'est arrêté ; renvoie leur nombre."""
    en_cours = Traitement.objects.filter(statut=StatutTraitement.EN_COURS).exclude(processus="")
    if traitements is not None:
        en_cours = en_cours.filter(pk__in=[t.pk for t in traitements])
    arretes = [t for t in en_cours if _processus_arrete(t)]
    for traitement in arretes:
        declarer_echoue(
            traitement,
            etait=StatutTraitement.EN_COURS,
            tache_etait=TaskResultStatus.RUNNING,
            message=MESSAGE_PROCESSUS_ARRETE,
            exception="ProcessusArrete",
        )
        fichier_de_progression(traitement.pk).unlink(missing_ok=True)
    return len(arretes)
