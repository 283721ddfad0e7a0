"""Ce que fait chaque nature de traitement, dans le processus de fond : importer, exporter, rendre le Bilan.

Chaque fonction reçoit le Traitement et sa Progression ; elle remplit `traitement.resultat` (et le fichier
produit), que deroulement enregistre à la fin. Les documents sont écrits sur disque en flux : la mémoire ne
grandit pas avec le nombre d'enregistrements.
"""

import datetime
import tempfile
import time

from django.core.files import File
from django.utils import timezone

from inclusion.documents import ecrire_classeur_xlsx

from ..enums import NatureTraitement
from .deroulement import EchecExplique, import_exclusif


def importer(traitement, progression):
    from .. import echanges

    parametres = traitement.parametres
    debut = time.monotonic()

    def suivi(nom, lignes, fait, total, erreurs):
        fichiers = progression.etat.setdefault("fichiers", {})
        fichiers[nom] = {"lignes": lignes, "fait": fait, "total": total}
        progression.noter(erreurs=erreurs, secondes=round(time.monotonic() - debut, 1))

    if parametres.get("dossier"):
        source = echanges.SourceFichiers.dossier(parametres["dossier"])
        flux = None
    else:
        flux = traitement.fichier.open("rb")
        try:
            source = echanges.source_televersee(flux, nom=traitement.nom_fichier)
        except echanges.TeleversementRefuse as refus:
            flux.close()
            raise EchecExplique(str(refus)) from None
    try:
        progression.noter(
            fichiers={n: {"lignes": 0, "fait": 0, "total": source.taille(n)} for n in source.noms()},
            erreurs=0,
            secondes=0,
            forcer=True,
        )
        with import_exclusif(progression):
            comptes, ignores = echanges.importer(
                source, user=traitement.demande_par, essai=parametres.get("essai", False), suivi=suivi
            )
    except echanges.ImportRefuse as refus:
        traitement.resultat = {
            "refuse": True,
            "nombre": refus.rapport.nombre,
            "erreurs": refus.rapport.lignes(),
        }
    else:
        traitement.resultat = {
            "comptes": comptes,
            "ignores": ignores,
            "essai": parametres.get("essai", False),
        }
    finally:
        if flux is not None:
            flux.close()
    progression.noter(secondes=round(time.monotonic() - debut, 1), forcer=True)


def importer_annuaire_national(traitement, progression):
    """L'annuaire national (rapports.echanges.data_inclusion) : le plan (changements champ par champ, champs
    gardés, rapprochements proposés) ou les erreurs, dans le résultat ; un seul import à la fois."""
    from ..echanges.data_inclusion import ImportAnnuaireRefuse, importer_annuaire

    p = traitement.parametres
    debut = time.monotonic()
    with traitement.fichier.open("rb") as flux:
        contenu = flux.read()
    try:
        with import_exclusif(progression):
            plan = importer_annuaire(
                contenu,
                essai=p.get("essai", False),
                rapprocher=p.get("rapprocher", []),
                ecraser=p.get("ecraser", False),
            )
    except ImportAnnuaireRefuse as refus:
        traitement.resultat = {"refuse": True, "nombre": len(refus.erreurs), "erreurs": refus.erreurs[:500]}
    else:
        traitement.resultat = {**plan, "essai": p.get("essai", False), "rapprocher": p.get("rapprocher", [])}
    progression.noter(secondes=round(time.monotonic() - debut, 1), forcer=True)


def _enregistrer_document(traitement, ecrire, nom_fichier):
    """Écrit le document dans un fichier temporaire, puis le range dans le stockage du projet (MEDIA_ROOT)."""
    with tempfile.TemporaryFile() as flux:
        ecrire(flux)
        flux.seek(0)
        traitement.fichier.save(nom_fichier, File(flux), save=False)
    traitement.nom_fichier = nom_fichier
    traitement.resultat = {"octets": traitement.fichier.size}


def exporter_complet(traitement, progression):
    from .. import echanges

    annee = traitement.parametres.get("annee")
    suffixe = f"-{annee}" if annee else f"-{timezone.localdate():%Y%m%d}"
    _enregistrer_document(
        traitement, lambda flux: echanges.ecrire_archive_zip(flux, annee), f"inclusion-export{suffixe}.zip"
    )


def exporter_coop(traitement, progression):
    from ..coop_classeur import ecrire_classeur_coop

    annee = traitement.parametres["annee"]
    _enregistrer_document(
        traitement,
        lambda flux: ecrire_classeur_coop(annee, flux, demande_par=traitement.demande_par),
        f"coop-mediation-numerique-{annee}.xlsx",
    )


def exporter_tableau(traitement, progression):
    from ..bilan import Periode, comparer_periodes
    from ..exports import feuilles_tableau_de_bord

    p = traitement.parametres
    debut, fin = datetime.date.fromisoformat(p["debut"]), datetime.date.fromisoformat(p["fin"])
    lieux, intervenants = p.get("lieux"), p.get("intervenants")
    comparaison = comparer_periodes(
        Periode(debut, fin + datetime.timedelta(days=1)), lieux=lieux, intervenants=intervenants
    )
    feuilles = feuilles_tableau_de_bord(comparaison, lieux=lieux, intervenants=intervenants)
    _enregistrer_document(
        traitement,
        lambda flux: ecrire_classeur_xlsx(feuilles, flux),
        f"indicateurs-{debut:%Y%m%d}-{fin + datetime.timedelta(days=1):%Y%m%d}.xlsx",
    )


def rendre_bilan(traitement, progression):
    from .rendus import rendre

    rendus = rendre(traitement.parametres["annee"])
    traitement.resultat = {"rendus": [r.pk for r in rendus]}


TRAVAUX = {
    NatureTraitement.IMPORT: importer,
    NatureTraitement.EXPORT_COMPLET: exporter_complet,
    NatureTraitement.EXPORT_COOP: exporter_coop,
    NatureTraitement.EXPORT_TABLEAU: exporter_tableau,
    NatureTraitement.BILAN: rendre_bilan,
    NatureTraitement.ANNUAIRE: importer_annuaire_national,
}
