import datetime

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import http_date
from django.views.decorators.http import require_POST

from inclusion.annees_closes import AnneeClose
from inclusion.enums import Role
from inclusion.roles import role_requis
from travaux.enums import StatutTraitement

from . import rendus, services
from .bilan import Periode, comparer_periodes, json_du_bilan, message_aucune_donnee
from .enums import FormatRendu, SectionBilan
from .forms import FiltreForm, PointAnalyseForm
from .models import PointAnalyse, PublicationBilan
from .presentation import contexte_bilan, etat_de_publication, reponse_publiee
from .travaux import demander_export_tableau

coordination_requise = role_requis(Role.COORDINATION)
ANNEE_MIN, ANNEE_MAX = 2000, 2100


def _annee_valide(annee):
    if not ANNEE_MIN <= annee <= ANNEE_MAX:
        raise Http404("Année hors limites.")
    return annee


def _filtre(request):
    if request.GET:
        form = FiltreForm(request.GET)
    else:
        initial = FiltreForm.valeurs_initiales()
        form = FiltreForm(initial=initial)
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        return (
            form,
            Periode(d["debut"], d["fin"] + datetime.timedelta(days=1)),
            list(d["lieux"]),
            list(d["intervenants"]),
        )
    initial = form.initial if not form.is_bound else FiltreForm.valeurs_initiales()
    return form, Periode(initial["debut"], initial["fin"] + datetime.timedelta(days=1)), None, None


@coordination_requise
def tableau_de_bord(request):
    form, periode, lieux, intervenants = _filtre(request)
    comparaison = comparer_periodes(periode, lieux=lieux, intervenants=intervenants)
    contexte = contexte_bilan(comparaison)
    contexte.update(
        {
            "form": form,
            "periode": periode,
            "fin_incluse": periode.fin - datetime.timedelta(days=1),
            "avant": periode.un_an_avant(),
            "requete": request.GET.urlencode(),
            "annees_bilan": range(datetime.date.today().year, datetime.date.today().year - 4, -1),
        }
    )
    return render(request, "rapports/tableau_de_bord.html", contexte)


@coordination_requise
@require_POST
def export_xlsx(request):
    """Le classeur des indicateurs sous les filtres de l'adresse : produit en fond, puis téléchargé."""
    form, periode, lieux, intervenants = _filtre(request)
    return demander_export_tableau(request, periode, lieux, intervenants)


def _bilan_de(request, annee):
    """La comparaison de l'année, ou la réponse qui refuse un Bilan sans aucune donnée."""
    comparaison = comparer_periodes(Periode.annee(_annee_valide(annee)))
    if comparaison.a_des_donnees:
        return comparaison, None
    message = message_aucune_donnee(annee)
    if request.path.endswith(".json"):
        return None, JsonResponse({"erreur": message}, status=404, json_dumps_params={"ensure_ascii": False})
    return None, render(request, "rapports/bilan_vide.html", {"annee": annee, "message": message}, status=404)


@coordination_requise
def bilan_html(request, annee):
    comparaison, refus = _bilan_de(request, annee)
    if refus:
        return refus
    contexte = contexte_bilan(comparaison)
    contexte["publication"] = etat_de_publication(comparaison, contexte["lignes"])
    contexte["confirmer_publication"] = request.GET.get("confirmer") == "publier"
    contexte["rendu"] = _etat_du_pdf(annee, request.user, close=contexte["publication"]["close"])
    contexte["formulaires_nouveaux"] = {
        s: PointAnalyseForm(auto_id=f"id_nouveau_{s}_%s") for s in SectionBilan.values
    }
    return render(request, "rapports/bilan.html", contexte)


def _etat_du_pdf(annee, user, *, close=False):
    """Le PDF stocké de l'année : à jour, ou daté et en cours de mise à jour, ou pas encore rendu ; le rendu qui
    manque est demandé ici (en file, fait par un processus de fond) s'il ne l'est pas déjà. Une année close sert sa
    version publiée : rien n'est demandé. `echec` : le dernier rendu demandé a échoué (il est redemandé)."""
    if close:
        return {}
    dernier, a_jour = rendus.etat_du_rendu(annee, FormatRendu.PDF)
    if a_jour:
        return {"dernier": dernier, "a_jour": True}
    precedent = rendus.dernier_travail(annee)  # une requête dit s'il est en route ou s'il a échoué
    echec = precedent if precedent is not None and precedent.statut == StatutTraitement.ECHOUE else None
    travail = rendus.preparer(annee, demande_par=user, dernier=precedent)
    return {"dernier": dernier, "a_jour": False, "travail": travail, "echec": echec}


