"""Sélecteurs communs des enregistrements datés : une période, des lieux, des intervenants.

Chaque QuerySet dit par où passent sa date, son lieu et son intervenant ; les indicateurs, le tableau de bord,
les exports et l'export pour la Coop filtrent tous par ces deux méthodes, jamais en réécrivant les filtres.
"""

import datetime

from .cloture import QuerySetCloture


class QuerySetDate(QuerySetCloture):
    """Les enregistrements datés sont aussi ceux que protège la clôture des années (inclusion.cloture) : leurs
    écritures en masse passent par QuerySetCloture."""

    chemin_date = "date"
    chemin_lieu = "lieu"
    chemin_intervenant = None
    # Un intervenant atteint par une relation multiple (médiateurs d'une permanence) : lignes dédoublonnées.
    intervenants_multiples = False

    def de_la_periode(self, debut, fin):
        """Enregistrements datés de [debut, fin[ (fin exclue)."""
        return self.filter(**{f"{self.chemin_date}__gte": debut, f"{self.chemin_date}__lt": fin})

    def de_l_annee(self, annee):
        return self.de_la_periode(datetime.date(annee, 1, 1), datetime.date(annee + 1, 1, 1))

    def pour(self, *, lieux=None, intervenants=None):
        """Restreint à ces lieux et à ces intervenants ; une liste vide ou None ne restreint rien."""
        qs = self
        if lieux:
            qs = qs.filter(**{f"{self.chemin_lieu}__in": lieux})
        if intervenants:
            if self.chemin_intervenant is None:
                return qs.none()
            qs = qs.filter(**{f"{self.chemin_intervenant}__in": intervenants})
            if self.intervenants_multiples:
                qs = qs.distinct()
        return qs
