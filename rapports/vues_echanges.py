"""Pages d'import et d'export de la coordination."""

from django import forms
from django.shortcuts import render
from django.utils import timezone

from inclusion.documents import reponse_fichier
from inclusion.enums import Role
from inclusion.forms import entier_ou_rien
from inclusion.roles import role_requis

from . import coop, echanges
from .models import FichierImporte


class TeleversementForm(forms.Form):
    fichier = forms.FileField(
        label="Archive zip des fichiers CSV, ou classeur XLSX (une feuille par fichier)"
    )
    essai = forms.BooleanField(label="Vérifier seulement (ne rien écrire)", required=False)


@role_requis(Role.COORDINATION)
def televersement(request):
    form = TeleversementForm(request.POST or None, request.FILES or None)
    resultat = erreurs = None
    if request.method == "POST" and form.is_valid():
        try:
            source = echanges.source_televersee(form.cleaned_data["fichier"])
            comptes, ignores = echanges.importer(source, user=request.user, essai=form.cleaned_data["essai"])
        except echanges.TeleversementRefuse as refus:
            form.add_error("fichier", str(refus))
        except echanges.ImportRefuse as refus:
            erreurs = refus.rapport
        else:
            resultat = {"comptes": comptes, "ignores": ignores, "essai": form.cleaned_data["essai"]}
    return render(
        request,
        "rapports/import.html",
        {
            "form": form,
            "resultat": resultat,
            "erreurs": erreurs,
            "fichiers": echanges.FICHIERS.values(),
            "derniers": FichierImporte.objects.select_related("importe_par")[:20],
        },
        status=400 if (erreurs or form.errors) else 200,
    )


def _annee(request):
    valeur = request.GET.get("annee", "")
    return entier_ou_rien(valeur, 2000, 2100)


@role_requis(Role.COORDINATION)
def exporter(request):
    annee = _annee(request)
    suffixe = f"-{annee}" if annee else f"-{timezone.localdate():%Y%m%d}"
    return reponse_fichier(
        lambda flux: echanges.ecrire_archive_zip(flux, annee),
        f"inclusion-export{suffixe}.zip",
        "application/zip",
    )


@role_requis(Role.COORDINATION)
def exporter_coop(request):
    annee = _annee(request) or timezone.localdate().year
    return coop.reponse_coop(annee)
