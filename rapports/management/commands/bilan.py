import sys

from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string

from inclusion.documents import html_autonome, html_vers_pdf
from rapports.bilan import Periode, comparer_periodes, json_du_bilan, message_aucune_donnee
from rapports.presentation import contexte_bilan


class Command(BaseCommand):
    help = "Produit le Bilan annuel en JSON, HTML ou PDF (sur la sortie standard, ou dans --output)."

    def add_arguments(self, parser):
        parser.add_argument("annee", type=int)
        parser.add_argument("--format", choices=["json", "html", "pdf"], default="json")
        parser.add_argument("--output", help="Fichier de sortie (sortie standard par défaut).")

    def handle(self, *args, annee, format, output=None, **options):
        if not 2000 <= annee <= 2100:
            raise CommandError("Année invalide : entre 2000 et 2100.")
        comparaison = comparer_periodes(Periode.annee(annee))
        if not comparaison.a_des_donnees:
            raise CommandError(message_aucune_donnee(annee))
        if format == "json":
            contenu = json_du_bilan(comparaison).encode()
        else:
            html = render_to_string("rapports/bilan_pdf.html", contexte_bilan(comparaison))
            contenu = html_autonome(html).encode() if format == "html" else html_vers_pdf(html)
        if output:
            with open(output, "wb") as fichier:
                fichier.write(contenu)
            self.stderr.write(f"Bilan {annee} écrit dans {output}.")
        else:
            sys.stdout.buffer.write(contenu)
            sys.stdout.flush()
