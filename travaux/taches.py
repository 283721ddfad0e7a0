"""La tâche django-tasks qui exécute un traitement (l'API est celle de django.tasks de Django 6)."""

from django_tasks import task

from ..enums import StatutTraitement
from ..models import Traitement
from .deroulement import deroulement
from .travaux import TRAVAUX


@task()
def executer_traitement(traitement_id):
    traitement = Traitement.objects.select_related("demande_par").filter(pk=traitement_id).first()
    if traitement is None or traitement.statut != StatutTraitement.EN_ATTENTE:
        return None  # déjà fait, ou déclaré échoué entre-temps : rien à refaire
    with deroulement(traitement) as progression:
        TRAVAUX[traitement.nature](traitement, progression)
    return traitement.statut
