from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from .enums import Role
from .forms import entier_ou_rien
from .models import ContactAnnuaire, Demarche, Structure
from .roles import espaces_de, role_requis


@login_required
def accueil_general(request):
    """Page d'accueil : envoie chaque rôle vers son espace, ou propose le choix s'il en a plusieurs."""
    espaces = espaces_de(request.user)
    if len(espaces) == 1:
        return redirect(espaces[0][2])
    return render(request, "inclusion/accueil.html", {"espaces": espaces})


def erreur_403(request, exception=None):
    return render(request, "403.html", status=403)


def erreur_404(request, exception=None):
    return render(request, "404.html", status=404)


def erreur_500(request):
    return render(request, "500.html", status=500)


def _demarche_demandee(request):
    valeur = request.GET.get("demarche", "")
    pk = entier_ou_rien(valeur)
    return Demarche.objects.filter(pk=pk).first() if pk else None


@role_requis(*Role.values)  # un compte sans rôle ne lit pas l'annuaire des partenaires
def annuaire(request):
    """Annuaire des contacts professionnels des partenaires, consultable par tous les rôles."""
    texte = request.GET.get("q", "")[:200]
    demarche = _demarche_demandee(request)
    contacts = (
        ContactAnnuaire.objects.rechercher(texte, demarche)
        .select_related("structure")
        .prefetch_related("demarches", "lieux", "quartiers")
    )
    return render(
        request,
        "inclusion/annuaire.html",
        {"contacts": contacts, "q": texte, "demarche": demarche, "demarches": Demarche.objects.actifs()},
    )


@role_requis(*Role.values)
def suggestions_orientation(request):
    """Fragment htmx : les structures qui traitent la démarche choisie (formulaire de passage)."""
    demarche = _demarche_demandee(request)
    structures = (
        Structure.objects.actifs().filter(contacts__demarches=demarche).distinct()
        if demarche
        else Structure.objects.none()
    )
    return render(
        request, "inclusion/includes/suggestions.html", {"structures": structures, "demarche": demarche}
    )


def mentions_legales(request):
    """Page publique : éditeur, direction de la publication, hébergeur et contact (réglages MENTIONS_*)."""
    return render(request, "inclusion/mentions_legales.html", {"mentions": settings.MENTIONS_LEGALES})


def accessibilite(request):
    """Page publique : la déclaration d'accessibilité et ce que vérifient les tests automatiques."""
    return render(request, "inclusion/accessibilite.html", {"mentions": settings.MENTIONS_LEGALES})
