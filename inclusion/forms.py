"""Briques de formulaire partagées."""

import datetime

from django import forms
from django.core.exceptions import ValidationError

from .echanges import CARACTERES_DE_CONTROLE

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


DATE_MIN, DATE_MAX = datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)


def date_dans_les_limites(valeur):
    if valeur is not None and not DATE_MIN <= valeur <= DATE_MAX:
        raise ValidationError("Date hors limites (du 01/01/2000 au 31/12/2100).", code="date_hors_limites")


def sans_caractere_de_controle(valeur):
    if isinstance(valeur, str) and CARACTERES_DE_CONTROLE.search(valeur):
        raise ValidationError(
            "Caractère de contrôle interdit (copié d'un autre logiciel ?).", code="controle"
        )


class FormulaireProtege:
    """Mélangé aux formulaires : les listes de choix de modèles refusent proprement les identifiants absurdes,
    les dates hors de 2000–2100 (calculs de semaines et de durées sans débordement) et les caractères de
    contrôle (ils cassent les exports XLSX)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for champ in self.fields.values():
            if type(champ) is forms.ModelChoiceField:
                champ.__class__ = ChoixModele
            elif type(champ) is forms.ModelMultipleChoiceField:
                champ.__class__ = ChoixModeles
            elif isinstance(champ, forms.DateField):
                champ.validators.append(date_dans_les_limites)
            elif isinstance(champ, forms.CharField):
                champ.validators.append(sans_caractere_de_controle)

    def get_initial_for_field(self, field, field_name):
        """Un choix obligatoire qui n'a qu'une possibilité (le seul lieu d'un médiateur, le seul formateur) est
        déjà choisi : un geste de moins."""
        initial = super().get_initial_for_field(field, field_name)
        if initial in (None, "") and field.required and isinstance(field, ChoixModele):
            possibles = list(field.queryset.values_list("pk", flat=True)[:2])
            if len(possibles) == 1:
                return possibles[0]
        return initial


def entier_ou_rien(valeur, minimum=1, maximum=ENTIER_MAX):
    """Un entier écrit en chiffres ASCII dans les bornes (« ² » n'en est pas un), sinon None."""
    texte = str(valeur).strip() if isinstance(valeur, int | str) else ""
    if not texte or len(texte) > 20 or not (texte.isascii() and texte.lstrip("-").isdigit()):
        return None
    nombre = int(texte)
    return nombre if minimum <= nombre <= maximum else None
