from crispy_forms.helper import FormHelper
from django import forms

from inclusion.delais import message_hors_delai
from inclusion.enums import Fonction
from inclusion.forms import FormulaireProtege
from inclusion.models import Intervenant, Lieu, Structure
from inclusion.services import nom_propre

from .models import AccompagnementFormation, SessionFormation, Theme


class FormulaireDeModele(FormulaireProtege, forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class ThemeForm(FormulaireDeModele):
    def clean_nom(self):
        """Le nom rangé comme par formations.services.creer_theme (espaces en trop ôtés) : « Outils  collaboratifs »
        retrouve « Outils collaboratifs » et la règle du nom unique le dit."""
        return nom_propre(self.cleaned_data["nom"])

    class Meta:
        model = Theme
        fields = ["nom", "description", "actif"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class SessionFormationForm(FormulaireDeModele):
    class Meta:
        model = SessionFormation
        fields = ["theme", "date", "heure_debut", "heure_fin", "lieu", "formateur", "capacite"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "heure_debut": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "heure_fin": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        error_messages = {
            "capacite": {
                "min_value": "La capacité doit être d'au moins 1.",
                "max_value": "La capacité ne peut dépasser 500.",
            }
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["theme"].queryset = Theme.objects.actifs()
        self.fields["lieu"].queryset = Lieu.objects.actifs()
        # Les agents d'accueil n'animent pas de formation.
        self.fields["formateur"].queryset = Intervenant.objects.actifs().exclude(
            fonction=Fonction.AGENT_ACCUEIL
        )

    def clean(self):
        cleaned = super().clean()
        for jour in (self.instance.date if self.instance.pk else None, cleaned.get("date")):
            if message := message_hors_delai(jour, self.user, quoi="Cette session"):
                self.add_error("date", message)
                break
        debut, fin = cleaned.get("heure_debut"), cleaned.get("heure_fin")
        if debut and fin and fin <= debut:
            self.add_error("heure_fin", "L'heure de fin doit suivre l'heure de début.")
        capacite = cleaned.get("capacite")
        if self.instance.pk and capacite:
            inscrits = self.instance.inscriptions.filter(liste_attente=False).count()
            if capacite < inscrits:
                self.add_error(
                    "capacite",
                    f"{inscrits} personnes sont déjà confirmées : la capacité ne peut être inférieure.",
                )
        return cleaned


class InscriptionForm(FormulaireProtege, forms.Form):
    nom = forms.CharField(label="Nom", max_length=150)
    email = forms.EmailField(
        label="Courriel", required=False, error_messages={"invalid": "Adresse de courriel invalide."}
    )
    structure = forms.ModelChoiceField(label="Structure", queryset=Structure.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = Structure.objects.actifs()
        self.helper = FormHelper()
        self.helper.form_tag = False


class AnnulationSessionForm(forms.Form):
    motif = forms.CharField(label="Motif de l'annulation", max_length=200)


class AccompagnementFormationForm(FormulaireDeModele):
    class Meta:
        model = AccompagnementFormation
        fields = ["date", "duree_minutes", "structure", "theme", "nom_professionnel"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        error_messages = {
            "duree_minutes": {
                "min_value": "La durée doit être d'au moins 1 minute.",
                "max_value": "La durée ne peut pas dépasser 600 minutes.",
            }
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = Structure.objects.actifs()
        self.fields["theme"].queryset = Theme.objects.actifs()
