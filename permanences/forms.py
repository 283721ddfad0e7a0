import datetime

from crispy_forms.helper import FormHelper
from django import forms
from django.db.models import Q
from django.utils import timezone

from inclusion.delais import message_hors_delai
from inclusion.formats import heure_fr
from inclusion.forms import FormulaireProtege
from inclusion.models import Demarche, Intervenant, Lieu, Quartier, Structure

from . import selecteurs
from .enums import Frein, Service, StatutRendezVous, TypeDemande
from .models import Passage, Permanence, RendezVous
from .widgets import BoutonsCompacts, BoutonsSegmentes, ChoixDuree, GrilleDemarches, NatureCompacte

AVERTISSEMENT_NOTE = "N'écrivez ici aucune donnée personnelle (nom, téléphone, numéro de dossier…)."


# Une durée hors limites se dit en mots (passages, rendez-vous prévus, issues de rendez-vous).
MESSAGES_DUREE = {
    "min_value": "La durée doit être d'au moins 1 minute.",
    "max_value": "La durée ne peut pas dépasser 480 minutes (8 heures).",
}


class FormulaireDeModele(FormulaireProtege, forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        if "demarche" in self.fields:
            self.fields["demarche"].queryset = Demarche.objects.actifs()
            self.fields["demarche"].empty_label = "— Choisir une démarche —"

    def champs_a_corriger(self):
        """(groupe, identifiant du champ, libellé) de chaque champ en erreur, dans l'ordre du formulaire : le
        résumé en haut de page y mène et le focus va au premier."""
        return [
            (f"groupe-{self[nom].html_name}", self[nom].auto_id, self.fields[nom].label)
            for nom in self.fields
            if nom in self.errors
        ]


def _demarche_selon_le_type(form, cleaned):
    """Une aide aux démarches en ligne précise sa démarche ; un accompagnement technique n'en a pas."""
    _verifier_demarche(form, cleaned)
    if cleaned.get("type_demande") == TypeDemande.ACCOMPAGNEMENT_TECHNIQUE:
        cleaned["demarche"] = None
    return cleaned


def _verifier_demarche(form, cleaned):
    if cleaned.get("type_demande") == TypeDemande.DEMARCHE_EN_LIGNE and not cleaned.get("demarche"):
        form.add_error("demarche", "Précisez la démarche pour une aide aux démarches en ligne.")


class PassageForm(FormulaireDeModele):
    class Meta:
        model = Passage
        fields = [
            "type_demande",
            "demarche",
            "duree_minutes",
            "autonomie",
            "tranche_age",
            "genre",
            "autre_venue_necessaire",
            "oriente_vers",
            "quartier",
            "note",
        ]
        widgets = {
            "type_demande": BoutonsSegmentes,
            "autonomie": BoutonsSegmentes,
            "tranche_age": BoutonsSegmentes,
            "genre": BoutonsSegmentes,
            "demarche": GrilleDemarches,
            "duree_minutes": forms.NumberInput(
                attrs={"min": 1, "max": 480, "inputmode": "numeric", "class": "form-control champ-duree"}
            ),
            "note": forms.TextInput(attrs={"maxlength": 280}),
        }
        help_texts = {"note": AVERTISSEMENT_NOTE, "duree_minutes": "Entre 1 et 480 minutes."}
        error_messages = {
            "duree_minutes": {
                **MESSAGES_DUREE,
                "required": "Choisissez la durée (un bouton, ou une autre durée).",
            },
            "autonomie": {"required": "Choisissez l'autonomie."},
            "tranche_age": {"required": "Choisissez la tranche d'âge (ou « Non communiqué »)."},
            "genre": {"required": "Choisissez le genre (ou « Non communiqué »)."},
        }

    freins = forms.MultipleChoiceField(
        label="Freins à l'autonomie observés (facultatif)",
        choices=Frein.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, intervenant=None, jour=None, **kwargs):
        super().__init__(*args, **kwargs)
        jour = jour or timezone.localdate()
        # Saisie rapide : les démarches et les durées les plus fréquentes d'abord (celles de l'intervenant, puis
        # celles de l'équipe, sur 90 jours).
        demarches = selecteurs.demarches_par_frequence(intervenant=intervenant, jour=jour)
        self.fields["demarche"].choices = [(d.pk, d.libelle) for d in demarches]
        self.durees_proposees = selecteurs.durees_proposees(intervenant=intervenant, jour=jour)
        sans_preselection(self, kwargs.get("initial"))
        self.fields["oriente_vers"].queryset = Structure.objects.actifs()
        self.fields["oriente_vers"].empty_label = "— Pas d'orientation —"
        self.fields["quartier"].queryset = Quartier.objects.actifs()
        self.fields["quartier"].empty_label = "Non communiqué"
        if self.instance.pk:
            self.initial.setdefault("freins", self.instance.liste_freins)
        ordre = list(self.fields)
        ordre.insert(ordre.index("autonomie") + 1, ordre.pop(ordre.index("freins")))
        self.order_fields(ordre)

    def clean(self):
        return _demarche_selon_le_type(self, super().clean())

    def save(self, commit=True):
        self.instance.freins = Passage.encoder_freins(self.cleaned_data.get("freins") or [])
        return super().save(commit=commit)


TECHNIQUE = "technique"  # la saisie groupée : « accompagnement technique » parmi les démarches, un seul choix
NOMS_COURTS = {
    "nature": "démarche",
    "duree_minutes": "durée",
    "autonomie": "autonomie",
    "tranche_age": "âge",
    "genre": "genre",
}


class PassageGroupeForm(FormulaireDeModele):
    """Une ligne de la saisie groupée de fin de permanence : l'essentiel d'un passage, en boutons compacts, un tap
    par champ ; le type de demande et la démarche sont un seul choix (« nature »)."""

    arrivee = forms.IntegerField(widget=forms.HiddenInput, required=False)
    nature = forms.ChoiceField(
        label="Démarche",
        widget=NatureCompacte,
        error_messages={
            "required": "Choisissez la démarche (ou « Technique »).",
            "invalid_choice": ("Cette démarche n'est plus proposée : choisissez-en une autre."),
        },
    )

    class Meta:
        model = Passage
        fields = ["duree_minutes", "autonomie", "tranche_age", "genre"]
        widgets = {"autonomie": BoutonsCompacts, "tranche_age": BoutonsCompacts, "genre": BoutonsCompacts}
        labels = {"duree_minutes": "Durée (minutes)", "tranche_age": "Âge"}
        error_messages = {
            "duree_minutes": {**MESSAGES_DUREE, "required": "Choisissez la durée."},
            "autonomie": {"required": "Choisissez l'autonomie."},
            "tranche_age": {"required": "Choisissez la tranche d'âge (ou « NC » : non communiqué)."},
            "genre": {"required": "Choisissez le genre (ou « NC » : non communiqué)."},
        }

    def __init__(self, *args, choix_demarches=(), durees=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nature"].choices = [
            (TECHNIQUE, "Technique (accompagnement technique)"),
            *((str(pk), nom) for pk, nom in choix_demarches),
        ]
        durees = durees or selecteurs.DureesProposees(
            valeurs=list(selecteurs.DUREES_COURANTES), frequentes=()
        )
        self.fields["duree_minutes"].widget = ChoixDuree(
            choices=[(d, str(d)) for d in selecteurs.DUREES_PROPOSEES],
            principales=durees.valeurs,
            frequentes=durees.frequentes,
        )
        sans_preselection(self, kwargs.get("initial"))
        self.order_fields(["arrivee", "nature", "duree_minutes", "autonomie", "tranche_age", "genre"])

    def clean(self):
        cleaned = super().clean()
        nature = cleaned.get("nature")
        if nature == TECHNIQUE:
            self.instance.type_demande, self.instance.demarche = TypeDemande.ACCOMPAGNEMENT_TECHNIQUE, None
        elif nature:
            self.instance.type_demande = TypeDemande.DEMARCHE_EN_LIGNE
            self.instance.demarche = Demarche.objects.actifs().filter(pk=nature).first()
            if self.instance.demarche is None:
                self.add_error("nature", self.fields["nature"].error_messages["invalid_choice"])
        return cleaned

    def champs_en_erreur(self):
        """Les champs à compléter, en mots courts (« durée », « genre »), dans l'ordre de la ligne."""
        return [NOMS_COURTS.get(nom, "arrivée") for nom in self.fields if nom in self.errors] + (
            ["arrivée"] if self.non_field_errors() else []
        )


def sans_preselection(form, initial):
    """Âge et genre : rien de choisi d'avance pour un nouveau passage (le défaut du modèle, « Non communiqué »,
    affaiblirait les chiffres du Bilan sans que personne l'ait dit) ; le profil noté à l'accueil ou recopié,
    passé en `initial`, reste choisi."""
    if form.instance.pk is None:
        for champ in ("tranche_age", "genre"):
            if not (initial or {}).get(champ):
                form.initial.pop(champ, None)
                form.fields[champ].initial = None


LIGNES_GROUPEES_MAX = 100  # une permanence reçoit quelques dizaines de personnes


class LignesGroupees(forms.BaseFormSet):
    """Chaque ligne peut rester vide (elle est ignorée), y compris celles proposées pour une arrivée. Le nombre de
    lignes est plafonné (max_num, absolute_max) : un « form-TOTAL_FORMS » forgé ne fait pas construire des
    milliers de formulaires, et reçoit un message clair."""

    default_error_messages = {
        "too_many_forms": "Trop de lignes : %(num)d au plus par saisie groupée. Enregistrez en plusieurs fois.",
        "missing_management_form": "Le formulaire est incomplet : rechargez la page et recommencez.",
    }

    def _construct_form(self, i, **kwargs):
        kwargs["empty_permitted"] = True
        kwargs["use_required_attribute"] = False
        return super()._construct_form(i, **kwargs)

    def lignes_remplies(self):
        return [form for form in self.forms if form.has_changed()]

    def a_completer(self):
        """Les lignes en erreur, pour le résumé en haut de page : numéro, champs à compléter en mots courts, et
        l'identifiant du premier champ concerné (le focus va à son premier bouton visible, le lien y mène)."""
        lignes = []
        for numero, form in enumerate(self.forms, start=1):
            if not form.errors:
                continue
            premier = next((nom for nom in form.fields if nom in form.errors), None)
            cible = form[premier].auto_id if premier and premier != "arrivee" else f"ligne-{numero}"
            lignes.append({"numero": numero, "champs": form.champs_en_erreur(), "cible": cible})
        return lignes


def verifier_delai_saisie(permanence, user):
    """Message d'erreur si la permanence est hors de la fenêtre de saisie de l'utilisateur, sinon None."""

    aujourdhui = timezone.localdate()
    if permanence.date > aujourdhui:
        return "Impossible de saisir un passage pour une permanence à venir."
    if permanence.annulee:
        return "Cette permanence est annulée : aucun passage ne peut y être saisi."
    return message_hors_delai(permanence.date, user, quoi="Cette permanence") or None


class PermanenceForm(FormulaireDeModele):
    class Meta:
        model = Permanence
        fields = ["date", "lieu", "heure_debut", "heure_fin", "intervenants"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "heure_debut": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "heure_fin": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "intervenants": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, lieux, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["lieu"].queryset = lieux
        self.fields["intervenants"].queryset = Intervenant.objects.actifs().mediateurs()

    def clean(self):
        cleaned = super().clean()
        if message := message_hors_delai(cleaned.get("date"), self.user, quoi="Cette permanence"):
            self.add_error("date", message)
        debut, fin = cleaned.get("heure_debut"), cleaned.get("heure_fin")
        if debut and fin and fin <= debut:
            self.add_error("heure_fin", "L'heure de fin doit suivre l'heure de début.")
        return cleaned


class AnnulationPermanenceForm(FormulaireProtege, forms.Form):
    motif_annulation = forms.CharField(label="Motif de l'annulation", max_length=200)


class RendezVousForm(FormulaireDeModele):
    class Meta:
        model = RendezVous
        fields = [
            "service",
            "lieu",
            "intervenant",
            "date",
            "heure",
            "duree_prevue_minutes",
            "motif",
            "type_demande",
            "demarche",
            "tranche_age",
            "genre",
            "quartier",
            "nom_contact",
            "telephone_contact",
        ]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "heure": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        error_messages = {
            "duree_prevue_minutes": MESSAGES_DUREE,
            "tranche_age": {"required": "Choisissez la tranche d'âge (ou « Non communiqué »)."},
            "genre": {"required": "Choisissez le genre (ou « Non communiqué »)."},
        }
        help_texts = {
            "nom_contact": "Facultatif. Effacé automatiquement après le rendez-vous (voir réglages).",
            "telephone_contact": "Facultatif. Effacé automatiquement après le rendez-vous.",
        }

    def __init__(self, *args, services, lieux, intervenants, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["service"].choices = [(s, Service(s).label) for s in services]
        if len(services) == 1:
            self.fields["service"].initial = services[0]
        self.fields["lieu"].queryset = lieux
        self.fields["intervenant"].queryset = intervenants
        self.fields["heure"].required = True
        # Comme pour un passage : un nouveau rendez-vous n'a ni âge ni genre choisi d'avance ; la liste s'ouvre sur
        # « — À choisir — », et « Non communiqué » se choisit comme les autres.
        sans_preselection(self, kwargs.get("initial"))
        for champ in ("tranche_age", "genre"):
            if self.instance.pk is None and not self.initial.get(champ):
                self.fields[champ].choices = [("", "— À choisir —"), *self.fields[champ].choices]

    def clean(self):
        cleaned = super().clean()
        _verifier_demarche(self, cleaned)
        for jour in (self.instance.date if self.instance.pk else None, cleaned.get("date")):
            if message := message_hors_delai(jour, self.user, quoi="Ce rendez-vous", pronom="le"):
                self.add_error("date", message)
                break
        date, heure, intervenant = cleaned.get("date"), cleaned.get("heure"), cleaned.get("intervenant")
        duree = cleaned.get("duree_prevue_minutes")
        if date and heure and intervenant and duree:
            conflit = chercher_conflit(intervenant, date, heure, duree, exclure=self.instance.pk)
            if conflit:
                self.add_error(
                    "heure",
                    f"{intervenant} a déjà un rendez-vous qui chevauche ce créneau "
                    f"({heure_fr(conflit.heure)}, {conflit.duree_prevue_minutes} min).",
                )
        return cleaned


def chercher_conflit(intervenant, date, heure, duree, exclure=None):
    """Premier rendez-vous du même intervenant qui chevauche [heure, heure + durée[ ce jour-là."""
    debut = datetime.datetime.combine(date, heure)
    fin = debut + datetime.timedelta(minutes=duree)
    autres = (
        RendezVous.objects.filter(intervenant=intervenant, date=date, heure__isnull=False)
        .exclude(statut__in=[StatutRendezVous.ANNULE, StatutRendezVous.EXCUSE])
        .exclude(pk=exclure)
        .filter(Q(heure__lt=fin.time()) if fin.date() == date else Q())
    )
    for autre in autres:
        autre_debut = datetime.datetime.combine(date, autre.heure)
        autre_fin = autre_debut + datetime.timedelta(minutes=autre.duree_prevue_minutes)
        if autre_debut < fin and debut < autre_fin:
            return autre
    return None


class ResultatRendezVousForm(FormulaireDeModele):
    """Issue d'un rendez-vous : statut, durée réelle et nature de la demande."""

    class Meta:
        model = RendezVous
        fields = ["statut", "duree_minutes", "type_demande", "demarche", "motif", "tranche_age", "genre"]
        widgets = {
            "statut": BoutonsSegmentes,
            "type_demande": BoutonsSegmentes,
            "demarche": GrilleDemarches,
            "tranche_age": BoutonsSegmentes,
            "genre": BoutonsSegmentes,
            "duree_minutes": forms.NumberInput(
                attrs={"min": 1, "max": 480, "inputmode": "numeric", "class": "form-control champ-duree"}
            ),
        }
        error_messages = {"duree_minutes": MESSAGES_DUREE}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # Les mêmes boutons que pour un accompagnement en permanence : démarches et durées les plus fréquentes.
        intervenant = self.instance.intervenant if self.instance.intervenant_id else None
        jour = timezone.localdate()
        demarches = selecteurs.demarches_par_frequence(intervenant=intervenant, jour=jour)
        self.fields["demarche"].choices = [(d.pk, d.libelle) for d in demarches]
        self.durees_proposees = selecteurs.durees_proposees(intervenant=intervenant, jour=jour)

    def clean(self):
        cleaned = super().clean()
        if message := message_hors_delai(self.instance.date, self.user, quoi="Ce rendez-vous", pronom="le"):
            raise forms.ValidationError(message)
        statut = cleaned.get("statut")
        if statut == StatutRendezVous.HONORE:
            if not cleaned.get("duree_minutes"):
                self.add_error("duree_minutes", "Indiquez la durée réelle d'un rendez-vous honoré.")
            if not cleaned.get("type_demande"):
                self.add_error("type_demande", "Indiquez le type de demande d'un rendez-vous honoré.")
            if self.instance.date and self.instance.date > timezone.localdate():
                self.add_error("statut", "Un rendez-vous à venir ne peut pas être marqué honoré.")
        _verifier_demarche(self, cleaned)
        return cleaned


class FiltreAgendaForm(FormulaireProtege, forms.Form):
    semaine = forms.DateField(
        label="Semaine du", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    intervenant = forms.ModelChoiceField(
        label="Intervenant", queryset=Intervenant.objects.none(), required=False
    )
    lieu = forms.ModelChoiceField(label="Lieu", queryset=Lieu.objects.none(), required=False)

    def __init__(self, *args, intervenants, lieux, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["intervenant"].queryset = intervenants
        self.fields["lieu"].queryset = lieux
