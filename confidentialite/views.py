from django.conf import settings
from django.shortcuts import render

from .purge import ETAPES


def donnees_personnelles(request):
    """Ce que l'application enregistre, pourquoi, combien de temps : délais tirés des réglages de la purge."""
    return render(
        request,
        "confidentialite/donnees_personnelles.html",
        {
            "etapes": ETAPES,
            "k": settings.INCLUSION["K_ANONYMAT"],
            "delai_saisie": settings.INCLUSION["DELAI_SAISIE_PASSAGE_JOURS"],
        },
    )
