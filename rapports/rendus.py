"""Le Bilan rendu une fois par état des données : un téléchargement d'une année inchangée sert le fichier stocké.

Une année changée garde son dernier rendu, daté, servi aussitôt, pendant qu'un processus de fond rend le nouveau
(« mise à jour en cours ») ; une année jamais rendue est mise en file de la même façon, et la page qui suit le
travail mène au document quand il est prêt. La publication d'une année
(rapports.services.publier_bilan) passe par le même gabarit (documents_du_bilan, fonction pure : comparaison →
documents).
"""

import time

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from inclusion.documents import html_autonome, html_vers_pdf
from travaux.deroulement import EchecExplique
from travaux.enums import NatureTraitement
from travaux.models import Traitement
from travaux.services import demander

from .bilan import Periode, comparer_periodes, message_aucune_donnee
from .empreinte import empreinte_des_donnees
from .enums import FormatRendu
from .models import RenduBilan
from .presentation import contexte_bilan


def documents_du_bilan(comparaison, *, edition=None):
    """(HTML autonome, PDF) du Bilan, rendus d'un même gabarit ; `edition` : la mention d'une version publiée."""
    contexte = contexte_bilan(comparaison)
    if edition:
        contexte["edition"] = edition
    html = render_to_string("rapports/bilan_pdf.html", contexte)
    return html_autonome(html), html_vers_pdf(html)


def rendre(annee):
    """Rend le Bilan de l'année (PDF et HTML) et le range sous l'empreinte des données lue avant le calcul (si
    elles changent pendant le rendu, l'empreinte suivante diffère et un nouveau rendu suivra). Les rendus plus
    anciens de l'année sont effacés."""
    empreinte = empreinte_des_donnees(annee)
    debut = time.monotonic()
    comparaison = comparer_periodes(Periode.annee(annee))
    if not comparaison.a_des_donnees:
        raise EchecExplique(message_aucune_donnee(annee))
    html, pdf = documents_du_bilan(comparaison)
    duree = time.monotonic() - debut
    rendus = []
    for format, contenu in ((FormatRendu.PDF, pdf), (FormatRendu.HTML, html.encode())):
        rendu = RenduBilan(annee=annee, format=format, empreinte=empreinte, duree_secondes=duree)
        rendu.fichier.save(f"bilan-{annee}-{empreinte[:16]}.{format}", ContentFile(contenu), save=False)
        try:
            with transaction.atomic():
                rendu.save()
        except IntegrityError:  # un autre processus a rendu le même état entre-temps
            rendu.fichier.delete(save=False)
            rendu = RenduBilan.objects.get(annee=annee, format=format, empreinte=empreinte)
        rendus.append(rendu)
        for ancien in RenduBilan.objects.filter(annee=annee, format=format).exclude(pk=rendu.pk):
            ancien.fichier.delete(save=False)
            ancien.delete()
    return rendus


def dernier_travail(annee):
    """Le dernier rendu demandé pour l'année (None : aucun). Tant qu'un rendu est en route, aucun autre n'est
    demandé : s'il y en a un en route, c'est celui-ci."""
    return Traitement.objects.filter(nature=NatureTraitement.BILAN, parametres__annee=annee).first()


_A_LIRE = object()


def preparer(annee, *, demande_par=None, dernier=_A_LIRE):
    """Le rendu en route de l'année, ou un nouveau mis en file ; `dernier` : dernier_travail(annee), s'il est déjà
    lu (None compris)."""
    if dernier is _A_LIRE:
        dernier = dernier_travail(annee)
    if dernier is not None and not dernier.fini:
        return dernier
    return demander(NatureTraitement.BILAN, parametres={"annee": annee}, demande_par=demande_par)


def etat_du_rendu(annee, format):
    """(dernier rendu ou None, à jour ?) : le rendu stocké de l'année et s'il correspond aux données d'aujourd'hui."""
    dernier = RenduBilan.objects.filter(annee=annee, format=format).first()
    if dernier is None:
        return None, False
    return dernier, dernier.empreinte == empreinte_des_donnees(annee)


def preparer_si_perime(annee, *, demande_par=None, a_jour=None):
    """Demande un nouveau rendu si les données ont changé depuis le dernier (et qu'aucun n'est déjà en route).

    `a_jour` : l'état que la requête a déjà lu (etat_du_rendu) ; sans lui, il est lu ici. L'empreinte des données
    n'est ainsi calculée qu'une fois par requête."""
    if a_jour is None:
        _, a_jour = etat_du_rendu(annee, FormatRendu.PDF)
    if a_jour:
        return None
    return preparer(annee, demande_par=demande_par)
