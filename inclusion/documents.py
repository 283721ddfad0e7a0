"""Production de documents partagée par les applications : PDF (WeasyPrint) et classeurs XLSX (openpyxl)."""

import io
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import FileResponse, HttpResponse
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


# Un document produit en flux est gardé en mémoire jusqu'à cette taille, puis écrit dans un fichier temporaire.
TAMPON_MEMOIRE_OCTETS = 8 * 1024 * 1024


def ecrire_classeur_xlsx(feuilles, flux):
    """Écrit un classeur XLSX {nom de feuille: (en-têtes, lignes)} dans `flux`, ligne à ligne (openpyxl en
    écriture seule : la mémoire ne grandit pas avec le nombre de lignes)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    classeur = Workbook(write_only=True)
    gras = Font(bold=True)
    for nom, (entetes, lignes) in feuilles.items():
        feuille = classeur.create_sheet(title=nom[:31])
        en_tete = []
        for valeur in ligne_sure(entetes):
            cellule = WriteOnlyCell(feuille, value=valeur)
            cellule.font = gras
            en_tete.append(cellule)
        feuille.append(en_tete)
        for ligne in lignes:
            feuille.append(ligne_sure(ligne))  # jamais une formule ni un caractère de contrôle
    classeur.save(flux)


def classeur_xlsx(feuilles):
    """Le même classeur, en octets (petits documents, tests)."""
    tampon = io.BytesIO()
    ecrire_classeur_xlsx(feuilles, tampon)
    return tampon.getvalue()


def reponse_fichier(ecrire, nom_fichier, type_contenu):
    """Une réponse de téléchargement : `ecrire(flux)` remplit un fichier temporaire, gardé en mémoire jusqu'à
    TAMPON_MEMOIRE_OCTETS puis écrit sur disque ; un gros document est servi en flux depuis le disque."""
    flux = tempfile.SpooledTemporaryFile(max_size=TAMPON_MEMOIRE_OCTETS)  # noqa: SIM115 - fermé par la réponse
    ecrire(flux)
    if flux.tell() <= TAMPON_MEMOIRE_OCTETS:
        flux.seek(0)
        reponse = HttpResponse(flux.read(), content_type=type_contenu)
        flux.close()
        reponse["Content-Disposition"] = f'attachment; filename="{nom_fichier}"'
        return reponse
    flux.seek(0)
    return FileResponse(flux, as_attachment=True, filename=nom_fichier, content_type=type_contenu)


def reponse_xlsx(feuilles, nom_fichier):
    return reponse_fichier(
        lambda flux: ecrire_classeur_xlsx(feuilles, flux),
        nom_fichier,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
