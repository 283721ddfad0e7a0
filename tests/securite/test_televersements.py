"""#19, points 6, 7 (import) et 9 : un petit fichier hostile n'occupe pas le serveur et ne donne jamais de 500.

Chaque cas passe par la page d'import (téléversement), comme un attaquant le ferait ; la page répond 400 avec un
message en français, rien n'est écrit.
"""

import io
import random
import re
import string
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from openpyxl import Workbook

from inclusion.models import Lieu
from tests.taches import televerser


def _zip(fichiers, compression=zipfile.ZIP_DEFLATED):
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", compression) as archive:
        for nom, contenu in fichiers.items():
            archive.writestr(nom, contenu)
    return tampon.getvalue()


def _televerser(client, contenu, nom="import.zip"):
    return televerser(client, SimpleUploadedFile(nom, contenu))


def _refuse(reponse):
    """Refusé d'emblée (garde-fous du téléversement : 400) ou par l'import en fond (page du travail)."""
    return reponse.status_code == 400 or "Import refusé" in reponse.content.decode()


def _xlsx(lignes, titre="lieux"):
    classeur = Workbook()
    feuille = classeur.active
    feuille.title = titre
    for ligne in lignes:
        feuille.append(ligne)
    tampon = io.BytesIO()
    classeur.save(tampon)
    return tampon.getvalue()


def _remplacer_dans_le_xlsx(contenu, partie, remplacer):
    entree, sortie = zipfile.ZipFile(io.BytesIO(contenu)), io.BytesIO()
    with zipfile.ZipFile(sortie, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in entree.infolist():
            donnees = entree.read(info.filename)
            archive.writestr(info.filename, remplacer(donnees) if info.filename == partie else donnees)
    return sortie.getvalue()


def _aleatoire(n):
    """Du texte qui ne se compresse pas (sinon le garde-fou contre les bombes refuserait avant le test)."""
    return "".join(random.Random(n).choices(string.ascii_letters, k=n))


def _ajouter_au_xlsx(contenu, partie, donnees):
    sortie = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(contenu)) as entree,
        zipfile.ZipFile(sortie, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        for info in entree.infolist():
            archive.writestr(info.filename, entree.read(info.filename))
        archive.writestr(partie, donnees)
    return sortie.getvalue()


@pytest.fixture
def coord(client, coordination):
    client.force_login(coordination)
    return client


def test_trente_mille_colonnes_refusees_vite(coord):
    entetes = ",".join(f"c{i}" for i in range(30_000)) + "\n"
    debut = time.process_time()
    reponse = _televerser(coord, _zip({"lieux.csv": entetes + "x\n"}))
    assert _refuse(reponse)
    assert "30000 colonnes : 64 au plus" in reponse.content.decode()
    assert time.process_time() - debut < 20  # garde-fou très large ; la mesure est dans make bench, pas ici


def test_colonnes_en_double_detectees_en_temps_lineaire():
    from inclusion.echanges import verifier_entetes

    assert verifier_entetes(["nom", "nom", "adresse"], ["nom"], ["adresse"]) == [("nom", "colonne en double")]


def test_un_xlsx_qui_annonce_un_million_de_lignes_n_est_lu_que_pour_ses_vraies_lignes(coord):
    from echanges.sources import source_televersee

    contenu = _remplacer_dans_le_xlsx(
        _xlsx([["nom"], ["ESC A"], ["ESC B"]]),
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="A1:XFD1048576"/>', xml),
    )
    assert b"XFD1048576" in zipfile.ZipFile(io.BytesIO(contenu)).read("xl/worksheets/sheet1.xml")
    source = source_televersee(SimpleUploadedFile("c.xlsx", contenu))
    _, lignes, _ = source.lire("lieux.csv")
    assert [ligne[:1] for ligne in lignes] == [["ESC A"], ["ESC B"]]
    assert _televerser(coord, contenu, "c.xlsx").status_code == 200
    assert set(Lieu.objects.values_list("nom", flat=True)) == {"ESC A", "ESC B"}


@override_settings(
    INCLUSION={**__import__("django.conf").conf.settings.INCLUSION, "IMPORT_XLSX_TEXTES_MAX_OCTETS": 2000}
)
def test_un_xlsx_dont_les_textes_decompresses_sont_trop_gros_est_refuse(coord):
    contenu = _ajouter_au_xlsx(_xlsx([["nom"], ["ESC"]]), "xl/sharedStrings.xml", _aleatoire(5000).encode())
    reponse = _televerser(coord, contenu, "c.xlsx")
    assert _refuse(reponse)
    assert "importez plutôt une archive zip de fichiers CSV" in reponse.content.decode()


def test_une_cellule_d_en_tete_de_200_ko(coord):
    reponse = _televerser(coord, _zip({"lieux.csv": "nom," + _aleatoire(200_000) + "\nA,b\n"}))
    assert _refuse(reponse)
    assert "une cellule dépasse 10000 caractères" in reponse.content.decode()


def test_une_ligne_d_en_tete_indechiffrable(coord):
    reponse = _televerser(coord, _zip({"lieux.csv": b"\x81\x8d\x8f\x90\x9d\n\x81\n"}))
    assert _refuse(reponse)
    assert "encodage illisible" in reponse.content.decode()


def test_une_archive_endommagee(coord):
    contenu = bytearray(_zip({"lieux.csv": "nom\n" + _aleatoire(30_000) + "\n"}))
    milieu = contenu.index(b"PK\x01\x02") // 2  # dans les données compressées du fichier
    contenu[milieu] ^= 0xFF
    reponse = _televerser(coord, bytes(contenu))
    assert _refuse(reponse)
    assert "lieux.csv:0: (fichier): archive endommagée" in reponse.content.decode()
    assert not Lieu.objects.exists()


def test_un_xlsx_avec_des_entites_xml(coord):
    def bombe(xml):
        entites = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        return entites + xml.replace(b"<t>ESC</t>", b"<t>&b;</t>")

    contenu = _remplacer_dans_le_xlsx(_xlsx([["nom"], ["ESC"]]), "xl/worksheets/sheet1.xml", bombe)
    assert b"<!ENTITY" in zipfile.ZipFile(io.BytesIO(contenu)).read("xl/worksheets/sheet1.xml")
    reponse = _televerser(coord, contenu, "c.xlsx")
    assert _refuse(reponse)
    assert "Classeur XLSX illisible ou refusé" in reponse.content.decode()


def test_windows_1252_dans_une_archive_accent_loin_du_debut(coord):
    """L'échantillon d'une archive ne faisait que 512 octets : un accent plus loin donnait un 500."""
    lignes = ["nom,adresse"] + [f"ESC {i},rue {i}" for i in range(60)] + ["ESC Bréquigny,allée des Cèdres"]
    contenu = ("\n".join(lignes) + "\n").encode("cp1252")
    assert contenu.index("é".encode("cp1252")) > 600
    reponse = _televerser(coord, _zip({"lieux.csv": contenu}))
    assert reponse.status_code == 200, reponse.content.decode()[-2000:]
    assert Lieu.objects.get(nom="ESC Bréquigny").adresse == "allée des Cèdres"


@override_settings(INCLUSION={**__import__("django.conf").conf.settings.INCLUSION, "IMPORT_LIGNES_MAX": 5})
def test_trop_de_lignes(coord):
    reponse = _televerser(coord, _zip({"lieux.csv": "nom\n" + "".join(f"ESC {i}\n" for i in range(10))}))
    assert _refuse(reponse) and "plus de 5 lignes" in reponse.content.decode()
    assert not Lieu.objects.exists()
