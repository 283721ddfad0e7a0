"""Les formats d'échange sont déclarés une fois (echanges/formats.py) : le README, la page d'import,
l'export et l'import en sont tirés ; un enregistrement importé a son entrée au journal."""

import csv
import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from echanges.enregistrements import TRAITEMENTS
from echanges.formats import FICHIERS, tableau_readme
from echanges.importeur import importer
from echanges.management.commands.formats_echanges import readme_avec_tableau
from echanges.sources import SourceFichiers
from permanences.models import Passage, Refus, RendezVous
from tests.echanges.test_echanges import FICHIERS as JEU_COMPLET
from tests.echanges.test_echanges import ecrire
from tests.rapports.jeu_de_donnees import construire
from tests.taches import exporter, octets_de


def test_le_readme_montre_le_tableau_des_declarations():
    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    assert readme_avec_tableau(readme) == readme, "lancez : python manage.py formats_echanges --readme"
    assert "| `passages.csv` | `date`, `lieu`, `heure_debut_permanence?`, `type_demande`" in tableau_readme()


def test_la_page_d_import_montre_chaque_colonne_declaree(client, coordination):
    client.force_login(coordination)
    page = client.get(reverse("rapports:import")).content.decode()
    for fichier in FICHIERS.values():
        assert f"<code>{fichier.nom}</code>" in page
        for colonne in fichier.colonnes:
            assert f"<code>{colonne.nom}</code>" in page
    assert "(codes séparés par |)" in page


def test_l_export_ecrit_les_colonnes_declarees_dans_leur_ordre(client, coordination):
    construire()
    client.force_login(coordination)
    archive = zipfile.ZipFile(io.BytesIO(octets_de(exporter(client, reverse("rapports:export_zip")))))
    for nom, fichier in FICHIERS.items():
        entetes = next(csv.reader(io.StringIO(archive.read(nom).decode())))
        assert entetes == fichier.entetes, nom
    passages = list(csv.DictReader(io.StringIO(archive.read("passages.csv").decode())))
    assert len(passages) == Passage.objects.count()
    assert {p["autre_venue_necessaire"] for p in passages} <= {"oui", "non"}


@pytest.mark.django_db
def test_un_enregistrement_importe_entre_au_journal(tmp_path, coordination):
    ecrire(tmp_path, JEU_COMPLET)
    importer(SourceFichiers.dossier(tmp_path), user=coordination)
    for modele in (Passage, Refus, RendezVous):
        assert modele.objects.exists()
        journal = modele.history.filter(history_type="+")
        assert journal.count() == modele.objects.count(), modele
        assert set(journal.values_list("history_change_reason", "history_user_id")) == {
            ("import", coordination.pk)
        }
        assert set(journal.values_list("id", flat=True)) == set(modele.objects.values_list("pk", flat=True))
    premier = Passage.objects.order_by("pk").first()
    entree = Passage.history.get(id=premier.pk)
    assert (entree.duree_minutes, entree.type_demande, entree.date) == (
        premier.duree_minutes,
        premier.type_demande,
        premier.date,
    )


def test_chaque_fichier_declare_a_son_traitement_declare_avec_lui():
    """« Qui traite passages.csv ? » se lit dans echanges.enregistrements.TRAITEMENTS, fichier par fichier."""
    assert list(TRAITEMENTS) == list(FICHIERS)
    assert all(callable(lire) for lire, _ in TRAITEMENTS.values())
