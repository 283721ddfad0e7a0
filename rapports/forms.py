import datetime

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone

from inclusion.forms import FormulaireSur
from inclusion.models import Intervenant, Lieu

from .models import Commentaire


class FiltreForm(FormulaireSur, forms.Form):
    debut = forms.DateField(label="Du", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    fin = forms.DateField(
        label="Au (inclus)", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    lieux = forms.ModelMultipleChoiceField(label="Lieux", queryset=Lieu.objects.all(), required=False)
    intervenants = forms.ModelMultipleChoiceField(
        label="Intervenants", queryset=Intervenant.objects.all(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    @staticmethod
    def valeurs_initiales():
        aujourdhui = timezone.localdate()
        return {"debut": datetime.date(aujourdhui.year, 1, 1), "fin": aujourdhui}

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


class CommentaireForm(FormulaireSur, forms.ModelForm):
    class Meta:
        model = Commentaire
        fields = ["texte"]
        widgets = {"texte": forms.Textarea(attrs={"rows": 5, "maxlength": 10000})}
        labels = {"texte": "Analyse (texte libre, paragraphes séparés par une ligne vide)"}
