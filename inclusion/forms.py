"""Briques de formulaire partagées."""

from django import forms
from django.core.exceptions import ValidationError

ENTIER_MIN, ENTIER_MAX = -(2**63), 2**63 - 1


def _identifiants_valides(field, valeurs):
    """Refuse avant toute requête les identifiants non entiers ou hors des bornes de la base."""
    for valeur in valeurs:
        if valeur in field.empty_values:
            continue
        try:
            nombre = int(str(valeur))
        except (TypeError, ValueError):
            nombre = None
        if nombre is None or not ENTIER_MIN <= nombre <= ENTIER_MAX:
            raise ValidationError(
                "Sélectionnez un choix valide. Ce choix ne fait pas partie de ceux disponibles.",
                code="invalid_choice",
            )


class ChoixModele(forms.ModelChoiceField):
    def to_python(self, value):
        _identifiants_valides(self, [value])
        return super().to_python(value)


class ChoixModeles(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        try:
            valeurs = list(value)
        except TypeError:
            valeurs = [value]
        _identifiants_valides(self, valeurs)
        return super()._check_values(value)


class FormulaireSur:
    """Mélangé aux formulaires : les listes de choix de modèles refusent proprement les identifiants absurdes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for champ in self.fields.values():
            if type(champ) is forms.ModelChoiceField:
                champ.__class__ = ChoixModele
            elif type(champ) is forms.ModelMultipleChoiceField:
                champ.__class__ = ChoixModeles
