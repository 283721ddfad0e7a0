"""#32 : Traitement, FichierImporte et JetonApi quittent rapports pour travaux, echanges et api sans toucher à
leurs tables. Une base au niveau des migrations d'avant (main), remplie de la démonstration et d'une ligne de
chaque modèle déplacé, migrée ensuite : chaque ligne de chaque table reste, et les types de contenu (permissions,
journal de l'administration) suivent leur modèle."""

import datetime

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from api.models import JetonApi
from echanges.models import FichierImporte
from travaux.enums import NatureTraitement
from travaux.models import Traitement

AVANT_32 = [("rapports", "0011_zeros_confirmes_suivi"), ("travaux", None), ("echanges", None), ("api", None)]
DEPLACES = {"traitement": "travaux", "fichierimporte": "echanges", "jetonapi": "api"}


def _migrer(cibles=None):
    executeur = MigrationExecutor(connection)
    executeur.migrate(cibles or executeur.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()


def _lignes_par_table():
    with connection.cursor() as curseur:
        comptes = {}
        for table in connection.introspection.table_names(curseur):
            if table != "django_migrations":
                curseur.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - noms lus dans la base
                comptes[table] = curseur.fetchone()[0]
    return comptes


@pytest.mark.postgresql
@pytest.mark.django_db
def test_migrer_une_base_d_avant_32_garde_chaque_ligne_et_chaque_type_de_contenu(coordination):
    _migrer(AVANT_32)
    types_avant = {
        m: ContentType.objects.get(app_label="rapports", model=m).pk for m in DEPLACES
    }  # la migration inverse les a rendus à rapports, comme dans une base d'avant #32
    call_command("donnees_demo", "--historique-seul", verbosity=0)
    traitement = Traitement.objects.create(nature=NatureTraitement.EXPORT_COMPLET, demande_par=coordination)
    FichierImporte.objects.create(nom="passages.csv", empreinte="0" * 64, lignes=3, importe_par=coordination)
    JetonApi.objects.create(
        nom="Métropole",
        prefixe="inc_abcd",
        empreinte="1" * 64,
        portees=["bilan"],
        expire_le=timezone.now() + datetime.timedelta(days=30),
    )
    voir = Permission.objects.get(content_type_id=types_avant["traitement"], codename="view_traitement")
    groupe = Group.objects.create(name="Lecteurs des travaux")
    groupe.permissions.add(voir)
    LogEntry.objects.create(  # écrit comme avant #32 (log_actions lirait le type de contenu d'après)
        user=coordination,
        content_type_id=types_avant["traitement"],
        object_id=str(traitement.pk),
        object_repr=str(traitement),
        action_flag=ADDITION,
    )
    assert not ContentType.objects.filter(app_label__in=["travaux", "echanges", "api"]).exists()
    avant = _lignes_par_table()
    assert avant["rapports_traitement"] and avant["rapports_fichierimporte"] and avant["rapports_jetonapi"]
    assert avant["permanences_passage"] > 1000  # la démonstration est là

    _migrer()

    assert _lignes_par_table() == avant
    for modele, application in DEPLACES.items():
        assert ContentType.objects.get(app_label=application, model=modele).pk == types_avant[modele]
        assert not ContentType.objects.filter(app_label="rapports", model=modele).exists()
    assert groupe.permissions.get().natural_key() == ("view_traitement", "travaux", "traitement")
    assert LogEntry.objects.get(content_type_id=types_avant["traitement"]).get_edited_object() == traitement
    assert Traitement.objects.get().demande_par == coordination
