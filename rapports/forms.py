import datetime

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone

from inclusion.forms import FormulaireProtege
from inclusion.models import Intervenant, Lieu
from permanences.models import Passage, RendezVous

from .analyse import cles_inconnues
from .models import PointAnalyse


class FiltreForm(FormulaireProtege, forms.Form):
    debut = forms.DateField(label="Du", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    fin = forms.DateField(
        label="Au (inclus)", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    # Des cases à cocher (noms entiers, sans touche Ctrl), dans un groupe étiqueté avec un champ qui les filtre.
    lieux = forms.ModelMultipleChoiceField(
        label="Lieux",
        queryset=Lieu.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    intervenants = forms.ModelMultipleChoiceField(
        label="Intervenants",
        queryset=Intervenant.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    @staticmethod
    def valeurs_initiales(aujourdhui=None):
        """L'année en cours jusqu'à aujourd'hui ; s'il n'y a encore rien d'enregistré, le dernier mois complet
        (un 3 janvier, un tableau de bord vide n'aide personne). Deux requêtes au plus."""
        aujourdhui = aujourdhui or timezone.localdate()
        debut, lendemain = datetime.date(aujourdhui.year, 1, 1), aujourdhui + datetime.timedelta(days=1)
        if Passage.objects.de_la_periode(debut, lendemain).exists() or (
            RendezVous.objects.de_la_periode(debut, lendemain).exists()
        ):
            return {"debut": debut, "fin": aujourdhui}
        fin = aujourdhui.replace(day=1) - datetime.timedelta(days=1)
        return {"debut": fin.replace(day=1), "fin": fin}

    def clean(self):
        cleaned = super().clean()
        debut, fin = cleaned.get("debut"), cleaned.get("fin")
        if debut and fin:
            if fin < debut:
                self.add_error("fin", "La fin de la période précède son début.")
            elif (fin - debut).days > 366 * 5:
                self.add_error("fin", "La période ne peut dépasser cinq ans.")
            elif debut.year < 2000:
                self.add_error("debut", "Date trop ancienne.")
        return cleaned


class PointAnalyseForm(FormulaireProtege, forms.ModelForm):
    class Meta:
        model = PointAnalyse
        fields = ["titre", "texte"]
        widgets = {
            "titre": forms.TextInput(attrs={"maxlength": 200}),
            "texte": forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
        }
        labels = {
            "titre": "Titre du point",
            "texte": "Texte (un chiffre se cite par sa clé : {permanences.usagers_recus})",
        }

    def clean_texte(self):
        texte = self.cleaned_data["texte"]
        inconnues = cles_inconnues(texte)
        if inconnues:
            raise forms.ValidationError(
                "Clé inconnue : "
                + ", ".join("{" + cle[:60] + "}" for cle in inconnues[:5])
                + " (les clés sont celles de l'annexe et du Bilan JSON)."
            )
        return texte

    def clean(self):
        nettoye = super().clean()
        if not nettoye.get("titre") and not nettoye.get("texte") and not self.errors:
            raise forms.ValidationError("Un point a un titre ou un texte.")
        return nettoye
