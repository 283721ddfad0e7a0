"""Demander un traitement de fond : la ligne de suivi et la tâche django-tasks, dans la même transaction (la
file est une table de la même base : une demande n'existe jamais sans sa tâche, ni l'inverse)."""

from django.db import transaction

from ..enums import NatureTraitement
from ..models import Traitement


def demander(nature, *, parametres=None, demande_par=None, fichier=None, nom_fichier=""):
    from .taches import executer_traitement

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
