from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rapports.echanges.data_inclusion import ImportAnnuaireRefuse, importer_annuaire


class Command(BaseCommand):
    help = (
        "Importe un export data·inclusion (structures et services du territoire, JSON) dans l'annuaire des "
        "partenaires : rapprochement par SIRET puis par nom, tout ou rien. --dry-run vérifie et compte sans écrire."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier")
        parser.add_argument("--dry-run", action="store_true", help="Vérifier sans rien écrire.")

    def handle(self, *args, fichier, dry_run=False, **options):
        chemin = Path(fichier)
        if not chemin.is_file():
            raise CommandError(f"Fichier introuvable : {fichier}")
        try:
            comptes = importer_annuaire(chemin.read_bytes(), essai=dry_run)
        except ImportAnnuaireRefuse as refus:
            for erreur in refus.erreurs:
                self.stderr.write(erreur)
            raise CommandError(
                f"Import refusé : {len(refus.erreurs)} erreur(s), rien n'a été écrit."
            ) from None
        for cle, n in comptes.items():
            self.stdout.write(f"{cle.replace('_', ' ')} : {n}")
        self.stdout.write(
            self.style.SUCCESS(
                "Vérification terminée : rien n'a été écrit." if dry_run else "Import terminé."
            )
        )
