"""La tâche django-tasks qui exécute un traitement (l'API est celle de django.tasks de Django 6).

Elle n'importe aucun travail : elle lit le registre (registre.py), que chaque application remplit dans son
AppConfig.ready(). La file garde le chemin de cette fonction ; l'ancien, `rapports.traitements.taches`, reste un
alias pour les tâches mises en file avant #32.
"""

from django_tasks import task

from .deroulement import deroulement
from .enums import StatutTraitement
from .models import Traitement
from .registre import travail_de


@task()
def executer_traitement(traitement_id):
    traitement = Traitement.objects.select_related("demande_par").filter(pk=traitement_id).first()
    if traitement is None or traitement.statut != StatutTraitement.EN_ATTENTE:
        return None  # déjà fait, ou déclaré échoué entre-temps : rien à refaire
    with deroulement(traitement) as progression:
        travail_de(traitement.nature)(traitement, progression)
    return traitement.statut
