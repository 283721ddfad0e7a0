import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from permanences.services import creer_permanences_du_jour


class Command(BaseCommand):
    help = (
        "Crée les permanences d'un jour (ou d'une période) à partir des créneaux hebdomadaires. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--du", help="Premier jour (AAAA-MM-JJ), aujourd'hui par défaut.")
        parser.add_argument("--au", help="Dernier jour inclus (AAAA-MM-JJ), égal au premier par défaut.")

    def handle(self, *args, du=None, au=None, **options):
        try:
            debut = datetime.date.fromisoformat(du) if du else timezone.localdate()
            fin = datetime.date.fromisoformat(au) if au else debut
        except ValueError as erreur:
            raise CommandError("Date invalide : format AAAA-MM-JJ attendu.") from erreur
        if fin < debut:
            raise CommandError("La date de fin précède la date de début.")
        total = 0
        jour = debut
        while jour <= fin:
            total += len(creer_permanences_du_jour(jour))
            jour += datetime.timedelta(days=1)
        self.stdout.write(self.style.SUCCESS(f"{total} permanence(s) créée(s)."))
