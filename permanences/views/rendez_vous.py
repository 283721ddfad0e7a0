"""Les rendez-vous individuels (médiateurs du CCAS et informaticiens de l'ARCS) : agenda, saisie, issue."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from inclusion.annees_closes import annees_closes, cloture_de, message_si_annee_close
from inclusion.enums import Role
from inclusion.models import Intervenant
from inclusion.roles import intervenant_de, role_requis

from .. import services
from ..acces import (
    intervenants_pour_rendez_vous,
    lieux_pour_rendez_vous,
    peut_modifier_rendez_vous,
    services_de,
)
from ..enums import StatutRendezVous
from ..forms import (
    FiltreAgendaForm,
    RendezVousForm,
    ResultatRendezVousForm,
)
from ..models import RendezVous

# --- Rendez-vous individuels -------------------------------------------------------------------------

RENDEZ_VOUS_ROLES = (Role.MEDIATION, Role.ARCS)


def _debut_semaine(jour):
    return jour - datetime.timedelta(days=jour.weekday())


@role_requis(*RENDEZ_VOUS_ROLES)
def agenda(request):
    filtre = FiltreAgendaForm(
        request.GET or None,
        intervenants=Intervenant.objects.filter(
            Q(pk__in=intervenants_pour_rendez_vous(request.user).values("pk"))
            | Q(pk__in=RendezVous.objects.visibles_par(request.user).values("intervenant_id"))
        ),
        lieux=lieux_pour_rendez_vous(request.user),
    )
    semaine = timezone.localdate()
    rdvs = RendezVous.objects.visibles_par(request.user)
    if filtre.is_valid():
        semaine = filtre.cleaned_data["semaine"] or semaine
        if filtre.cleaned_data["intervenant"]:
            rdvs = rdvs.filter(intervenant=filtre.cleaned_data["intervenant"])
        if filtre.cleaned_data["lieu"]:
            rdvs = rdvs.filter(lieu=filtre.cleaned_data["lieu"])
    debut = _debut_semaine(semaine)
    jours = [debut + datetime.timedelta(days=i) for i in range(7)]
    rdvs = list(
        rdvs.filter(date__gte=debut, date__lt=debut + datetime.timedelta(days=7))
        .select_related("lieu", "intervenant", "demarche")
        .order_by("date", "heure")
    )
    colonnes = [(jour, [r for r in rdvs if r.date == jour]) for jour in jours]
    return render(
        request,
        "permanences/agenda.html",
        {
            "filtre": filtre,
            "colonnes": colonnes,
            "semaine_vide": not any(rdvs for _, rdvs in colonnes),
            "annees_closes": annees_closes(),
            "cloture": cloture_de(debut) or cloture_de(jours[-1]),
            "debut": debut,
            "precedente": debut - datetime.timedelta(days=7),
            "suivante": debut + datetime.timedelta(days=7),
            "parametres": request.GET.copy(),
            "nb_a_renseigner": RendezVous.objects.visibles_par(request.user)
            .a_renseigner(timezone.localdate())
            .count(),
        },
    )


@role_requis(*RENDEZ_VOUS_ROLES)
def rendez_vous_a_renseigner(request):
    rdvs = (
        RendezVous.objects.visibles_par(request.user)
        .a_renseigner(timezone.localdate())
        .select_related("lieu", "intervenant")
        .order_by("date", "heure")
    )
    return render(
        request, "permanences/a_renseigner.html", {"rendez_vous": rdvs, "annees_closes": annees_closes()}
    )


def _form_rendez_vous(request, instance=None):
    return RendezVousForm(
        request.POST or None,
        instance=instance,
        services=services_de(request.user),
        lieux=lieux_pour_rendez_vous(request.user),
        intervenants=intervenants_pour_rendez_vous(request.user),
        user=request.user,
        initial={"intervenant": intervenant_de(request.user)} if instance is None else None,
    )


@role_requis(*RENDEZ_VOUS_ROLES)
def rendez_vous_nouveau(request):
    form = _form_rendez_vous(request)
    if request.method == "POST" and form.is_valid():
        rdv = services.enregistrer_rendez_vous(form.save(commit=False), user=request.user)
        messages.success(request, "Rendez-vous enregistré.")
        return redirect(f"{reverse('permanences:agenda')}?semaine={rdv.date:%Y-%m-%d}")
    return render(
        request, "permanences/rendez_vous_form.html", {"form": form, "titre": "Nouveau rendez-vous"}
    )


def _rendez_vous_modifiable(request, pk):
    rdv = get_object_or_404(
        RendezVous.objects.visibles_par(request.user).select_related("lieu", "intervenant"), pk=pk
    )
    if not peut_modifier_rendez_vous(request.user, rdv):
        raise PermissionDenied("Vous ne pouvez modifier que vos propres rendez-vous.")
    return rdv


def _refus_annee_close(request, rdv):
    """Un rendez-vous d'une année close : le dire tout de suite, plutôt qu'un formulaire refusé à l'envoi."""
    if refus := message_si_annee_close(rdv.date):
        messages.error(request, refus)
        return redirect(f"{reverse('permanences:agenda')}?semaine={rdv.date:%Y-%m-%d}")
    return None


@role_requis(*RENDEZ_VOUS_ROLES)
def rendez_vous_modifier(request, pk):
    rdv = _rendez_vous_modifiable(request, pk)
    if refus := _refus_annee_close(request, rdv):
        return refus
    form = _form_rendez_vous(request, instance=rdv)
    if request.method == "POST" and form.is_valid():
        services.enregistrer_rendez_vous(form.save(commit=False), user=request.user)
        messages.success(request, "Rendez-vous modifié.")
        return redirect(f"{reverse('permanences:agenda')}?semaine={rdv.date:%Y-%m-%d}")
    return render(
        request,
        "permanences/rendez_vous_form.html",
        {"form": form, "titre": "Modifier ou déplacer le rendez-vous", "rdv": rdv},
    )


@role_requis(*RENDEZ_VOUS_ROLES)
def rendez_vous_resultat(request, pk):
    rdv = _rendez_vous_modifiable(request, pk)
    if refus := _refus_annee_close(request, rdv):
        return refus
    form = ResultatRendezVousForm(request.POST or None, instance=rdv, user=request.user)
    if request.method == "POST" and form.is_valid():
        if form.has_changed():
            form.save()
            messages.success(request, f"Issue du rendez-vous enregistrée : {rdv.get_statut_display()}.")
        else:
            messages.info(request, "Aucune modification : l'issue du rendez-vous est inchangée.")
        return redirect(
            "permanences:a_renseigner" if request.POST.get("retour") == "liste" else "permanences:agenda"
        )
    return render(
        request,
        "permanences/rendez_vous_resultat.html",
        {"form": form, "rdv": rdv, "statuts": StatutRendezVous},
    )
