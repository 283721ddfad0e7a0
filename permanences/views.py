import datetime
import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_POST

from inclusion.enums import Role
from inclusion.forms import entier_ou_rien
from inclusion.models import Intervenant, Lieu, Structure
from inclusion.roles import a_un_role, intervenant_de, role_requis

from . import services
from .acces import (
    intervenants_pour_rendez_vous,
    lieux_pour_rendez_vous,
    peut_modifier_rendez_vous,
    services_de,
)
from .enums import Genre, MotifRefus, StatutRendezVous, TrancheAge
from .forms import (
    AnnulationPermanenceForm,
    FiltreAgendaForm,
    PassageForm,
    PermanenceForm,
    RendezVousForm,
    ResultatRendezVousForm,
    verifier_delai_saisie,
)
from .models import Arrivee, Passage, Permanence, Refus, RendezVous

# --- Accueil ----------------------------------------------------------------------------------------


def _permanences_du_jour(user):
    jour = timezone.localdate()
    lieux = Lieu.objects.accessibles_a(user)
    services.creer_permanences_du_jour(jour, lieux)
    return (
        Permanence.objects.filter(date=jour, lieu__in=lieux)
        .select_related("lieu")
        .avec_compteurs()
        .order_by("lieu__nom", "heure_debut")
    )


def _derniers_pointages(permanences):
    """Pointages des deux dernières minutes (annulables), arrivées et refus confondus : 2 requêtes."""
    depuis = timezone.now() - datetime.timedelta(
        seconds=settings.INCLUSION["DELAI_ANNULATION_POINTAGE_SECONDES"]
    )
    ids = [p.pk for p in permanences]
    derniers = []
    for modele, type_pointage in ((Arrivee, "arrivee"), (Refus, "refus")):
        for p in modele.objects.actifs().filter(permanence_id__in=ids, enregistre_le__gte=depuis):
            derniers.append(
                {
                    "uuid": str(p.uuid),
                    "type": type_pointage,
                    "permanence": p.permanence_id,
                    "horodatage": p.horodatage.isoformat(),
                    "enregistre_le": p.enregistre_le.isoformat(),
                }
            )
    return sorted(derniers, key=lambda d: d["enregistre_le"])


@role_requis(Role.ACCUEIL)
@ensure_csrf_cookie
@never_cache  # jamais de compteurs périmés après « Retour » : la page est toujours redemandée
def accueil(request):
    permanences = list(_permanences_du_jour(request.user))
    return render(
        request,
        "permanences/accueil.html",
        {
            "permanences": permanences,
            "derniers": _derniers_pointages(permanences),
            "motifs_refus": MotifRefus.choices,
            "tranches_age": TrancheAge.choices,
            "genres": Genre.choices,
            "structures": Structure.objects.actifs().only("pk", "nom"),
            "delai_annulation": settings.INCLUSION["DELAI_ANNULATION_POINTAGE_SECONDES"],
        },
    )


def service_worker(request):
    """Service worker de l'accueil (public : ne contient aucune donnée, seulement des adresses de fichiers)."""
    reponse = render(request, "permanences/sw-accueil.js", content_type="application/javascript")
    reponse["Cache-Control"] = "no-cache"
    return reponse


@role_requis(Role.ACCUEIL)
@never_cache
def accueil_compteurs(request):
    """Compteurs des permanences du jour (JSON), relus régulièrement par la page d'accueil."""
    permanences = _permanences_du_jour(request.user)
    return JsonResponse({"compteurs": {str(p.pk): _compteurs(p) for p in permanences}})


def _compteurs(permanence):
    return {
        "recus": permanence.nb_arrivees,
        "en_attente": permanence.nb_en_attente,
        "refus": permanence.nb_refus,
    }


def _erreur_json(message, status=400):
    return JsonResponse({"ok": False, "erreur": message}, status=status)


def _lire_json(request):
    try:
        donnees = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise services.PointageInvalide("Requête illisible : JSON attendu.") from None
    if not isinstance(donnees, dict):
        raise services.PointageInvalide("Requête illisible : objet JSON attendu.")
    return donnees


def _api_accueil(view):
    """Point d'entrée JSON de l'accueil : 401/403 en JSON plutôt qu'une redirection vers la connexion."""

    def wrapper(request):
        if not request.user.is_authenticated:
            return _erreur_json("Session expirée : reconnectez-vous. Vos pointages sont conservés.", 401)
        if not a_un_role(request.user, Role.ACCUEIL):
            return _erreur_json("Ce pointage est réservé aux agents d'accueil.", 403)
        try:
            return view(request, _lire_json(request))
        except services.PointageInvalide as erreur:
            return _erreur_json(str(erreur))

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return require_POST(wrapper)


