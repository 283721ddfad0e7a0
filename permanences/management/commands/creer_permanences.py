import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from inclusion.annees_closes import annees_closes, message_annee_close
from permanences.services import creer_permanences_du_jour

JOURS_MAX = 366


class Command(BaseCommand):
    help = (
        "Crée les permanences d'un jour, d'une période ou des sept jours qui viennent (--semaine) à partir des "
        "créneaux hebdomadaires. Idempotent : à lancer chaque nuit (cron ou minuteur systemd, voir README)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--du", help="Premier jour (AAAA-MM-JJ), aujourd'hui par défaut.")
        parser.add_argument("--au", help="Dernier jour inclus (AAAA-MM-JJ), égal au premier par défaut.")
        parser.add_argument(
            "--semaine",
            action="store_true",
            help="D'aujourd'hui aux sept jours qui suivent (tâche quotidienne).",
        )

    def handle(self, *args, du=None, au=None, semaine=False, **options):
        if semaine and (du or au):
            raise CommandError("--semaine ne se combine pas avec --du ou --au.")
        try:
            debut = datetime.date.fromisoformat(du) if du else timezone.localdate()
            fin = datetime.date.fromisoformat(au) if au else debut
        except ValueError as erreur:
            raise CommandError("Date invalide : format AAAA-MM-JJ attendu.") from erreur
        if semaine:
            fin = debut + datetime.timedelta(days=7)
        if fin < debut:
            raise CommandError("La date de fin précède la date de début.")
        if (fin - debut).days >= JOURS_MAX:
            raise CommandError(f"Période trop longue : {JOURS_MAX} jours au plus.")
        if closes := sorted(annees_closes() & set(range(debut.year, fin.year + 1))):
            raise CommandError(f"Aucune permanence créée. {message_annee_close(closes[0])}")
        total = 0
        jour = debut
        while jour <= fin:
            total += len(creer_permanences_du_jour(jour))
            jour += datetime.timedelta(days=1)
        self.stdout.write(
            self.style.SUCCESS(f"{total} permanence(s) créée(s) du {debut:%d/%m/%Y} au {fin:%d/%m/%Y}.")
        )
