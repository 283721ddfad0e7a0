from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from echanges.formats import tableau_readme

DEBUT, FIN = (
    "<!-- formats:debut (généré : python manage.py formats_echanges --readme) -->",
    "<!-- formats:fin -->",
)


def readme_avec_tableau(texte):
    """Le README dont le tableau des formats est remplacé par celui des déclarations."""
    if DEBUT not in texte or FIN not in texte:
        raise CommandError("Repères du tableau des formats absents du README.")
    avant, reste = texte.split(DEBUT, 1)
    _, apres = reste.split(FIN, 1)
    return f"{avant}{DEBUT}\n{tableau_readme()}\n{FIN}{apres}"


class Command(BaseCommand):
    help = "Affiche le tableau des formats d'échange (déclarés dans echanges/formats.py) ; --readme le réécrit dans le README."

    def add_arguments(self, parser):
        parser.add_argument("--readme", action="store_true", help="Réécrire le tableau dans README.md.")

    def handle(self, *args, readme=False, **options):
        if not readme:
            self.stdout.write(tableau_readme())
            return
        chemin = Path(settings.BASE_DIR) / "README.md"
        chemin.write_text(readme_avec_tableau(chemin.read_text(encoding="utf-8")), encoding="utf-8")
        self.stdout.write("README.md : tableau des formats réécrit.")
