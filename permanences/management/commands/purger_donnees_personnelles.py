import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from permanences.models import RendezVous


def rendez_vous_a_purger(aujourdhui=None):
    """Rendez-vous dont les coordonnées doivent être effacées (délai réglable, 90 jours par défaut)."""
    aujourdhui = aujourdhui or timezone.localdate()
    limite = aujourdhui - datetime.timedelta(days=settings.INCLUSION["DELAI_PURGE_COORDONNEES_JOURS"])
    return RendezVous.objects.filter(date__lt=limite).exclude(nom_contact="", telephone_contact="")


class Command(BaseCommand):
    help = (
        "Efface le nom et le téléphone des rendez-vous passés depuis plus du délai réglé "
        "(DELAI_PURGE_COORDONNEES_JOURS). Sans --appliquer, affiche seulement ce qui serait effacé."
    )

    def add_arguments(self, parser):
        parser.add_argument("--appliquer", action="store_true", help="Effacer réellement les coordonnées.")

    def handle(self, *args, appliquer=False, **options):
        qs = rendez_vous_a_purger()
        nombre = qs.count()
        if not appliquer:
            self.stdout.write(
                f"{nombre} rendez-vous ont des coordonnées à effacer (relancer avec --appliquer)."
            )
            return
        effaces = qs.update(nom_contact="", telephone_contact="", coordonnees_effacees_le=timezone.now())
        self.stdout.write(self.style.SUCCESS(f"Coordonnées effacées pour {effaces} rendez-vous."))
