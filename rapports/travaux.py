"""Les travaux de fond du Bilan et du tableau de bord : rendre le Bilan d'une année (rendus.py), écrire le
classeur des indicateurs du tableau de bord. Inscrits au registre des travaux par RapportsConfig.ready()."""

import datetime

from django.shortcuts import redirect

from inclusion.documents import ecrire_classeur_xlsx
from travaux.documents import enregistrer_document
from travaux.enums import NatureTraitement
from travaux.services import demander

from .bilan import Periode, comparer_periodes
from .exports import feuilles_tableau_de_bord
from .rendus import rendre


def demander_export_tableau(request, periode, lieux, intervenants):
    """Met en file le classeur du tableau de bord sous ses filtres, et mène à la page qui en suit l'avancement."""
    parametres = {
        "debut": periode.debut.isoformat(),
        "fin": (periode.fin - datetime.timedelta(days=1)).isoformat(),
        "lieux": [lieu.pk for lieu in lieux or []],
        "intervenants": [i.pk for i in intervenants or []],
    }
    traitement = demander(NatureTraitement.EXPORT_TABLEAU, parametres=parametres, demande_par=request.user)
    return redirect("rapports:traitement", pk=traitement.pk)


def exporter_tableau(traitement, progression):
    p = traitement.parametres
    debut, fin = datetime.date.fromisoformat(p["debut"]), datetime.date.fromisoformat(p["fin"])
    lieux, intervenants = p.get("lieux"), p.get("intervenants")
    comparaison = comparer_periodes(
        Periode(debut, fin + datetime.timedelta(days=1)), lieux=lieux, intervenants=intervenants
    )
    feuilles = feuilles_tableau_de_bord(comparaison, lieux=lieux, intervenants=intervenants)
    enregistrer_document(
        traitement,
        lambda flux: ecrire_classeur_xlsx(feuilles, flux),
        f"indicateurs-{debut:%Y%m%d}-{fin:%Y%m%d}.xlsx",  # la période montrée, fin incluse
    )


def rendre_bilan(traitement, progression):
    rendus = rendre(traitement.parametres["annee"])
    traitement.resultat = {"rendus": [r.pk for r in rendus]}


TRAVAUX = {
    NatureTraitement.EXPORT_TABLEAU: exporter_tableau,
    NatureTraitement.BILAN: rendre_bilan,
}
