from django.core.management.base import BaseCommand

from confidentialite.purge import purger


class Command(BaseCommand):
    help = (
        "Purge quotidienne des données personnelles au-delà des délais réglés (coordonnées des rendez-vous, "
        "notes des passages, noms des formations, lien passage-arrivée, journal des connexions, sessions "
        "expirées), journal des modifications compris. Sans --appliquer, affiche seulement ce qui serait effacé."
    )

    def add_arguments(self, parser):
        parser.add_argument("--appliquer", action="store_true", help="Effacer réellement.")

    def handle(self, *args, appliquer=False, **options):
        resultat = purger(appliquer=appliquer)
        for etape, nombre in resultat.items():
            delai = f"au-delà de {etape.delai} {etape.unite}" if etape.reglage else "dès l'expiration"
            verbe = "effacés" if appliquer else "à effacer"
            self.stdout.write(f"{etape.quoi} ({delai}) : {nombre} {verbe}")
        if appliquer:
            self.stdout.write(self.style.SUCCESS("Purge terminée."))
        else:
            self.stdout.write("Simulation : rien n'a été effacé (relancer avec --appliquer).")
