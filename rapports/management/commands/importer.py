from django.core.management.base import BaseCommand, CommandError

from rapports.echanges import FICHIERS, ImportRefuse, SourceFichiers, importer


class Command(BaseCommand):
    help = (
        "Importe un dossier de fichiers CSV (" + ", ".join(FICHIERS) + ") : tout ou rien, dans l'ordre des "
        "dépendances. --dry-run vérifie tout sans rien écrire."
    )

    def add_arguments(self, parser):
        parser.add_argument("dossier")
        parser.add_argument("--dry-run", action="store_true", help="Vérifier sans rien écrire.")

    def handle(self, *args, dossier, dry_run=False, **options):
        from pathlib import Path

        if not Path(dossier).is_dir():
            raise CommandError(f"Dossier introuvable : {dossier}")
        source = SourceFichiers.dossier(dossier)
        if not source.noms():
            raise CommandError(
                "Aucun fichier reconnu dans ce dossier (noms attendus : " + ", ".join(FICHIERS) + ")."
            )
        try:
            comptes, ignores = importer(source, essai=dry_run)
        except ImportRefuse as refus:
            for ligne in refus.rapport.lignes():
                self.stderr.write(ligne)
            raise CommandError(
                f"Import refusé : {refus.rapport.nombre} erreur(s), rien n'a été écrit."
            ) from None
        for message in ignores:
            self.stdout.write(message)
        for nom, n in comptes.items():
            self.stdout.write(f"{nom} : {n} ligne(s) {'vérifiée(s)' if dry_run else 'importée(s)'}")
        self.stdout.write(
            self.style.SUCCESS(
                "Vérification terminée : rien n'a été écrit." if dry_run else "Import terminé."
            )
        )
