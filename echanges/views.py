"""Pages d'import et d'export de la coordination : le travail se fait en fond (travaux), dont la page suit
l'avancement et sert le document produit."""

import csv
import io
import json

from django import forms
from django.core.files.base import ContentFile
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from inclusion.echanges import ligne_sure
from inclusion.enums import Role
from inclusion.forms import entier_ou_rien
from inclusion.roles import role_requis
from travaux.enums import NatureTraitement
from travaux.models import Traitement
from travaux.services import demander, demander_import

from .chiffres_importes import ImportChiffresRefuse, declarer_un_autre_dispositif
from .data_inclusion import TAILLE_MAX_OCTETS
from .formats import FICHIERS
from .models import FichierImporte
from .schemas_nationaux import (
    lieux_mediation_numerique,
    lieux_non_publies,
    services_data_inclusion,
    structures_data_inclusion,
)
from .sources import TeleversementRefuse, source_televersee
from .standard_lieux import CHAMPS

coordination_requise = role_requis(Role.COORDINATION)


class TeleversementForm(forms.Form):
    fichier = forms.FileField(
        label="Archive zip des fichiers CSV, classeur XLSX (une feuille par fichier), ou un fichier CSV seul "
        "portant le nom d'un fichier déclaré (passages.csv…)"
    )
    essai = forms.BooleanField(label="Vérifier seulement (ne rien écrire)", required=False)


@coordination_requise
def televersement(request):
    form = TeleversementForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        fichier = form.cleaned_data["fichier"]
        try:
            source_televersee(fichier)  # garde-fous immédiats : taille, archive, chemins, bombes
        except TeleversementRefuse as refus:
            form.add_error("fichier", str(refus))
        else:
            fichier.seek(0)
            traitement = demander_import(fichier, essai=form.cleaned_data["essai"], demande_par=request.user)
            return redirect("rapports:traitement", pk=traitement.pk)
    return render(
        request,
        "echanges/import.html",
        {
            "form": form,
            "fichiers": FICHIERS.values(),
            "derniers": FichierImporte.objects.select_related("importe_par")[:20],
            "traitements": Traitement.objects.select_related("demande_par")[:10],
            "annee": timezone.localdate().year,
            "lieux_non_publies": lieux_non_publies(),
        },
        status=400 if form.errors else 200,
    )


def _annee(request):
    """L'année demandée (formulaire ou adresse), ou None : hors de 2000-2100 ou illisible, elle est ignorée."""
    return entier_ou_rien(request.POST.get("annee") or request.GET.get("annee", ""), 2000, 2100)


@coordination_requise
@require_POST
def exporter(request):
    traitement = demander(
        NatureTraitement.EXPORT_COMPLET, parametres={"annee": _annee(request)}, demande_par=request.user
    )
    return redirect("rapports:traitement", pk=traitement.pk)


@coordination_requise
@require_POST
def exporter_coop(request):
    annee = _annee(request) or timezone.localdate().year
    traitement = demander(NatureTraitement.EXPORT_COOP, parametres={"annee": annee}, demande_par=request.user)
    return redirect("rapports:traitement", pk=traitement.pk)


def _json(donnees, nom_fichier):
    reponse = HttpResponse(
        json.dumps(list(donnees), ensure_ascii=False, indent=1),
        content_type="application/json; charset=utf-8",
    )
    reponse["Content-Disposition"] = f'attachment; filename="{nom_fichier}"'
    return reponse


@coordination_requise
def lieux_json(request):
    """Les lieux au standard national des lieux de médiation numérique (le même contenu que l'API) ; un lieu
    incomplet n'y est pas (la page d'import dit ce qui lui manque)."""
    return _json(lieux_mediation_numerique(), "lieux-mediation-numerique.json")


@coordination_requise
def lieux_csv(request):
    # Le CSV du standard (tag standard_lieux.TAG) : virgule, UTF-8, ses 32 colonnes dans son ordre, vides si
    # nous n'avons rien.
    tampon = io.StringIO()
    ecrivain = csv.writer(tampon)
    ecrivain.writerow(CHAMPS)
    for lieu in lieux_mediation_numerique():
        ecrivain.writerow(ligne_sure([lieu.get(champ, "") for champ in CHAMPS]))
    reponse = HttpResponse(tampon.getvalue(), content_type="text/csv; charset=utf-8")
    reponse["Content-Disposition"] = 'attachment; filename="lieux-mediation-numerique.csv"'
    return reponse


