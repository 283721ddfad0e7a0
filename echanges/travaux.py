"""Les travaux de fond des échanges : importer (fichiers d'échange, annuaire national), exporter (archive
complète, classeur pour la Coop). Inscrits au registre des travaux par EchangesConfig.ready().

Chaque fonction reçoit le Traitement et sa Progression ; elle remplit `traitement.resultat` (et le fichier
produit), que deroulement enregistre à la fin. Les documents sont écrits sur disque en flux : la mémoire ne
grandit pas avec le nombre d'enregistrements.
"""

import time

from django.utils import timezone

from travaux.deroulement import EchecExplique, import_exclusif
from travaux.documents import enregistrer_document
from travaux.enums import NatureTraitement

from .coop_classeur import ecrire_classeur_coop
from .data_inclusion import ImportAnnuaireRefuse, importer_annuaire
from .exporteur import ecrire_archive_zip
from .importeur import ImportRefuse
from .importeur import importer as importer_les_fichiers
from .sources import SourceFichiers, TeleversementRefuse, source_televersee


def importer(traitement, progression):
    parametres = traitement.parametres
    debut = time.monotonic()

    def suivi(nom, lignes, fait, total, erreurs):
        fichiers = progression.etat.setdefault("fichiers", {})
        fichiers[nom] = {"lignes": lignes, "fait": fait, "total": total}
        progression.noter(erreurs=erreurs, secondes=round(time.monotonic() - debut, 1))

    if parametres.get("dossier"):
        source = SourceFichiers.dossier(parametres["dossier"])
        flux = None
    else:
        flux = traitement.fichier.open("rb")
        try:
            source = source_televersee(flux, nom=traitement.nom_fichier)
        except TeleversementRefuse as refus:
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
            comptes, ignores = importer_les_fichiers(
                source, user=traitement.demande_par, essai=parametres.get("essai", False), suivi=suivi
            )
    except ImportRefuse as refus:
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
    """L'annuaire national (echanges.data_inclusion) : le plan (changements champ par champ, champs gardés,
    rapprochements proposés) ou les erreurs, dans le résultat ; un seul import à la fois."""

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


def exporter_complet(traitement, progression):
    annee = traitement.parametres.get("annee")
    suffixe = f"-{annee}" if annee else f"-{timezone.localdate():%Y%m%d}"
    enregistrer_document(
        traitement, lambda flux: ecrire_archive_zip(flux, annee), f"inclusion-export{suffixe}.zip"
    )


def exporter_coop(traitement, progression):
    annee = traitement.parametres["annee"]
    enregistrer_document(
        traitement,
        lambda flux: ecrire_classeur_coop(annee, flux, demande_par=traitement.demande_par),
        f"coop-mediation-numerique-{annee}.xlsx",
    )


TRAVAUX = {
    NatureTraitement.IMPORT: importer,
    NatureTraitement.ANNUAIRE: importer_annuaire_national,
    NatureTraitement.EXPORT_COMPLET: exporter_complet,
    NatureTraitement.EXPORT_COOP: exporter_coop,
}
