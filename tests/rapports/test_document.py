"""Le Bilan comme document : au plus 16 pages, aucune page à moitié vide, aucun titre seul en bas de page.

Mesuré sur le PDF du Bilan 2023 de la démo : l'encre de chaque page dans son image (pdftoppm) et la dernière
ligne de texte de chaque page avec sa position (pdftotext -bbox-layout), de poppler-utils (`make chromium`).
"""

import html
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string

from rapports.bilan import Periode, comparer_periodes
from rapports.presentation import contexte_bilan

MARGE_HAUTE_MM, MARGE_BASSE_MM, HAUTEUR_MM = 16, 18, 297
RESOLUTION = 30  # points par pouce : assez pour mesurer l'encre


# La démonstration, écrite une fois pour le module (demo_complete), est dans la base de test.
# Mise en page du PDF : une fois en CI (marque une_fois), les chiffres qu'il imprime étant vérifiés sur les deux bases.
pytestmark = [pytest.mark.django_db, pytest.mark.une_fois]


def _exiger(*outils):
    """En CI, un outil absent fait échouer le test (jamais un saut silencieux) ; ailleurs, il le saute."""
    for outil in outils:
        if shutil.which(outil) is None:
            message = f"{outil} absent : `make chromium` installe poppler-utils"
            if os.environ.get("CI"):
                pytest.fail(message)
            pytest.skip(message)


@pytest.fixture(scope="module")
def pdf_de_la_demo(demo_complete, django_db_blocker, tmp_path_factory):
    """Le Bilan 2023 de la démonstration, rendu une fois pour le module (les tests ne font que le lire)."""
    _exiger("pdftoppm", "pdftotext")
    chemin = tmp_path_factory.mktemp("demo") / "bilan-2023.pdf"
    with django_db_blocker.unblock():
        call_command("bilan", "2023", "--format", "pdf", "--output", str(chemin))
    return chemin


def _remplissage(image):
    """Part de la zone utile de la page (entre les marges) occupée jusqu'à la dernière ligne d'encre."""
    from PIL import Image

    with Image.open(image) as page:
        gris = page.convert("L")
        largeur, hauteur = gris.size
        haut = round(hauteur * MARGE_HAUTE_MM / HAUTEUR_MM)
        bas = round(hauteur * (HAUTEUR_MM - MARGE_BASSE_MM) / HAUTEUR_MM)
        pixels = gris.load()
        derniere = haut
        for y in range(haut, bas):
            if any(pixels[x, y] < 200 for x in range(0, largeur, 2)):
                derniere = y
        return (derniere - haut) / (bas - haut)


def _dernieres_lignes(pdf):
    """Pour chaque page, le texte de sa dernière ligne (la plus basse), pied de page exclu."""
    xhtml = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    resultat = []
    for page in re.findall(r"<page .*?</page>", xhtml, re.S):
        lignes = []
        for attributs, contenu in re.findall(r"<line ([^>]*)>(.*?)</line>", page, re.S):
            bas = float(re.search(r'yMax="([\d.]+)"', attributs).group(1))
            texte = " ".join(html.unescape(m) for m in re.findall(r">([^<]*)</word>", contenu))
            if not re.fullmatch(r"Page \d+ / \d+", texte):
                lignes.append((bas, texte))
        resultat.append(max(lignes)[1] if lignes else "")
    return resultat


def _titres():
    """Les titres du document (h2, h3, h4), tels que le gabarit PDF les écrit."""
    page = render_to_string("rapports/bilan_pdf.html", contexte_bilan(comparer_periodes(Periode.annee(2023))))
    return {
        html.unescape(re.sub(r"<[^>]+>", "", t)).strip()
        for t in re.findall(r"<h[234][^>]*>(.*?)</h[234]>", page)
    }


def test_le_bilan_2023_tient_en_16_pages_sans_page_a_moitie_vide(pdf_de_la_demo, tmp_path):
    subprocess.run(
        ["pdftoppm", "-r", str(RESOLUTION), "-gray", "-png", str(pdf_de_la_demo), str(tmp_path / "p")],
        check=True,
    )
    images = sorted(Path(tmp_path).glob("p-*.png"))
    assert 2 <= len(images) <= 16, f"{len(images)} pages"
    remplissages = {numero: _remplissage(image) for numero, image in enumerate(images, start=1)}
    trop_vides = {
        numero: round(part, 2)
        for numero, part in remplissages.items()
        if 1 < numero < len(images) and part < 1 / 3
    }
    assert not trop_vides, f"pages remplies à moins d'un tiers : {trop_vides}"


def test_aucun_titre_n_est_la_derniere_ligne_d_une_page(pdf_de_la_demo):
    titres = _titres()
    assert {"Bilan des permanences numériques", "Annexe méthodologique", "Bilan formation"} <= titres
    dernieres = _dernieres_lignes(pdf_de_la_demo)
    seuls = [(numero, ligne) for numero, ligne in enumerate(dernieres, start=1) if ligne in titres]
    assert not seuls, f"titre seul en bas de page : {seuls}"


def test_le_detecteur_voit_un_titre_seul_en_bas_de_page(tmp_path):
    """Le contrôle ci-dessus échoue bien quand un titre finit une page (saut forcé juste après lui)."""
    from weasyprint import HTML

    _exiger("pdftotext")
    document = (
        '<html><body><div style="height: 200mm">Texte</div><h2>Titre orphelin</h2>'
        '<p style="break-before: page">Suite</p></body></html>'
    )
    chemin = tmp_path / "orphelin.pdf"
    HTML(string=document).write_pdf(chemin)
    assert _dernieres_lignes(chemin)[0] == "Titre orphelin"
