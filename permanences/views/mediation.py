"""Les médiateurs : leurs permanences, la file d'attente, les passages, la création et l'annulation d'une permanence."""

import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from inclusion.annees_closes import cloture_de
from inclusion.enums import Role
from inclusion.forms import entier_ou_rien
from inclusion.models import Lieu
from inclusion.roles import intervenant_de, role_requis

from .. import selecteurs, services
from ..forms import (
    LIGNES_GROUPEES_MAX,
    AnnulationPermanenceForm,
    LignesGroupees,
    PassageForm,
    PassageGroupeForm,
    PermanenceForm,
    verifier_delai_saisie,
)
from ..models import Arrivee, Passage, Permanence

LIGNES_PROPOSEES = 5  # la saisie groupée s'ouvre sur 5 lignes au moins (une par arrivée sans passage)
DUREES_EN_BOUTONS = 5  # durées proposées en boutons sur chaque ligne (les autres : « Autre »)

# --- Médiateurs : mes permanences, file d'attente, passages ------------------------------------------


@role_requis(Role.MEDIATION)
def mes_permanences(request):
    aujourdhui = timezone.localdate()
    services.creer_permanences_du_jour(aujourdhui, Lieu.objects.accessibles_a(request.user))
    depuis = aujourdhui - datetime.timedelta(days=settings.INCLUSION["DELAI_SAISIE_PASSAGE_JOURS"])
    permanences = (
        Permanence.objects.visibles_par(request.user)
        .filter(date__gte=depuis, date__lte=aujourdhui)
        .select_related("lieu")
        .prefetch_related("intervenants")
        .avec_compteurs()
        .annotate(
            nb_a_completer=Count(
                "arrivees",
                filter=Q(
                    arrivees__annulee_le__isnull=True,
                    arrivees__prise_en_charge_le__isnull=False,
                    arrivees__passage__isnull=True,
                ),
                distinct=True,
            )
        )
        .order_by("-date", "heure_debut", "lieu__nom")
    )
    intervenant = intervenant_de(request.user)
    if intervenant is not None and request.GET.get("toutes") != "1":
        permanences = permanences.filter(Q(intervenants=intervenant) | Q(date=aujourdhui)).distinct()
    permanences = list(permanences)
    du_jour = [p for p in permanences if p.date == aujourdhui and not p.annulee]
    # La file de chaque permanence du jour, en une requête : l'accueil du médiateur la montre d'emblée.
    files = {p.pk: [] for p in du_jour}
    for arrivee in (
        Arrivee.objects.actifs()
        .filter(permanence__in=list(files), prise_en_charge_le__isnull=True)
        .order_by("horodatage", "id")
    ):
        files[arrivee.permanence_id].append(arrivee)
    return render(
        request,
        "permanences/mes_permanences.html",
        {
            "permanences": permanences,
            "du_jour": [(p, files[p.pk]) for p in du_jour],
            "aujourdhui": aujourdhui,
            "maintenant": timezone.now(),
            "toutes": request.GET.get("toutes") == "1",
        },
    )


def _permanence_visible(request, pk):
    return get_object_or_404(Permanence.objects.visibles_par(request.user).select_related("lieu"), pk=pk)


def _file(permanence):
    return list(
        Arrivee.objects.actifs()
        .filter(permanence=permanence, prise_en_charge_le__isnull=True)
        .order_by("horodatage", "id")
    )


@role_requis(Role.MEDIATION)
def permanence_detail(request, pk):
    permanence = _permanence_visible(request, pk)
    passages = permanence.passages.select_related("demarche", "intervenant").order_by("cree_le")
    a_completer = (
        Arrivee.objects.actifs()
        .filter(permanence=permanence, prise_en_charge_le__isnull=False, passage__isnull=True)
        .select_related("prise_en_charge_par")
    )
    return render(
        request,
        "permanences/permanence.html",
        {
            "permanence": permanence,
            "file": _file(permanence),
            "passages": passages,
            "a_completer": a_completer,
            "annulation_form": AnnulationPermanenceForm(),
            "maintenant": timezone.now(),
            "cloture": cloture_de(permanence.date),
        },
    )


@role_requis(Role.MEDIATION)
@never_cache
def file_attente(request, pk):
    """Fragment htmx de la file d'attente, relu toutes les 5 secondes."""
    permanence = _permanence_visible(request, pk)
    return render(
        request,
        "permanences/includes/file.html",
        {
            "permanence": permanence,
            "file": _file(permanence),
            "maintenant": timezone.now(),
            "cloture": cloture_de(permanence.date),
        },
    )


