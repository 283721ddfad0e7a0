"""#29, point 7 : le PDF du Bilan passé par un œil de graphiste — apostrophes typographiques et espaces
insécables (un seul filtre), aucun texte sous 7 points (graphiques compris), aucune étiquette de graphique qui en
chevauche une autre, les tranches d'âge dans l'ordre des âges, une police qui a chaque glyphe du document."""

import subprocess

import pytest
from django.core.management import call_command

from rapports.bilan import bilan_json
from rapports.graphiques import chevauchements, figure_barres
from rapports.typographie import html_francais, police_du_document, texte_francais
from tests.rapports.test_document import _exiger

TAILLE_MINIMALE = 7  # points
AGES = ["12 à 17 ans", "18 à 24 ans", "25 à 39 ans", "40 à 59 ans", "60 à 69 ans", "70 ans et plus"]


def test_le_filtre_ne_touche_que_le_texte():
    source = (
        "<p title=\"l'attribut\">L'équipe : 21 min ; jusqu&#x27;à 2 h 00 ! « ok » 50 %</p>"
        "<textarea>l'analyse tapée : telle quelle</textarea><code>{a}</code>"
        '<a href="https://exemple.fr/?a=1">https://exemple.fr</a>'
    )
    assert html_francais(source) == (
        '<p title="l\'attribut">L’équipe\u00a0: 21\u00a0min\u202f; jusqu’à 2\u00a0h\u00a000\u202f! «\u00a0ok\u00a0» '
        "50\u202f%</p><textarea>l'analyse tapée : telle quelle</textarea><code>{a}</code>"
        '<a href="https://exemple.fr/?a=1">https://exemple.fr</a>'
    )
    assert texte_francais("Freins à l'autonomie") == "Freins à l’autonomie"


@pytest.fixture(scope="module")
def pdf_2023(demo_historique, django_db_blocker, tmp_path_factory):
    """Le Bilan 2023 de la démonstration, en PDF, et son texte (pdftotext), une fois pour le module."""
    _exiger("pdftotext")
    chemin = tmp_path_factory.mktemp("typo") / "bilan-2023.pdf"
    with django_db_blocker.unblock():
        call_command("bilan", "2023", "--format", "pdf", "--output", str(chemin), verbosity=0)
    texte = subprocess.run(["pdftotext", str(chemin), "-"], capture_output=True, text=True, check=True).stdout
    return chemin, texte


def tailles_du_texte(pdf):
    """[(page, taille effective en points, texte)] de chaque morceau de texte du PDF, graphiques SVG compris :
    la taille de la police multipliée par l'échelle verticale des matrices de texte et de dessin."""
    from pypdf import PdfReader

    resultat = []
    for numero, page in enumerate(PdfReader(str(pdf)).pages, start=1):

        def visiteur(texte, cm, tm, _police, taille, numero=numero):
            if texte.strip():
                c, d = tm[2], tm[3]
                echelle = ((c * cm[0] + d * cm[2]) ** 2 + (c * cm[1] + d * cm[3]) ** 2) ** 0.5
                resultat.append((numero, round(taille * echelle, 2), texte.strip()[:30]))

        page.extract_text(visitor_text=visiteur)
    return resultat


@pytest.mark.django_db
def test_aucune_apostrophe_droite_dans_le_pdf(pdf_2023):
    _, texte = pdf_2023
    assert "’" in texte
    droites = [ligne for ligne in texte.splitlines() if "'" in ligne]
    assert not droites, droites[:5]


@pytest.mark.django_db
def test_aucun_texte_sous_7_points_dans_le_pdf(pdf_2023):
    chemin, _ = pdf_2023
    tailles = tailles_du_texte(chemin)
    assert len(tailles) > 500  # tout le document est lu, graphiques compris
    assert any(t == 8.0 for _, t, _ in tailles)  # les étiquettes des graphiques, à leur taille d'impression
    petits = [(page, taille, texte) for page, taille, texte in tailles if taille < TAILLE_MINIMALE - 0.01]
    assert not petits, petits[:10]


