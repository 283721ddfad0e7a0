"""Le processus de fond n'importe aucun travail : il lit le registre que rapports et echanges remplissent dans leur
AppConfig.ready() ; une tâche mise en file avant #32, sous l'ancien chemin, s'exécute encore."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django_tasks_db.models import DBTaskResult

from echanges import travaux as travaux_des_echanges
from rapports import travaux as travaux_du_bilan
from tests.taches import executer_les_taches
from travaux import registre
from travaux.enums import NatureTraitement, StatutTraitement
from travaux.services import demander


def test_chaque_nature_a_son_travail_inscrit_par_son_application():
    assert set(registre.TRAVAUX) == set(NatureTraitement.values)
    assert registre.TRAVAUX[NatureTraitement.BILAN] is travaux_du_bilan.rendre_bilan
    assert registre.TRAVAUX[NatureTraitement.IMPORT] is travaux_des_echanges.importer


def test_une_nature_n_a_qu_un_travail(monkeypatch):
    monkeypatch.setattr(registre, "TRAVAUX", {})
    registre.inscrire("x", travaux_du_bilan.rendre_bilan)
    registre.inscrire("x", travaux_du_bilan.rendre_bilan)  # la même inscription deux fois : rien ne change
    with pytest.raises(ImproperlyConfigured):
        registre.inscrire("x", travaux_du_bilan.exporter_tableau)
    with pytest.raises(LookupError, match="Aucune application"):
        registre.travail_de("y")


def test_une_tache_mise_en_file_avant_32_sous_l_ancien_chemin_s_execute(db):
    traitement = demander(NatureTraitement.EXPORT_COMPLET, parametres={"annee": 2023})
    resultat = DBTaskResult.objects.get(id=traitement.tache)
    assert resultat.task_path == "travaux.taches.executer_traitement"
    resultat.task_path = "rapports.traitements.taches.executer_traitement"  # ce que garde une file d'avant
    resultat.save(update_fields=["task_path"])
    assert executer_les_taches() == 1
    traitement.refresh_from_db()
    assert traitement.statut == StatutTraitement.TERMINE and traitement.fichier