def _horodatage(valeur):
    """L'heure du pointage en UTC, ou None si elle est absente, mal formée ou impossible (30 février, 25 h,
    décalage de 99 h, années hors de portée) : le service refuse alors avec un message."""
    if not isinstance(valeur, str) or len(valeur) >= 40:
        return None
    try:
        horodatage = parse_datetime(valeur)
        if horodatage is None:
            return None
        if timezone.is_naive(horodatage):
            horodatage = timezone.make_aware(horodatage)
        return horodatage.astimezone(datetime.UTC)  # la base ne voit jamais un décalage exotique (+23:59)
    except (ValueError, OverflowError):
        return None


def _texte(donnees, cle, longueur=40):
    valeur = donnees.get(cle) or ""
    if not isinstance(valeur, str) or len(valeur) > longueur:
        raise services.PointageInvalide(f"Valeur invalide pour « {cle} ».")
    return valeur


@_api_accueil
def pointer(request, donnees):
    """Enregistre un pointage (arrivée ou refus) ; idempotent par UUID."""
    horodatage = _horodatage(donnees.get("horodatage"))
    resultat = services.enregistrer_pointage(
        user=request.user,
        uuid=_texte(donnees, "uuid", 64),
        type_pointage=_texte(donnees, "type"),
        permanence_id=donnees.get("permanence") if isinstance(donnees.get("permanence"), int | str) else None,
        horodatage=horodatage,
        motif=_texte(donnees, "motif"),
        tranche_age=_texte(donnees, "tranche_age"),
        genre=_texte(donnees, "genre"),
        oriente_vers=donnees.get("oriente_vers")
        if isinstance(donnees.get("oriente_vers"), int | str)
        else None,
    )
    # Pas de compteurs ici (chemin chaud) : la page ajoute chaque pointage acquitté et relit les compteurs
    # régulièrement (accueil_compteurs).
    return JsonResponse(
        {"ok": True, "cree": resultat.cree, "uuid": str(resultat.pointage.uuid)},
        status=201 if resultat.cree else 200,
    )


@_api_accueil
def annuler_pointage(request, donnees):
    """Annule un pointage récent (conservé comme annulé)."""
    pointage = services.annuler_pointage(user=request.user, uuid=_texte(donnees, "uuid", 64))
    permanence = Permanence.objects.avec_compteurs().get(pk=pointage.permanence_id)
    return JsonResponse({"ok": True, "uuid": str(pointage.uuid), "compteurs": _compteurs(permanence)})


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
    return render(
        request,
        "permanences/mes_permanences.html",
        {"permanences": permanences, "aujourdhui": aujourdhui, "toutes": request.GET.get("toutes") == "1"},
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
        {"permanence": permanence, "file": _file(permanence), "maintenant": timezone.now()},
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
    initial = {}
    if arrivee is not None:
        if arrivee.prise_en_charge_le:
            initial["duree_minutes"] = max(
                1, min(480, round((timezone.now() - arrivee.prise_en_charge_le).total_seconds() / 60))
            )
        initial.update(
            {k: v for k, v in (("tranche_age", arrivee.tranche_age), ("genre", arrivee.genre)) if v}
        )
    form = PassageForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        passage = form.save(commit=False)
        passage.permanence = permanence
        passage.arrivee = arrivee
        passage.intervenant = intervenant_de(request.user)
        passage.cree_par = request.user
        passage.attente_minutes = services.attente_minutes(arrivee)
        passage.save()
        messages.success(request, "Passage enregistré.")
        return redirect("permanences:permanence", pk=pk)
    return render(
        request, "permanences/passage_form.html", {"form": form, "permanence": permanence, "arrivee": arrivee}
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
    form = PassageForm(request.POST or None, instance=passage)
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
    jours = [debut + datetime.timedelta(days=i) for i in range(6)]
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
    return render(request, "permanences/a_renseigner.html", {"rendez_vous": rdvs})


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
        rdv = form.save(commit=False)
        rdv.cree_par = request.user
        if not peut_modifier_rendez_vous(request.user, rdv):
            raise PermissionDenied("Vous ne pouvez pas créer ce rendez-vous.")
        rdv.save()
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


@role_requis(*RENDEZ_VOUS_ROLES)
def rendez_vous_modifier(request, pk):
    rdv = _rendez_vous_modifiable(request, pk)
    form = _form_rendez_vous(request, instance=rdv)
    if request.method == "POST" and form.is_valid():
        form.save()
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
