"""L'adresse du client derrière le proxy HTTPS documenté, pour le verrouillage des connexions (django-axes).

Derrière N proxys de confiance (NOMBRE_PROXYS_DE_CONFIANCE), chacun ajoute à X-Forwarded-For l'adresse qu'il
voit : l'adresse du client est la N-ième en partant de la fin. Sans proxy déclaré (0, par défaut), l'en-tête
est ignoré : s'y fier sans proxy laisserait n'importe qui choisir son adresse (et verrouiller celle d'un autre).
"""

import ipaddress

from django.conf import settings


def _adresse_valide(texte):
    try:
        return str(ipaddress.ip_address(texte.strip()))
    except ValueError:
        return None


def adresse_du_client(request):
    distante = request.META.get("REMOTE_ADDR")
    proxys = settings.NOMBRE_PROXYS_DE_CONFIANCE
    if proxys <= 0:
        return distante
    chaine = [a for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if len(chaine) < proxys:
        return distante  # requête qui n'est pas passée par tous les proxys : on ne croit pas l'en-tête
    return _adresse_valide(chaine[-proxys]) or distante


def reponse_verrouillage(request, reponse_initiale=None, credentials=None):
    """La page de verrouillage, en français, avec l'attente en minutes (et non « PT15M »)."""
    from django.shortcuts import render

    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    return render(request, "registration/verrouille.html", {"minutes_d_attente": minutes}, status=429)
