"""Demander un traitement de fond : la ligne de suivi et la tâche django-tasks, dans la même transaction (la
file est une table de la même base : une demande n'existe jamais sans sa tâche, ni l'inverse)."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus

from .deroulement import constater_les_arrets, declarer_echoue
from .enums import NatureTraitement, StatutTraitement
from .models import Traitement
from .taches import executer_traitement


def demander(nature, *, parametres=None, demande_par=None, fichier=None, nom_fichier=""):
    traitement = Traitement(nature=nature, parametres=parametres or {}, demande_par=demande_par)
    if fichier is not None:
        traitement.fichier.save(nom_fichier or "televersement", fichier, save=False)
        traitement.nom_fichier = nom_fichier
    with transaction.atomic():
        traitement.save()
        traitement.tache = executer_traitement.enqueue(traitement.pk).id
        traitement.save(update_fields=["tache"])
    return traitement


def demander_import(fichier, *, essai=False, demande_par=None):
    return demander(
        NatureTraitement.IMPORT,
        parametres={"essai": essai},
        demande_par=demande_par,
        fichier=fichier,
        nom_fichier=getattr(fichier, "name", "televersement")[-100:],
    )


def place_dans_la_file(traitement):
    """Combien de travaux demandés avant celui-ci ne sont pas finis (pour un import : combien d'imports)."""
    avant = Traitement.objects.non_finis().filter(demande_le__lt=traitement.demande_le)
    if traitement.nature == NatureTraitement.IMPORT:
        avant = avant.filter(nature=NatureTraitement.IMPORT)
    return avant.count()


MESSAGE_SANS_PROCESSUS = (
    "Aucun processus de fond ne tourne : personne n'a pris ce travail. Démarrez-en un "
    "(`python manage.py db_worker`, ou le service inclusion-fond@ en production), ou importez ici même "
    "avec `python manage.py importer DOSSIER --sync`."
)


def sans_processus_de_fond(traitement, *, maintenant=None):
    """Vrai quand ce travail attend depuis plus du délai réglé (ATTENTE_PROCESSUS_DE_FOND_SECONDES) sans
    qu'aucun travail ne soit en cours : un processus de fond vivant l'aurait pris (il interroge la file chaque
    seconde) ou serait occupé à un autre. Les processus arrêtés en route sont constatés d'abord."""
    if traitement.statut != StatutTraitement.EN_ATTENTE:
        return False
    delai = datetime.timedelta(seconds=settings.INCLUSION["ATTENTE_PROCESSUS_DE_FOND_SECONDES"])
    if (maintenant or timezone.now()) - traitement.demande_le < delai:
        return False
    constater_les_arrets()
    return not Traitement.objects.filter(statut=StatutTraitement.EN_COURS).exists()


def abandonner_faute_de_processus(traitement):
    """Retire de la file un travail qu'aucun processus n'a pris (il ne partira pas plus tard par surprise) et le
    déclare échoué avec MESSAGE_SANS_PROCESSUS. Renvoie False si un processus l'a pris entre-temps : la tâche
    n'est plus « prête » (sur PostgreSQL, la mise à jour attend le verrou de ligne du processus qui la prend)."""
    if not declarer_echoue(
        traitement,
        etait=StatutTraitement.EN_ATTENTE,
        tache_etait=TaskResultStatus.READY,
        message=MESSAGE_SANS_PROCESSUS,
        exception="SansProcessusDeFond",
        tache_exigee=True,
    ):
        return False
    traitement.refresh_from_db()
    return True
