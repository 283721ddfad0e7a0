"""Écritures du domaine des rapports (analyse de l'équipe), appelées par les vues, l'import et la démo."""

from django.db import transaction
from django.db.models import Max

from .models import PointAnalyse


@transaction.atomic
def ajouter_point(*, annee, section, titre, texte, auteur=None):
    """Ajoute un point à la fin de la section ; l'historique garde qui l'a écrit et quand."""
    dernier = (
        PointAnalyse.objects.select_for_update()
        .filter(annee=annee, section=section)
        .aggregate(n=Max("ordre"))["n"]
        or 0
    )
    return PointAnalyse.objects.create(
        annee=annee, section=section, ordre=dernier + 1, titre=titre, texte=texte, modifie_par=auteur
    )


def modifier_point(point, *, titre, texte, auteur=None):
    """Modifie un point s'il a changé (une modification = une entrée d'historique) ; renvoie s'il a changé."""
    if (point.titre, point.texte) == (titre, texte):
        return False
    point.titre, point.texte, point.modifie_par = titre, texte, auteur
    point.save()
    return True


def supprimer_point(point):
    point.delete()  # l'historique garde le texte supprimé, qui et quand
