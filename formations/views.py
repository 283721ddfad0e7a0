import datetime

from django.contrib import messages
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from inclusion.annees_closes import cloture_de, message_si_annee_close
from inclusion.documents import reponse_pdf, reponse_xlsx
from inclusion.enums import Role
from inclusion.forms import entier_ou_rien
from inclusion.roles import role_requis

from . import services
from .enums import Presence, StatutSession
from .forms import (
    AccompagnementFormationForm,
    AnnulationSessionForm,
    InscriptionForm,
    SessionFormationForm,
    ThemeForm,
)
from .models import AccompagnementFormation, Inscription, SessionFormation, Theme

formation_requise = role_requis(Role.FORMATION)


@formation_requise
def sessions(request):
    annee = entier_ou_rien(request.GET.get("annee", ""), 2000, 2100) or timezone.localdate().year
    liste = list(
        SessionFormation.objects.de_l_annee(annee)
        .select_related("theme", "lieu", "formateur")
        .avec_compteurs()
        .order_by("date", "heure_debut")
    )
    return render(
        request,
        "formations/sessions.html",
        {"sessions": liste, "annee": annee, "a_annuler": [s for s in liste if s.a_annuler]},
    )


@formation_requise
def session_nouvelle(request):
    form = SessionFormationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        session = form.save()
        messages.success(request, "Session programmée.")
        return redirect("formations:session", pk=session.pk)
    return render(request, "formations/form.html", {"form": form, "titre": "Programmer une session"})


@formation_requise
def session_modifier(request, pk):
    session = get_object_or_404(SessionFormation, pk=pk)
    if refus := message_si_annee_close(session.date):
        messages.error(request, refus)  # pas de formulaire entier pour l'apprendre en enregistrant
        return redirect("formations:session", pk=pk)
    form = SessionFormationForm(request.POST or None, instance=session, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        services.promouvoir_liste_attente(session)
        messages.success(request, "Session modifiée.")
        return redirect("formations:session", pk=pk)
    return render(request, "formations/form.html", {"form": form, "titre": "Modifier la session"})


def _session(pk):
    return get_object_or_404(SessionFormation.objects.select_related("theme", "lieu", "formateur"), pk=pk)


@formation_requise
def session_detail(request, pk):
    session = _session(pk)
    cloture = cloture_de(session.date)
    form = InscriptionForm(request.POST or None)
    if request.method == "POST" and cloture:
        messages.error(request, message_si_annee_close(session.date))
        return redirect("formations:session", pk=pk)
    if request.method == "POST" and form.is_valid():
        try:
            inscription = services.inscrire(session=session, **form.cleaned_data)
        except services.RegleFormation as erreur:
            form.add_error(None, str(erreur))
        else:
            if inscription.liste_attente:
                messages.warning(request, f"Session complète : {inscription.nom} est sur liste d'attente.")
            else:
                messages.success(request, f"{inscription.nom} est inscrit·e.")
            return redirect("formations:session", pk=pk)
    inscriptions = list(session.inscriptions.select_related("structure"))
    return render(
        request,
        "formations/session.html",
        {
            "session": session,
            "form": form,
            "confirmees": [i for i in inscriptions if not i.liste_attente],
            "attente": [i for i in inscriptions if i.liste_attente],
            "annulation_form": AnnulationSessionForm(),
            "Presence": Presence,
            "StatutSession": StatutSession,
            "cloture": cloture,
        },
    )


@formation_requise
@require_POST
def presence(request, pk):
    inscription = get_object_or_404(Inscription.objects.select_related("session", "structure"), pk=pk)
    erreur = None
    try:
        services.marquer_presence(inscription, request.POST.get("present", ""))
    except services.RegleFormation as e:
        erreur = str(e)
    if request.htmx:
        return render(
            request,
            "formations/includes/inscription.html",
            {"i": inscription, "erreur": erreur, "Presence": Presence},
            status=400 if erreur else 200,
        )
    if erreur:
        messages.error(request, erreur)
    return redirect("formations:session", pk=inscription.session_id)


@formation_requise
@require_POST
def desinscrire(request, pk):
    inscription = get_object_or_404(Inscription, pk=pk)
    promues = services.desinscrire(inscription)
    messages.success(
        request,
        "Inscription retirée."
        + (f" {promues[0].nom} passe de la liste d'attente à inscrit·e." if promues else ""),
    )
    return redirect("formations:session", pk=inscription.session_id)


@formation_requise
@require_POST
def session_tenue(request, pk):
    session = _session(pk)
    try:
        services.marquer_tenue(session, user=request.user)
        messages.success(request, "Session marquée tenue.")
    except services.RegleFormation as erreur:
        messages.error(request, str(erreur))
    return redirect("formations:session", pk=pk)


@formation_requise
@require_POST
def session_annuler(request, pk):
    session = _session(pk)
    try:
        services.annuler(session, request.POST.get("motif", ""), user=request.user)
        messages.success(request, "Session annulée ; les inscriptions sont conservées.")
    except services.RegleFormation as erreur:
        messages.error(request, str(erreur))
    return redirect("formations:session", pk=pk)


@formation_requise
def emargement(request, pk):
    session = _session(pk)
    inscriptions = session.inscriptions.filter(liste_attente=False).select_related("structure")
    return reponse_pdf(
        request,
        "formations/emargement.html",
        {"session": session, "inscriptions": inscriptions},
        f"emargement-{session.date:%Y-%m-%d}-{session.pk}.pdf",
    )


@formation_requise
def export_inscriptions(request, pk):
    session = _session(pk)
    lignes = [
        (
            i.nom,
            i.email,
            i.structure.nom,
            "liste d'attente" if i.liste_attente else "confirmée",
            i.get_present_display(),
            timezone.localtime(i.date_inscription).strftime("%d/%m/%Y %H:%M"),
        )
        for i in session.inscriptions.select_related("structure")
    ]
    entetes = ("Nom", "Courriel", "Structure", "Inscription", "Présence", "Inscrit le")
    return reponse_xlsx(
        {"Inscriptions": (entetes, lignes)}, f"inscriptions-{session.date:%Y-%m-%d}-{session.pk}.xlsx"
    )


@formation_requise
def themes(request):
    form = ThemeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Thème ajouté.")
        return redirect("formations:themes")
    liste = Theme.objects.annotate(nb_sessions=Count("sessions")).order_by("-actif", "nom")
    return render(request, "formations/themes.html", {"themes": liste, "form": form})


@formation_requise
def theme_modifier(request, pk):
    theme = get_object_or_404(Theme, pk=pk)
    form = ThemeForm(request.POST or None, instance=theme)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Thème modifié.")
        return redirect("formations:themes")
    return render(request, "formations/form.html", {"form": form, "titre": f"Modifier le thème « {theme} »"})


@formation_requise
def accompagnements(request):
    form = AccompagnementFormationForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Accompagnement enregistré.")
        return redirect("formations:accompagnements")
    debut = datetime.date(timezone.localdate().year, 1, 1)
    liste = AccompagnementFormation.objects.select_related("structure", "theme").filter(date__gte=debut)
    total = liste.aggregate(nombre=Count("id"), minutes=Sum("duree_minutes"))
    return render(
        request, "formations/accompagnements.html", {"accompagnements": liste, "form": form, "total": total}
    )