@role_requis(Role.MEDIATION)
@require_POST
def prendre_en_charge(request, pk):
    permanence = _permanence_visible(request, pk)
    intervenant = intervenant_de(request.user)
    if intervenant is None:
        messages.error(request, "Votre compte n'est lié à aucun intervenant : demandez-le à la coordination.")
        return redirect("permanences:permanence", pk=pk)
    arrivee = services.prendre_en_charge(permanence=permanence, intervenant=intervenant)
    if arrivee is None:
        messages.info(request, "Personne n'attend pour cette permanence.")
        return redirect("permanences:permanence", pk=pk)
    return redirect(f"{reverse('permanences:passage_nouveau', kwargs={'pk': pk})}?arrivee={arrivee.pk}")


@role_requis(Role.MEDIATION)
def passage_nouveau(request, pk):
    permanence = _permanence_visible(request, pk)
    erreur = verifier_delai_saisie(permanence, request.user)
    if erreur:
        messages.error(request, erreur)
        return redirect("permanences:permanence", pk=pk)
    arrivee = None
    arrivee_id = request.GET.get("arrivee") or request.POST.get("arrivee")
    if arrivee_id and entier_ou_rien(arrivee_id) is None:
        raise Http404("Arrivée inconnue.")
    if arrivee_id:
        arrivee = get_object_or_404(
            Arrivee.objects.actifs().filter(permanence=permanence, passage__isnull=True), pk=arrivee_id
        )
    intervenant = intervenant_de(request.user)
    jour = timezone.localdate()
    precedent = selecteurs.dernier_passage_du_jour(intervenant=intervenant, jour=jour)
    copie = precedent if request.GET.get("comme") == "precedent" else None
    initial = {}
    if copie is not None:
        champs = ("type_demande", "demarche", "duree_minutes", "autonomie", "tranche_age", "genre")
        initial.update({champ: getattr(copie, champ) for champ in champs})
    if arrivee is not None:
        # La durée écoulée depuis la prise en charge, si elle dit quelque chose (5 minutes au moins).
        if arrivee.prise_en_charge_le and "duree_minutes" not in initial:
            ecoulees = round((timezone.now() - arrivee.prise_en_charge_le).total_seconds() / 60)
            if ecoulees >= 5:
                initial["duree_minutes"] = min(480, ecoulees)
        # Le profil donné à l'accueil est celui de cette personne : il l'emporte sur la copie.
        initial.update(
            {k: v for k, v in (("tranche_age", arrivee.tranche_age), ("genre", arrivee.genre)) if v}
        )
    form = PassageForm(request.POST or None, initial=initial, intervenant=intervenant, jour=jour)
    if request.method == "POST" and form.is_valid():
        services.enregistrer_passage(
            form.save(commit=False), permanence=permanence, arrivee=arrivee, user=request.user
        )
        messages.success(request, "Passage enregistré.")
        return redirect("permanences:permanence", pk=pk)
    return render(
        request,
        "permanences/passage_form.html",
        {"form": form, "permanence": permanence, "arrivee": arrivee, "precedent": precedent, "copie": copie},
    )


@role_requis(Role.MEDIATION)
def passage_modifier(request, pk):
    passage = get_object_or_404(
        Passage.objects.select_related("permanence__lieu").filter(
            permanence__in=Permanence.objects.visibles_par(request.user)
        ),
        pk=pk,
    )
    erreur = verifier_delai_saisie(passage.permanence, request.user)
    if erreur:
        messages.error(request, erreur)
        return redirect("permanences:permanence", pk=passage.permanence_id)
    form = PassageForm(request.POST or None, instance=passage, intervenant=intervenant_de(request.user))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Passage modifié.")
        return redirect("permanences:permanence", pk=passage.permanence_id)
    return render(
        request,
        "permanences/passage_form.html",
        {"form": form, "permanence": passage.permanence, "passage": passage},
    )


@role_requis(Role.MEDIATION)
def permanence_nouvelle(request):
    form = PermanenceForm(
        request.POST or None, lieux=Lieu.objects.accessibles_a(request.user), user=request.user
    )
    if request.method == "POST" and form.is_valid():
        permanence = form.save()
        messages.success(request, f"Permanence créée : {permanence}.")
        return redirect("permanences:permanence", pk=permanence.pk)
    return render(request, "permanences/permanence_form.html", {"form": form})