def _bilan_rendu(request, annee, format):
    """Le document stocké s'il correspond aux données ; sinon le dernier, daté, pendant qu'un processus de fond
    rend le nouveau. Une année jamais rendue est mise en file comme les autres (la requête ne rend rien) : la
    réponse mène à la page qui suit ce rendu, et d'où le document se télécharge quand il est prêt."""
    _annee_valide(annee)
    dernier, a_jour = rendus.etat_du_rendu(annee, format)
    if dernier is None:
        _, refus = _bilan_de(request, annee)
        if refus:
            return refus
        travail = rendus.preparer_si_perime(annee, demande_par=request.user, a_jour=False)
        return redirect("rapports:traitement", pk=travail.pk)
    if not a_jour:
        rendus.preparer_si_perime(annee, demande_par=request.user, a_jour=False)
    type_contenu = "application/pdf" if format == FormatRendu.PDF else "text/html; charset=utf-8"
    reponse = FileResponse(
        dernier.fichier.open("rb"),
        as_attachment=True,
        filename=f"bilan-{annee}.{format}",
        content_type=type_contenu,
    )
    reponse["Last-Modified"] = http_date(dernier.rendu_le.timestamp())
    reponse["X-Bilan-Rendu"] = "a-jour" if a_jour else "mise-a-jour-en-cours"
    return reponse


@coordination_requise
def bilan_pdf(request, annee):
    if publication := PublicationBilan.objects.en_vigueur(annee):  # une année close : sa version publiée
        return reponse_publiee(publication, "pdf")
    return _bilan_rendu(request, annee, FormatRendu.PDF)


@coordination_requise
def bilan_document_html(request, annee):
    return _bilan_rendu(request, annee, FormatRendu.HTML)


@coordination_requise
def bilan_json(request, annee):
    if publication := PublicationBilan.objects.en_vigueur(annee):  # une année close : sa version publiée
        return reponse_publiee(publication)
    comparaison, refus = _bilan_de(request, annee)
    if refus:
        return refus
    return HttpResponse(json_du_bilan(comparaison), content_type="application/json")


def _retour_a_la_section(annee, section):
    return redirect(reverse("rapports:bilan", kwargs={"annee": annee}) + f"#section-{section}")


@coordination_requise
@require_POST
def point_ajouter(request, annee, section):
    _annee_valide(annee)
    if section not in SectionBilan.values:
        raise Http404("Section inconnue.")
    form = PointAnalyseForm(request.POST)
    if form.is_valid():
        try:
            services.ajouter_point(annee=annee, section=section, auteur=request.user, **form.cleaned_data)
        except AnneeClose as refus:
            messages.error(request, "Point non enregistré : " + refus.message)
        else:
            messages.success(request, f"Point ajouté à « {SectionBilan(section).label} ».")
    else:
        messages.error(request, "Point non enregistré : " + _erreurs(form))
    return _retour_a_la_section(annee, section)


@coordination_requise
@require_POST
def point_modifier(request, pk):
    point = get_object_or_404(PointAnalyse, pk=pk)
    form = PointAnalyseForm(request.POST, instance=PointAnalyse(annee=point.annee, section=point.section))
    if form.is_valid():
        try:
            modifie = services.modifier_point(point, auteur=request.user, **form.cleaned_data)
        except AnneeClose as refus:
            messages.error(request, "Point non modifié : " + refus.message)
        else:
            if modifie:
                messages.success(request, f"Point de « {point.get_section_display()} » modifié.")
            else:
                messages.info(request, "Aucune modification.")
    else:
        messages.error(request, "Point non modifié : " + _erreurs(form))
    return _retour_a_la_section(point.annee, point.section)


@coordination_requise
@require_POST
def point_supprimer(request, pk):
    point = get_object_or_404(PointAnalyse, pk=pk)
    try:
        services.supprimer_point(point)
    except AnneeClose as refus:
        messages.error(request, "Point non supprimé : " + refus.message)
    else:
        messages.success(
            request, f"Point de « {point.get_section_display()} » supprimé (il reste dans l'historique)."
        )
    return _retour_a_la_section(point.annee, point.section)


def _erreurs(form):
    return " ".join(str(m) for erreurs in form.errors.values() for m in erreurs)


@coordination_requise
@require_POST
def publier(request, annee):
    _annee_valide(annee)
    try:
        publication = services.publier_bilan(annee, auteur=request.user)
    except services.PublicationRefusee as refus:
        messages.error(request, str(refus))
    else:
        messages.success(
            request,
            f"Bilan {annee} publié (version {publication.version}) : l'année {annee} est close. Ses données "
            "ne changent plus ; la coordination peut la rouvrir, avec un motif.",
        )
    return redirect("rapports:bilan", annee=annee)


@coordination_requise
@require_POST
def rouvrir(request, annee):
    _annee_valide(annee)
    try:
        services.rouvrir_annee(annee, motif=request.POST.get("motif", ""), auteur=request.user)
    except services.PublicationRefusee as refus:
        messages.error(request, str(refus))
    else:
        messages.success(request, f"L'année {annee} est rouverte ; le motif est gardé dans l'historique.")
    return redirect("rapports:bilan", annee=annee)


@coordination_requise
def publication(request, annee, version, format):
    if format not in ("pdf", "json"):
        raise Http404("Format inconnu.")
    publiee = get_object_or_404(PublicationBilan, annee=annee, version=version)
    if format == "pdf":
        reponse = HttpResponse(bytes(publiee.pdf), content_type="application/pdf")
    else:
        reponse = HttpResponse(publiee.json, content_type="application/json")
    reponse["Content-Disposition"] = f'attachment; filename="bilan-{annee}-version-{version}.{format}"'
    return reponse