def test_le_detecteur_voit_un_texte_sous_7_points(tmp_path):
    """Le contrôle ci-dessus échoue bien sur un texte de 6 points, et sur un graphique réduit à l'impression."""
    from weasyprint import HTML

    from rapports.graphiques import barres

    graphique = barres("Essai", ["A", "B"], [1, 2])
    chemin = tmp_path / "petit.pdf"
    HTML(
        string=f'<p style="font-size: 6pt">Petit</p><img style="width: 50mm" src="{graphique.data_uri}">'
    ).write_pdf(chemin)
    petits = {texte for _, taille, texte in tailles_du_texte(chemin) if taille < TAILLE_MINIMALE}
    assert "Petit" in petits and {"1", "2"} <= petits  # les étiquettes du graphique réduit


@pytest.mark.django_db
def test_les_tranches_d_age_dans_l_ordre_des_ages(pdf_2023):
    _, texte = pdf_2023
    parts = bilan_json(2023)["permanences"]["tranche_age_pct"]
    par_taille = sorted((c for c in parts if parts[c]["valeur"]), key=lambda c: -parts[c]["valeur"])
    assert par_taille != [
        c for c in parts if parts[c]["valeur"]
    ]  # l'ordre des tailles n'est pas celui des âges
    debut = texte.index("Tranches d’âge")
    positions = [texte.index(age, debut) for age in AGES]
    assert positions == sorted(positions)


@pytest.mark.django_db
def test_la_police_a_chaque_glyphe_du_document(pdf_2023):
    """Chaque caractère imprimé (et ceux des logos de la démonstration) a son glyphe dans DejaVu Sans ; la police
    par défaut de Pillow, avec laquelle le logo « Conseiller numérique » était dessiné, n'a pas « é »."""
    from fontTools.ttLib import TTFont
    from PIL import ImageFont

    _, texte = pdf_2023
    glyphes = TTFont(police_du_document()).getBestCmap()
    absents = {
        c for c in texte + "Conseiller numérique France services" if not c.isspace() and ord(c) not in glyphes
    }
    assert not absents
    aileron = ImageFont.load_default(36)
    manquant = bytes(aileron.getmask("\uffff"))
    assert bytes(aileron.getmask("é")) == manquant  # la cause de « num▯rique »
    dejavu = ImageFont.truetype(police_du_document(), 36)
    assert bytes(dejavu.getmask("é")) != bytes(dejavu.getmask("\uffff"))


@pytest.mark.parametrize(
    "libelles, valeurs, precedent",
    [
        (
            [
                "Préfecture – droit des étrangers",
                "Assurance maladie (Ameli)",
                "ANTS (titres d'identité, permis, carte grise)",
                "Énergie (électricité, gaz, eau)",
                *[f"Démarche numéro {i}" for i in range(12)],
            ],
            [53.6, 7.4, 6.5, 6.0, *[0.9 + i / 10 for i in range(12)]],
            [42.9, 9.1, 8.0, 7.4, *[1.2] * 12],
        ),
        (["A", "B", "C"], [1, 1, 1], [1, 1, 1]),
        (["Un très long libellé de structure partenaire qui ne tient pas", "B"], [409, 90], None),
    ],
)
def test_aucune_etiquette_de_graphique_n_en_chevauche_une_autre(libelles, valeurs, precedent):
    figure = figure_barres("Titre", libelles, valeurs, precedent, "part", ("2023", "2022"))
    assert chevauchements(figure) == []


def test_le_detecteur_voit_des_etiquettes_qui_se_chevauchent():
    from matplotlib.figure import Figure

    figure = Figure(figsize=(2, 1))
    figure.text(0.1, 0.5, "Une étiquette")
    figure.text(0.15, 0.5, "Une autre")
    assert chevauchements(figure)


def test_les_logos_de_la_demo_ont_le_glyphe_de_chaque_lettre():
    """« Conseiller numérique » et non « num▯rique » : dessiné par la démonstration, « é » n'est pas le carré
    d'un glyphe absent (celui d'un caractère qu'aucune police n'a, U+E000)."""
    from demo.donnees.document import dessiner_logo

    absent, _ = dessiner_logo("\ue000", "#0b4f8a")
    for lettre in "éèêàçô’":
        assert dessiner_logo(lettre, "#0b4f8a")[0] != absent, lettre
