"""Rien ne sort de la page (#29) : chaque mot de chaque Bilan tient dans la zone de texte du PDF (marges de
static/css/impression.css), lu par `pdftotext -bbox-layout` sur les Bilans de plusieurs années générées."""

import html
import re
import subprocess

import pytest
from django.core.management import call_command

from tests.demonstration import charger_la_demo
from tests.rapports.test_document import _exiger

MM = 72 / 25.4  # points PDF par millimètre
GAUCHE_MM, DROITE_MM, HAUT_MM, BAS_MM = 15, 15, 16, 18  # @page { margin: 16mm 15mm 18mm 15mm }
TOLERANCE = 0.5  # point PDF (arrondis de pdftotext)


def mots_hors_zone(pdf):
    """[(page, mot, xMin, xMax en mm)] : les mots qui sortent de la zone de texte de leur page. Le pied de page
    (« Page n / m ») est dans la marge du bas par construction ; la couverture (page 1) n'a pas de marge haute ni
    basse, mais ses mots doivent tenir entre les marges de gauche et de droite comme les autres."""
    xhtml = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    hors = []
    for numero, (attributs, page) in enumerate(
        re.findall(r"<page ([^>]*)>(.*?)</page>", xhtml, re.S), start=1
    ):
        largeur = float(re.search(r'width="([\d.]+)"', attributs).group(1))
        hauteur = float(re.search(r'height="([\d.]+)"', attributs).group(1))
        for ligne in re.findall(r"<line [^>]*>(.*?)</line>", page, re.S):
            mots = re.findall(r"<word ([^>]*)>([^<]*)</word>", ligne)
            texte = " ".join(html.unescape(m) for _, m in mots)
            pied = bool(re.fullmatch(r"Page \d+ / \d+", texte))
            for boite, mot in mots:
                x0, y0, x1, y1 = (
                    float(re.search(rf'{c}="([-\d.]+)"', boite).group(1))
                    for c in ("xMin", "yMin", "xMax", "yMax")
                )
                dehors = x0 < GAUCHE_MM * MM - TOLERANCE or x1 > largeur - DROITE_MM * MM + TOLERANCE
                if numero > 1 and not pied:
                    dehors = dehors or y0 < HAUT_MM * MM - TOLERANCE or y1 > hauteur - BAS_MM * MM + TOLERANCE
                if dehors:
                    hors.append((numero, html.unescape(mot), round(x0 / MM, 1), round(x1 / MM, 1)))
    return hors


def test_le_detecteur_voit_un_tableau_qui_sort_de_la_page(tmp_path):
    """Le contrôle échoue bien sur un tableau trop large (sa dernière colonne passe la marge de droite)."""
    from weasyprint import CSS, HTML

    from inclusion.settings.base import BASE_DIR

    _exiger("pdftotext")
    cellules = "".join(f'<td style="white-space: nowrap">Colonne numéro {i}</td>' for i in range(9))
    chemin = tmp_path / "large.pdf"
    HTML(string=f"<html><body><table><tr>{cellules}</tr></table></body></html>").write_pdf(
        chemin, stylesheets=[CSS(filename=str(BASE_DIR / "static" / "css" / "impression.css"))]
    )
    assert any("numéro" in mot or mot.isdigit() for _, mot, _, _ in mots_hors_zone(chemin))


@pytest.mark.une_fois
def test_aucun_mot_hors_de_la_page_dans_les_bilans_de_plusieurs_annees(db, tmp_path):
    """Bilans 2023, 2024 et 2025 de la démonstration (2024 et 2025 : années générées par la démo vivante, avec
    des familles sans enregistrement, sans formation, sans analyse) : tableau par lieu compris."""
    _exiger("pdftotext")
    charger_la_demo()
    hors = {}
    for annee in (2023, 2024, 2025):
        chemin = tmp_path / f"bilan-{annee}.pdf"
        call_command("bilan", str(annee), "--format", "pdf", "--output", str(chemin), verbosity=0)
        texte = subprocess.run(
            ["pdftotext", "-layout", str(chemin), "-"], capture_output=True, text=True
        ).stdout
        assert "Écart" in texte  # la dernière colonne du tableau par lieu est imprimée…
        hors[annee] = mots_hors_zone(chemin)  # … et dans la page
    assert hors == {2023: [], 2024: [], 2025: []}
