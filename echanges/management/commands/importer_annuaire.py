from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from echanges.data_inclusion import ImportAnnuaireRefuse, importer_annuaire

COMPTES = ("structures_creees", "structures_mises_a_jour", "contacts_crees", "contacts_mis_a_jour")


class Command(BaseCommand):
    help = (
        "Importe un export data·inclusion (structures et services du territoire, JSON) dans l'annuaire des "
        "partenaires : rapprochement par identifiant national ou SIRET (un même nom est seulement proposé), tout "
        "ou rien. --dry-run montre les changements champ par champ sans écrire."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier")
        parser.add_argument("--dry-run", action="store_true", help="Vérifier sans rien écrire.")
        parser.add_argument(
            "--rapprocher",
            action="append",
            default=[],
            metavar="SOURCE:ID",
            help="Rapprocher cette structure nationale de la nôtre de même nom (proposition confirmée).",
        )
        parser.add_argument(
            "--ecraser", action="store_true", help="Écraser aussi les champs modifiés à la main."
        )

    def handle(self, *args, fichier, dry_run=False, rapprocher=(), ecraser=False, **options):
        chemin = Path(fichier)
        if not chemin.is_file():
            raise CommandError(f"Fichier introuvable : {fichier}")
        try:
            plan = importer_annuaire(
                chemin.read_bytes(), essai=dry_run, rapprocher=rapprocher, ecraser=ecraser
            )
        except ImportAnnuaireRefuse as refus:
            for erreur in refus.erreurs:
                self.stderr.write(erreur)
            raise CommandError(
                f"Import refusé : {len(refus.erreurs)} erreur(s), rien n'a été écrit."
            ) from None
        for cle in COMPTES:
            self.stdout.write(f"{cle.replace('_', ' ')} : {plan[cle]}")
        for c in plan["changements"]:
            self.stdout.write(f"  {c['objet']} {c['champ']} : « {c['avant']} » → « {c['apres']} »")
        for c in plan["gardes"]:
            self.stdout.write(
                f"  gardé (modifié à la main) : {c['objet']} {c['champ']} « {c['avant']} » "
                f"(annuaire national : « {c['apres']} ») ; --ecraser pour le remplacer"
            )
        for p in plan["propositions"]:
            self.stdout.write(
                f"  proposé : « {p['nom']} » ({p['identifiant']}) a le nom de notre « {p['structure']} » ; "
                f"laissé de côté (--rapprocher {p['identifiant']} pour les rapprocher)"
            )
        self.stdout.write(
            self.style.SUCCESS(
                "Vérification terminée : rien n'a été écrit." if dry_run else "Import terminé."
            )
        )
