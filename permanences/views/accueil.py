"""L'accueil : la tablette de la réception (un tap par arrivée ou refus), ses compteurs et son API."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_POST

from inclusion.enums import Role
from inclusion.json_sur import JsonRefuse, lire_json
from inclusion.models import Lieu, Structure
from inclusion.roles import a_un_role, role_requis

from .. import selecteurs, services
from ..enums import Genre, MotifRefus, TrancheAge
from ..models import Arrivee, Permanence, Refus
from ..widgets import LIBELLES_COURTS

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
                    # Le profil (arrivée) ou le motif (refus) : l'agent reconnaît le pointage qu'il annule.
                    **{
                        champ: getattr(p, champ)
                        for champ in ("tranche_age", "genre", "motif")
                        if getattr(p, champ, "")
                    },
                }
            )
    return sorted(derniers, key=lambda d: d["enregistre_le"])


@role_requis(Role.ACCUEIL)
@ensure_csrf_cookie
@never_cache  # jamais de compteurs périmés après « Retour » : la page est toujours redemandée
def accueil(request):
    permanences = list(_permanences_du_jour(request.user))
    prochaine = None
    if not permanences:
        prochaine = selecteurs.prochaine_permanence(
            lieux=Lieu.objects.accessibles_a(request.user), apres=timezone.localdate()
        )
    # « Mes lieux » d'abord, les autres derrière « Autres lieux » ; sans lieu choisi (ou un seul lieu), tout.
    habituels = set(request.user.lieux_habituels.values_list("lieu_id", flat=True))
    plusieurs_lieux = len({p.lieu_id for p in permanences}) > 1
    mes = [p for p in permanences if p.lieu_id in habituels]
    autres = [p for p in permanences if p.lieu_id not in habituels] if mes else []
    return render(
        request,
        "permanences/accueil.html",
        {
            "permanences": permanences,
            "mes_permanences": mes or permanences,
            "autres_permanences": autres,
            "habituels": habituels,
            "plusieurs_lieux": plusieurs_lieux,
            "libelles": {
                "tranche_age": dict(TrancheAge.choices),
                "genre": dict(Genre.choices),
                "motif": dict(MotifRefus.choices),
            },
            "prochaine": prochaine,
            "derniers": _derniers_pointages(permanences),
            "motifs_refus": MotifRefus.choices,
            "ages_accueil": [
                (code, *LIBELLES_COURTS[code])
                for code in TrancheAge.values
                if code != TrancheAge.NON_COMMUNIQUE
            ],
            "genres": [(code, nom) for code, nom in Genre.choices if code != Genre.NON_COMMUNIQUE],
            "structures": Structure.objects.actifs().only("pk", "nom"),
            "delai_annulation": settings.INCLUSION["DELAI_ANNULATION_POINTAGE_SECONDES"],
        },
    )


@role_requis(Role.ACCUEIL)
@require_POST
def mes_lieux(request):
    """Met un lieu dans « Mes lieux » de l'agent, ou l'en retire, puis revient à l'accueil."""
    try:
        services.garder_lieu_habituel(
            user=request.user, lieu_id=request.POST.get("lieu"), garder=request.POST.get("garder") == "1"
        )
    except services.PointageInvalide as erreur:
        messages.error(request, str(erreur))
    return redirect("permanences:accueil")


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
        "arrivees": permanence.nb_arrivees,
        "en_attente": permanence.nb_en_attente,
        "refus": permanence.nb_refus,
    }


def _erreur_json(message, status=400):
    return JsonResponse({"ok": False, "erreur": message}, status=status)


def _lire_json(request):
    try:
        donnees = lire_json(request.body or b"{}", taille_max=64 * 1024, profondeur_max=8)
    except JsonRefuse:
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
