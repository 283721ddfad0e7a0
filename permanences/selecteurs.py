"""Lectures qui préparent la saisie rapide d'un accompagnement : démarches et durées les plus fréquentes,
dernier accompagnement du jour. Trois requêtes au plus, agrégées en SQL."""

import datetime

from django.db.models import Count, Q

from inclusion.models import Demarche

from .models import Passage

FENETRE_JOURS = 90
DUREES_PROPOSEES = (5, 10, 15, 20, 30, 45, 60, 90, 120)


def _recents(jour):
    return Passage.objects.de_la_periode(
        jour - datetime.timedelta(days=FENETRE_JOURS), jour + datetime.timedelta(days=1)
    )


def demarches_par_frequence(*, intervenant, jour):
    """Les démarches actives, les plus saisies par l'intervenant sur 90 jours d'abord, puis par l'équipe, puis
    l'ordre du référentiel (réglé dans l'administration). Deux requêtes."""
    siennes = Q(intervenant=intervenant) if intervenant is not None else Q(pk__isnull=True)
    comptes = {
        ligne["demarche"]: (ligne["siennes"], ligne["toutes"])
        for ligne in _recents(jour)
        .filter(demarche__isnull=False)
        .values("demarche")
        .annotate(siennes=Count("pk", filter=siennes), toutes=Count("pk"))
        .order_by()
    }
    return sorted(
        Demarche.objects.actifs(),
        key=lambda d: (*(-n for n in comptes.get(d.pk, (0, 0))), d.ordre, d.libelle),
    )


def durees_par_frequence(*, intervenant, jour):
    """Les durées proposées, celles que l'intervenant saisit le plus souvent d'abord (90 jours). Une requête."""
    if intervenant is None:
        return list(DUREES_PROPOSEES)
    comptes = dict(
        _recents(jour)
        .filter(intervenant=intervenant, duree_minutes__in=DUREES_PROPOSEES)
        .values_list("duree_minutes")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return sorted(DUREES_PROPOSEES, key=lambda d: (-comptes.get(d, 0), d))


def dernier_passage_du_jour(*, intervenant, jour):
    if intervenant is None:
        return None
    return Passage.objects.filter(intervenant=intervenant, date=jour).order_by("-cree_le", "-pk").first()
