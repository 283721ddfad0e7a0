"""Filtres des gabarits du Bilan : la mise en forme de rapports.formats, et l'accès aux lignes préparées."""

from django import template

from .. import formats
from ..typographie import html_francais

register = template.Library()

register.filter("nombre_fr", formats.nombre_fr)
register.filter("typographie", html_francais, is_safe=True)


@register.filter
def cle(dictionnaire, nom):
    return (dictionnaire or {}).get(nom)


@register.filter
def table(lignes, chemin):
    """`lignes|table:"permanences.demarches_pct"` : les lignes d'une table (une par code ou par nom)."""
    return lignes.table(chemin)


@register.filter
def groupe(lignes, nom):
    """`lignes|groupe:"permanences"` : le tableau des indicateurs simples d'une section (rapports.lignes)."""
    return lignes.groupe(nom)


@register.filter
def chiffre(lignes, chemin):
    """`lignes|chiffre:"permanences.usagers_recus"` : un grand chiffre avec son évolution."""
    return lignes.chiffre(chemin)


@register.filter
def tuiles(lignes, chemins):
    """`lignes|tuiles:"rendez_vous.realises,rendez_vous.duree_moyenne_minutes"` : des grands chiffres, chacun avec
    son évolution ou sa raison en une ligne (raisons en notes sous la grille, rapports.lignes)."""
    return lignes.tuiles([(chemin, "") for chemin in chemins.split(",")])


@register.filter
def duree_lisible(secondes):
    """« 45 s », « 3 min 05 s », « 1 h 02 min » ; rien si la durée est inconnue."""
    if secondes is None:
        return ""
    secondes = round(secondes)
    if secondes < 60:
        return f"{secondes} s"
    minutes, secondes = divmod(secondes, 60)
    if minutes < 60:
        return f"{minutes} min {secondes:02d} s"
    heures, minutes = divmod(minutes, 60)
    return f"{heures} h {minutes:02d} min"
