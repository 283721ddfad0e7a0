from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from .roles import espaces_of


@login_required
def accueil_general(request):
    """Page d'accueil : envoie chaque rôle vers son espace, ou propose le choix s'il en a plusieurs."""
    espaces = espaces_of(request.user)
    if len(espaces) == 1:
        return redirect(espaces[0][2])
    return render(request, "inclusion/accueil.html", {"espaces": espaces})


def erreur_403(request, exception=None):
    return render(request, "403.html", status=403)


def erreur_404(request, exception=None):
    return render(request, "404.html", status=404)


def erreur_500(request):
    return render(request, "500.html", status=500)
