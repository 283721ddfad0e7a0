import time

from django.core.management.base import BaseCommand

from rapports import demo


class Command(BaseCommand):
    help = "Charge les données de démonstration 2022-2023 (idempotent, déterministe) et les comptes de démo."

    def handle(self, *args, **options):
        debut = time.monotonic()
        if demo.charger():
            self.stdout.write(
                self.style.SUCCESS(f"Données de démonstration chargées en {time.monotonic() - debut:.1f} s.")
            )
        else:
            self.stdout.write(
                "Données de démonstration déjà présentes : rien n'a été dupliqué (comptes de démo remis à jour)."
            )
        self.stdout.write(
            "Comptes (mot de passe « demo ») : accueil, mediation, formation, arcs, coordination."
        )
