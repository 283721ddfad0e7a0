import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from echanges.formats import FICHIERS
from echanges.importeur import ImportRefuse, importer
from echanges.sources import SourceFichiers
from travaux.deroulement import constater_les_arrets
from travaux.enums import NatureTraitement, StatutTraitement
from travaux.services import (
    MESSAGE_SANS_PROCESSUS,
    abandonner_faute_de_processus,
    demander,
    sans_processus_de_fond,
)


class Barre:
    """Une barre d'avancement sur un terminal (rien si la sortie est un fichier ou un tube)."""

    def __init__(self, flux):
        self.flux, self.active = flux, getattr(flux, "isatty", lambda: False)()
        self.dernier = ""

    def montrer(self, fichiers, erreurs):
        if not self.active or not fichiers:
            return
        total = sum(f["total"] for f in fichiers.values()) or 1
        fraction = min(sum(f["fait"] for f in fichiers.values()) / total, 1)
        lignes = sum(f["lignes"] for f in fichiers.values())
        plein = int(fraction * 30)
        texte = (
            f"\r[{'#' * plein}{'.' * (30 - plein)}] {fraction:4.0%}  {lignes:,} lignes, {erreurs} erreur(s)"
        )
        texte = texte.replace(",", " ")
        if texte != self.dernier:
            self.flux.write(texte)
            self.flux.flush()
            self.dernier = texte

    def finir(self):
        if self.active and self.dernier:
            self.flux.write("\n")


class Command(BaseCommand):
    help = (
        "Importe un dossier de fichiers CSV (" + ", ".join(FICHIERS) + ") : tout ou rien, dans l'ordre des "
        "dépendances. Par défaut, le travail est confié à un processus de fond (manage.py db_worker, qui doit "
        "voir le dossier) et la commande suit son avancement ; si aucun processus ne le prend dans les "
        "secondes qui viennent, elle le retire de la file, le dit et s'arrête en erreur. --sync le fait ici "
        "même. --dry-run vérifie tout sans rien écrire."
    )

    def add_arguments(self, parser):
        parser.add_argument("dossier")
        parser.add_argument("--dry-run", action="store_true", help="Vérifier sans rien écrire.")
        parser.add_argument("--sync", action="store_true", help="Importer dans ce processus (scripts).")
        parser.add_argument(
            "--sans-attendre",
            action="store_true",
            help="Confier l'import au fond et rendre la main aussitôt.",
        )

    def handle(self, *args, dossier, dry_run=False, sync=False, sans_attendre=False, **options):
        if not Path(dossier).is_dir():
            raise CommandError(f"Dossier introuvable : {dossier}")
        source = SourceFichiers.dossier(dossier)
        if not source.noms():
            raise CommandError(
                "Aucun fichier reconnu dans ce dossier (noms attendus : " + ", ".join(FICHIERS) + ")."
            )
        barre = Barre(sys.stderr)
        if sync:
            fichiers = {}

            def suivi(nom, lignes, fait, total, erreurs):
                fichiers[nom] = {"lignes": lignes, "fait": fait, "total": total}
                barre.montrer(fichiers, erreurs)

            try:
                comptes, ignores = importer(source, essai=dry_run, suivi=suivi)
            except ImportRefuse as refus:
                barre.finir()
                self._refus(refus.rapport.lignes(), refus.rapport.nombre)
            barre.finir()
        else:
            traitement = demander(
                NatureTraitement.IMPORT,
                parametres={"dossier": str(Path(dossier).resolve()), "essai": dry_run},
            )
            if sans_attendre:
                self.stdout.write(f"Import confié au processus de fond (travail n° {traitement.pk}).")
                return
            comptes, ignores = self._suivre(traitement, barre)
        for message in ignores:
            self.stdout.write(message)
        for nom, n in comptes.items():
            self.stdout.write(f"{nom} : {n} ligne(s) {'vérifiée(s)' if dry_run else 'importée(s)'}")
        self.stdout.write(
            self.style.SUCCESS(
                "Vérification terminée : rien n'a été écrit." if dry_run else "Import terminé."
            )
        )

    def _suivre(self, traitement, barre):
        attente_signalee = False
        while not traitement.fini:
            time.sleep(0.5)
            constater_les_arrets([traitement])
            traitement.refresh_from_db()
            if traitement.statut == StatutTraitement.EN_ATTENTE and not attente_signalee:
                self.stderr.write("En attente d'un processus de fond (manage.py db_worker)…")
                attente_signalee = True
            if sans_processus_de_fond(traitement) and abandonner_faute_de_processus(traitement):
                barre.finir()
                raise CommandError(MESSAGE_SANS_PROCESSUS)
            p = traitement.progression or {}
            barre.montrer(p.get("fichiers", {}), p.get("erreurs", 0))
        barre.finir()
        if traitement.statut == StatutTraitement.ECHOUE:
            raise CommandError(traitement.message)
        resultat = traitement.resultat
        if resultat.get("refuse"):
            self._refus(resultat["erreurs"], resultat["nombre"])
        return resultat.get("comptes", {}), resultat.get("ignores", [])

    def _refus(self, lignes, nombre):
        for ligne in lignes:
            self.stderr.write(ligne)
        raise CommandError(f"Import refusé : {nombre} erreur(s), rien n'a été écrit.")