@coordination_requise
def annuaire_data_inclusion(request, quoi):
    if quoi not in ("structures", "services"):
        raise Http404("Fichiers publiés : structures.json et services.json.")
    donnees = structures_data_inclusion() if quoi == "structures" else services_data_inclusion()
    return _json(donnees, f"data-inclusion-{quoi}.json")


class AnnuaireNationalForm(forms.Form):
    fichier = forms.FileField(
        label="Export data·inclusion des structures et services du territoire (JSON)", required=False
    )
    essai = forms.BooleanField(
        label="Vérifier seulement (ne rien écrire, montrer les changements)", required=False
    )
    ecraser = forms.BooleanField(
        label="Écraser aussi les champs modifiés à la main depuis le dernier import", required=False
    )
    # Relancer sur le fichier d'un import précédent (gardé un jour), avec les rapprochements cochés.
    reprendre = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)

    def clean(self):
        donnees = super().clean()
        reprendre = donnees.get("reprendre")
        if reprendre:
            precedent = Traitement.objects.filter(pk=reprendre, nature=NatureTraitement.ANNUAIRE).first()
            if precedent is None or not precedent.fichier:
                raise forms.ValidationError(
                    "Le fichier de cet import a été effacé (gardé un jour) : choisissez-le."
                )
            donnees["precedent"] = precedent
        elif not donnees.get("fichier"):
            self.add_error("fichier", "Choisissez le fichier de l'annuaire national.")
        return donnees


@coordination_requise
def import_annuaire(request):
    """L'annuaire national importé dans le nôtre (echanges.data_inclusion), en fond comme l'import CSV :
    tout ou rien, essai qui montre les changements champ par champ ; un rapprochement par le nom n'est fait que
    sur confirmation (cases cochées sur la page du travail, qui le relance sur le même fichier)."""
    form = AnnuaireNationalForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        precedent = d.get("precedent")
        if precedent is not None:
            with precedent.fichier.open("rb") as flux:
                fichier, nom = ContentFile(flux.read()), precedent.nom_fichier
        else:
            fichier, nom = d["fichier"], getattr(d["fichier"], "name", "annuaire.json")[-100:]
        if fichier.size > TAILLE_MAX_OCTETS:
            form.add_error(
                "fichier", f"Fichier trop volumineux ({TAILLE_MAX_OCTETS // 1024 // 1024} Mo au plus)."
            )
        else:
            traitement = demander(
                NatureTraitement.ANNUAIRE,
                parametres={
                    "essai": d["essai"],
                    "ecraser": d["ecraser"],
                    "rapprocher": [r[:200] for r in request.POST.getlist("rapprocher")[:1000]],
                },
                demande_par=request.user,
                fichier=fichier,
                nom_fichier=nom,
            )
            return redirect("rapports:traitement", pk=traitement.pk)
    return render(
        request, "echanges/import_annuaire.html", {"form": form}, status=400 if form.errors else 200
    )


class BilanExterneForm(forms.Form):
    source = forms.CharField(label="Dispositif d'où vient ce Bilan", max_length=150)
    fichier = forms.FileField(label="Son Bilan JSON (ou la réponse de son API, enregistrée dans un fichier)")


@coordination_requise
def import_bilan_externe(request):
    form = BilanExterneForm(request.POST or None, request.FILES or None)
    chiffre = None
    if request.method == "POST" and form.is_valid():
        fichier = form.cleaned_data["fichier"]
        try:
            chiffre = declarer_un_autre_dispositif(
                fichier.read(5 * 1024 * 1024 + 1), source=form.cleaned_data["source"], auteur=request.user
            )
        except ImportChiffresRefuse as refus:
            form.add_error("fichier", str(refus))
    return render(
        request,
        "echanges/import_bilan_externe.html",
        {"form": form, "chiffre": chiffre},
        status=400 if form.errors else 200,
    )
