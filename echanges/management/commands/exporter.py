from django.core.management.base import BaseCommand

from echanges.exporteur import exporter_dossier


class Command(BaseCommand):
    help = "Exporte les enregistrements dans un dossier, aux formats de l'import (réimportables tels quels)."

    def add_arguments(self, parser):
        parser.add_argument("dossier")
        parser.add_argument("--annee", type=int, help="Seulement les enregistrements datés de cette année.")

    def handle(self, *args, dossier, annee=None, **options):
        for nom, n in exporter_dossier(dossier, annee).items():
            self.stdout.write(f"{nom} : {n} ligne(s)")
        self.stdout.write(self.style.SUCCESS(f"Export écrit dans {dossier}."))
