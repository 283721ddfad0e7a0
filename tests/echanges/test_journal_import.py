"""#33, point 3 : chaque famille importée entre au journal des modifications avec l'auteur et la raison « import »."""

import pytest
from django.apps import apps

from echanges.importeur import importer
from echanges.sources import SourceFichiers
from formations.models import Inscription, SessionFormation
from inclusion.models import ClotureAnnee
from permanences.models import Passage, Refus, RendezVous
from rapports.models import ChiffreExterne, PointAnalyse, SuiviDonnees
from tests.echanges.test_echanges import FICHIERS, ecrire

ANALYSES = [
    ["annee", "section", "ordre", "titre", "texte"],
    ["2023", "permanences", "1", "Hausse", "Plus de monde"],
]
IMPORTES = {
    Passage: "passages.csv",
    Refus: "refus.csv",
    RendezVous: "rendez_vous.csv",
    SessionFormation: "sessions_formation.csv",
    Inscription: "inscriptions.csv",
    ChiffreExterne: "chiffres_externes.csv",
    PointAnalyse: "analyses.csv",
}
NON_IMPORTES = {
    ClotureAnnee: "publiée ou rouverte par la coordination sur la page du Bilan, jamais importée",
    SuiviDonnees: "date fixée dans l'administration, aucun fichier d'échange",
}


def test_chaque_famille_au_journal_est_importee_ou_dit_pourquoi_elle_ne_l_est_pas():
    journalises = {
        m for m in apps.get_models() if hasattr(m, "history") and not m.__name__.startswith("Historical")
    }
    assert journalises == set(IMPORTES) | set(NON_IMPORTES)


@pytest.mark.parametrize("modele", list(IMPORTES), ids=lambda m: m.__name__)
@pytest.mark.django_db
def test_une_famille_importee_entre_au_journal_avec_la_raison_import(modele, tmp_path, coordination):
    ecrire(tmp_path, {**FICHIERS, "analyses.csv": ANALYSES})
    importer(SourceFichiers.dossier(tmp_path), user=coordination)
    assert modele.objects.exists(), IMPORTES[modele]
    journal = modele.history.all()
    assert journal.filter(history_type="+").count() == modele.objects.count()
    assert set(journal.values_list("history_change_reason", "history_user_id")) == {
        ("import", coordination.pk)
    }


@pytest.mark.django_db
def test_une_valeur_reimportee_est_une_modification_par_import(tmp_path, coordination):
    ecrire(tmp_path, {"chiffres_externes.csv": FICHIERS["chiffres_externes.csv"], "analyses.csv": ANALYSES})
    importer(SourceFichiers.dossier(tmp_path), user=coordination)
    autre = tmp_path / "autre"
    autre.mkdir()
    ecrire(
        autre,
        {
            "chiffres_externes.csv": [
                FICHIERS["chiffres_externes.csv"][0],
                ["2023", "dispositif.personnes_recues_externes", "4200", "ERE"],
            ],
            "analyses.csv": [ANALYSES[0], ["2023", "permanences", "1", "Hausse", "Encore plus de monde"]],
        },
    )
    importer(SourceFichiers.dossier(autre), user=coordination)
    assert ChiffreExterne.objects.get().valeur == 4200
    for modele in (ChiffreExterne, PointAnalyse):
        modification = modele.history.get(history_type="~")
        assert (modification.history_change_reason, modification.history_user_id) == (
            "import",
            coordination.pk,
        )
