"""Les échanges par la page (#27, #28) : téléverser une archive, un classeur ou un CSV, les téléversements hostiles
refusés en français, les exports zip et Coop demandés par la coordination. Les fichiers sont ceux de
test_echanges.py."""

import io
import zipfile

import pytest
from django.urls import reverse

from echanges.formats import FICHIERS as FORMATS_DECLARES
from echanges.sources import SourceClasseur
from formations.models import Theme
from inclusion.models import Lieu, Structure
from permanences.models import Passage, RendezVous
from tests.echanges.test_echanges import FICHIERS
from tests.rapports.jeu_de_donnees import construire
from tests.taches import exporter, octets_de, televerser


def test_televersement_zip_et_classeur(client, coordination, tmp_path):
    from openpyxl import Workbook

    client.force_login(coordination)
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w") as archive:
        for nom in ("lieux.csv", "structures.csv"):
            archive.writestr(f"export/{nom}", "\r\n".join(",".join(c) for c in FICHIERS[nom]))
    tampon.seek(0)
    tampon.name = "import.zip"
    reponse = televerser(client, tampon)
    assert "Import terminé." in reponse.content.decode()
    assert Lieu.objects.count() == 2 and Structure.objects.count() == 3
    classeur = Workbook()
    feuille = classeur.active
    feuille.title = "themes"
    feuille.append(["nom"])
    feuille.append(["Sécurité numérique"])
    donnees = io.BytesIO()
    classeur.save(donnees)
    donnees.seek(0)
    donnees.name = "import.xlsx"
    televerser(client, donnees)
    assert Theme.objects.get().nom == "Sécurité numérique"
    source = SourceClasseur(io.BytesIO(donnees.getvalue()))
    assert source.noms() == ["themes.csv"]


@pytest.mark.parametrize(
    "nom,contenu,message",
    [
        ("../../etc/passwd", b"x", "Nom de fichier refusé"),
        ("/lieux.csv", b"nom\nA", "Nom de fichier refusé"),
        ("lieux.csv", b"0" * 30_000_000, "taux de compression anormal"),
        ("autre.txt", b"x", "Aucun fichier reconnu"),
    ],
)
def test_televersements_hostiles_refuses(client, coordination, nom, contenu, message):
    client.force_login(coordination)
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(nom, contenu)
    tampon.seek(0)
    tampon.name = "piege.zip"
    reponse = client.post(reverse("rapports:import"), {"fichier": tampon})
    assert reponse.status_code == 400
    assert message in reponse.content.decode()
    assert Lieu.objects.count() == 0


def test_televersement_qui_n_est_pas_une_archive(client, coordination):
    client.force_login(coordination)
    faux = io.BytesIO(b"nom\nESC")
    faux.name = "lieux.txt"
    reponse = client.post(reverse("rapports:import"), {"fichier": faux})
    assert "une archive zip de fichiers CSV, un classeur XLSX, ou un fichier CSV déclaré" in (
        reponse.content.decode()
    )


def test_export_zip_et_coop(client, coordination):
    from openpyxl import load_workbook

    construire()
    client.force_login(coordination)
    archive = zipfile.ZipFile(io.BytesIO(octets_de(exporter(client, reverse("rapports:export_zip")))))
    assert set(archive.namelist()) == set(FORMATS_DECLARES)
    classeur = load_workbook(
        io.BytesIO(octets_de(exporter(client, reverse("rapports:export_coop"), {"annee": 2023})))
    )
    feuille = classeur["Activités"]
    lignes = list(feuille.iter_rows(min_row=22, values_only=True))  # sous le bloc de métadonnées
    assert lignes[0][7:9] == ("Type", "Participants") and feuille.tables["Activités"].ref.startswith("A22:")
    individuels = [ligne for ligne in lignes[1:] if ligne[7] == "Accompagnement individuel"]
    assert len(individuels) == (
        Passage.objects.filter(date__year=2023).count()
        + RendezVous.objects.filter(date__year=2023).honores().count()
    )
