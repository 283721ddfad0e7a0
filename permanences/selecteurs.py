"""Lectures qui préparent la saisie rapide d'un accompagnement : démarches et durées les plus fréquentes,
dernier accompagnement du jour. Trois requêtes au plus, agrégées en SQL."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q

from inclusion.models import Demarche

from .models import Creneau, Passage, Permanence

FENETRE_JOURS = 90
DUREES_PROPOSEES = (5, 10, 15, 20, 30, 45, 60, 90, 120)
DUREES_COURANTES = (20, 30, 15, 45, 10, 60)  # sans historique, la saisie groupée propose celles-ci


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


@dataclass(frozen=True)
class DureesProposees:
    """Les durées proposées en boutons, toujours dans l'ordre des valeurs ; `frequentes` : celles que
    l'intervenant saisit le plus (mises en évidence), vide sans historique."""

    valeurs: list
    frequentes: frozenset


def durees_proposees(*, intervenant, jour, nombre=None):
    """Les durées proposées dans l'ordre des valeurs (le même partout : saisie d'un passage, saisie groupée, issue
    d'un rendez-vous), la ou les plus saisies par l'intervenant sur 90 jours marquées. Avec `nombre`, seules les
    `nombre` plus saisies sont proposées (à défaut d'historique, les plus courantes, DUREES_COURANTES), toujours
    dans l'ordre des valeurs. Une requête (aucune sans intervenant)."""
    comptes = {}
    if intervenant is not None:
        comptes = dict(
            _recents(jour)
            .filter(intervenant=intervenant, duree_minutes__in=DUREES_PROPOSEES)
            .values_list("duree_minutes")
            .annotate(n=Count("pk"))
            .order_by()
        )
    valeurs = list(DUREES_PROPOSEES)
    if nombre is not None:
        rang = {d: i for i, d in enumerate(DUREES_COURANTES)}
        valeurs = sorted(valeurs, key=lambda d: (-comptes.get(d, 0), rang.get(d, len(rang)), d))[:nombre]
    maximum = max(comptes.values(), default=0)
    frequentes = frozenset(d for d, n in comptes.items() if maximum and n == maximum and d in valeurs)
    return DureesProposees(valeurs=sorted(valeurs), frequentes=frequentes)


def dernier_passage_du_jour(*, intervenant, jour):
    if intervenant is None:
        return None
    return Passage.objects.filter(intervenant=intervenant, date=jour).order_by("-cree_le", "-pk").first()


def prochaine_permanence(*, lieux, apres, jours=21):
    """(lieu, date, heure de début) de la prochaine permanence de ces lieux après le jour `apres` : une permanence
    déjà créée (non annulée), sinon le prochain créneau du planning, sur `jours` jours ; None s'il n'y en a pas.
    Deux requêtes."""
    fin = apres + datetime.timedelta(days=jours)
    creee = (
        Permanence.objects.tenues()
        .filter(lieu__in=lieux, date__gt=apres, date__lte=fin)
        .select_related("lieu")
        .order_by("date", "heure_debut")
        .first()
    )
    candidates = [(creee.date, creee.heure_debut, creee.lieu)] if creee else []
    creneaux = list(
        Creneau.objects.filter(lieu__in=lieux, valide_du__lte=fin)
        .exclude(valide_au__lt=apres)
        .select_related("lieu")
    )
    jour = apres + datetime.timedelta(days=1)
    while jour <= fin and not any(c for c in candidates if c[0] <= jour):
        for c in creneaux:
            if (
                c.jour_semaine == jour.weekday()
                and c.valide_du <= jour
                and (c.valide_au is None or jour <= c.valide_au)
            ):
                candidates.append((jour, c.heure_debut, c.lieu))
        jour += datetime.timedelta(days=1)
    if not candidates:
        return None
    date, heure, lieu = min(candidates, key=lambda c: (c[0], c[1], c[2].nom))
    return {"lieu": lieu, "date": date, "heure": heure}