@role_requis(Role.MEDIATION)
@require_POST
def permanence_annuler(request, pk):
    permanence = _permanence_visible(request, pk)
    form = AnnulationPermanenceForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Indiquez le motif de l'annulation.")
        return redirect("permanences:permanence", pk=pk)
    try:
        services.annuler_permanence(
            permanence, motif=form.cleaned_data["motif_annulation"], user=request.user
        )
        messages.success(request, "Permanence annulée.")
    except services.AnnulationImpossible as refus:
        messages.error(request, str(refus))
    return redirect("permanences:permanence", pk=pk)


@role_requis(Role.MEDIATION)
def saisie_groupee(request, pk):
    """Fin de permanence : tous les accompagnements qui n'ont pas pu être saisis au fil de l'eau, en une grille ;
    les arrivées sans passage sont proposées comme lignes ; tout ou rien."""
    permanence = _permanence_visible(request, pk)
    erreur = verifier_delai_saisie(permanence, request.user)
    if erreur:
        messages.error(request, erreur)
        return redirect("permanences:permanence", pk=pk)
    arrivees = {
        a.pk: a
        for a in Arrivee.objects.actifs()
        .filter(permanence=permanence, passage__isnull=True)
        .order_by("horodatage")
    }
    # Le profil noté à l'accueil est repris ; sinon rien n'est choisi d'avance (ni « Non communiqué »).
    initial = [
        {
            "arrivee": a.pk,
            **({"tranche_age": a.tranche_age} if a.tranche_age else {}),
            **({"genre": a.genre} if a.genre else {}),
        }
        for a in arrivees.values()
    ]
    intervenant = intervenant_de(request.user)
    jour = timezone.localdate()
    demarches = selecteurs.demarches_par_frequence(intervenant=intervenant, jour=jour)
    durees = selecteurs.durees_proposees(intervenant=intervenant, jour=jour, nombre=DUREES_EN_BOUTONS)
    plafond = max(LIGNES_GROUPEES_MAX, len(initial))
    Lignes = forms.formset_factory(
        PassageGroupeForm,
        formset=LignesGroupees,
        extra=max(0, LIGNES_PROPOSEES - len(initial)),
        max_num=plafond,
        absolute_max=plafond,
        validate_max=True,
    )
    options = {
        "initial": initial,
        "form_kwargs": {"choix_demarches": [(d.pk, d.libelle) for d in demarches], "durees": durees},
    }
    donnees = request.POST.copy() if request.method == "POST" else None
    ajouter = donnees is not None and "ajouter" in donnees
    if ajouter:
        total = entier_ou_rien(donnees.get("form-TOTAL_FORMS", ""), 0, plafond) or 0
        donnees["form-TOTAL_FORMS"] = str(min(total + 1, plafond))
    lignes = Lignes(donnees, **options)
    if donnees is not None and not ajouter and lignes.is_valid():
        remplies = lignes.lignes_remplies()
        a_enregistrer = []
        for form in remplies:
            arrivee = None
            if form.cleaned_data.get("arrivee") is not None:
                arrivee = arrivees.get(form.cleaned_data["arrivee"])
                if arrivee is None:
                    form.add_error(
                        None, "Cette arrivée n'est plus en attente de saisie (déjà saisie ou annulée)."
                    )
                    continue
            a_enregistrer.append((form.save(commit=False), arrivee))
        if not remplies:
            messages.error(request, "Aucune ligne remplie : rien n'a été enregistré.")
        elif all(not form.errors for form in remplies):
            services.enregistrer_saisie_groupee(
                permanence=permanence, lignes=a_enregistrer, user=request.user
            )
            n = len(a_enregistrer)
            messages.success(request, f"{n} passage{'s' if n > 1 else ''} enregistré{'s' if n > 1 else ''}.")
            return redirect("permanences:permanence", pk=pk)
    afficher_erreurs = donnees is not None and not ajouter
    return render(
        request,
        "permanences/saisie_groupee.html",
        {
            "permanence": permanence,
            "lignes": lignes,
            "arrivees": arrivees,
            "afficher_erreurs": afficher_erreurs,
            "a_completer": lignes.a_completer() if afficher_erreurs and lignes.is_bound else [],
            "plafond": plafond,
        },
        status=400 if donnees is not None and not ajouter else 200,
    )
