"""Production de documents partagée par les applications : PDF (WeasyPrint) et classeurs XLSX (openpyxl)."""

import io
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string

from .echanges import ligne_sure


def html_vers_pdf(html):
    """Rend un HTML en PDF A4 avec la feuille de style d'impression du projet (aucune ressource distante)."""
    from weasyprint import CSS, HTML

    feuille = finders.find("css/impression.css")
    return HTML(string=html, base_url=str(settings.BASE_DIR / "static")).write_pdf(
        stylesheets=[CSS(filename=feuille)]
    )


def html_autonome(html):
    """Le même HTML, lisible seul (fichier ouvert hors de l'application) : la feuille d'impression incluse."""
    feuille = Path(finders.find("css/impression.css")).read_text(encoding="utf-8")
    return html.replace("</head>", f"<style>\n{feuille}</style>\n</head>", 1)


def reponse_pdf(request, gabarit, contexte, nom_fichier):
    pdf = html_vers_pdf(render_to_string(gabarit, contexte, request=request))
    reponse = HttpResponse(pdf, content_type="application/pdf")
    reponse["Content-Disposition"] = f'attachment; filename="{nom_fichier}"'
    return reponse


def classeur_xlsx(feuilles):
    """Classeur XLSX à partir de {nom de feuille: (en-têtes, lignes)} ; renvoie les octets."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    classeur = Workbook(write_only=False)
    classeur.remove(classeur.active)
    for nom, (entetes, lignes) in feuilles.items():
        feuille = classeur.create_sheet(title=nom[:31])
        feuille.append(ligne_sure(entetes))
        for cellule in feuille[1]:
            cellule.font = Font(bold=True)
        for ligne in lignes:
            feuille.append(ligne_sure(ligne))  # jamais une formule ni un caractère de contrôle
    tampon = io.BytesIO()
    classeur.save(tampon)
    return tampon.getvalue()


def reponse_xlsx(feuilles, nom_fichier):
    reponse = HttpResponse(
        classeur_xlsx(feuilles),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    reponse["Content-Disposition"] = f'attachment; filename="{nom_fichier}"'
    return reponse
