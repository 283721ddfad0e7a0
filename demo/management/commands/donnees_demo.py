import time

from django.core.management.base import BaseCommand

from demo import donnees as demo
from demo.donnees import recent


class Command(BaseCommand):
    help = (
        "Charge les données de démonstration (2022-2023, celles du Bilan 2023, puis de 2024 à aujourd'hui) et les "
        "comptes de démo ; idempotent et déterministe : relancée un autre jour, elle complète jusqu'à ce jour-là."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--historique-seul",
            action="store_true",
            help="2022-2023 seulement (le jeu du Bilan 2023), sans les données de 2024 à aujourd'hui.",
        )

    def handle(self, *args, historique_seul=False, **options):
        debut = time.monotonic()
        if demo.charger():
            self.stdout.write(
                self.style.SUCCESS(
                    f"Données de démonstration 2022-2023 chargées en {time.monotonic() - debut:.1f} s."
                )
            )
        else:
            self.stdout.write(
                "Données de démonstration déjà présentes : rien n'a été dupliqué (comptes de démo remis à jour)."
            )
        if not historique_seul:
            debut = time.monotonic()
            jours = recent.mettre_a_jour()
            self.stdout.write(
                f"Démonstration vivante : {jours} jour(s) ajouté(s) depuis le 1er janvier 2024 "
                f"({time.monotonic() - debut:.1f} s), permanences du jour et personnes en attente."
            )
        self.stdout.write(
            "Comptes (mot de passe « demo ») : accueil, mediation, formation, arcs, coordination."
        )
