"""La page qui suit un travail de fond (toutes les secondes, en htmx) et sert le document qu'il a produit."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from inclusion.enums import Role
from inclusion.roles import role_requis

from .deroulement import constater_les_arrets, progression_de
from .enums import NatureTraitement, StatutTraitement
from .models import Traitement
from .services import place_dans_la_file, sans_processus_de_fond

coordination_requise = role_requis(Role.COORDINATION)


@coordination_requise
def traitement(request, pk):
    """Où en est un travail : la page entière, ou (htmx, toutes les secondes) le seul cadre d'avancement."""
    suivi = get_object_or_404(Traitement.objects.select_related("demande_par"), pk=pk)
    if not suivi.fini:
        constater_les_arrets([suivi])
        suivi.refresh_from_db()
    contexte = {"t": suivi, "avancement": avancement(suivi)}
    if request.htmx:
        return render(request, "travaux/traitements/_etat.html", contexte)
    return render(request, "travaux/traitements/traitement.html", contexte)


@coordination_requise
def traitement_fichier(request, pk):
    suivi = get_object_or_404(Traitement, pk=pk)
    if (
        suivi.nature in (NatureTraitement.IMPORT, NatureTraitement.ANNUAIRE)
        or suivi.statut != StatutTraitement.TERMINE
        or not suivi.fichier
    ):
        raise Http404("Aucun document à télécharger pour ce travail (pas encore prêt, échoué ou effacé).")
    try:
        flux = suivi.fichier.open("rb")
    except FileNotFoundError:
        raise Http404("Ce document a été effacé (conservé un jour) : demandez-le de nouveau.") from None
    return FileResponse(flux, as_attachment=True, filename=suivi.nom_fichier)


def avancement(suivi):
    """Ce que montre la barre : fraction faite, lignes lues par fichier, erreurs, temps passé et restant."""
    p = progression_de(suivi)
    fichiers = p.get("fichiers", {})
    total = sum(f.get("total", 0) for f in fichiers.values())
    fait = sum(f.get("fait", 0) for f in fichiers.values())
    fraction = 1.0 if suivi.statut == StatutTraitement.TERMINE else (fait / total if total else 0.0)
    secondes = p.get("secondes")
    if suivi.statut == StatutTraitement.EN_COURS and suivi.commence_le:
        secondes = (timezone.now() - suivi.commence_le).total_seconds()
    restant = None
    if secondes and 0.02 < fraction < 1:
        restant = secondes * (1 - fraction) / fraction
    return {
        "pourcent": round(fraction * 100),
        "fichiers": [{"nom": nom, **f} for nom, f in fichiers.items()],
        "erreurs": p.get("erreurs", 0),
        "secondes": secondes,
        "restant": restant,
        "place": place_dans_la_file(suivi) if not suivi.fini else 0,
        "attend_un_autre_import": p.get("attend_un_autre_import", False),
        "sans_processus": sans_processus_de_fond(suivi),
    }
