"""#33, point 2 : un export de la démonstration, importé dans une base vidée, redonne chaque Bilan JSON octet pour
octet (tel que la page et la commande le produisent, sans rien trier)."""

import datetime
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from echanges.importeur import ImportRefuse, importer
from echanges.sources import SourceFichiers
from permanences.models import Arrivee, Permanence
from rapports.bilan import Periode, comparer_periodes, json_du_bilan
from tests.demonstration import charger_la_demo
from tests.permanences.factories import ArriveeFactory, PermanenceFactory


def _modeles():
    """Chaque table du projet, tables de liaison et journal des modifications compris."""
    return [m for m in apps.get_models(include_auto_created=True) if not m._meta.proxy and m._meta.managed]


def _octets_des_bilans(annees):
    return {annee: json_du_bilan(comparer_periodes(Periode.annee(annee))).encode() for annee in annees}


# Une fois en CI (sur PostgreSQL) : l'import sur SQLite est essayé par test_echanges et le test suivant.
@pytest.mark.une_fois
@pytest.mark.django_db
def test_l_aller_retour_de_la_demo_redonne_chaque_bilan_octet_pour_octet(tmp_path):
    # Ce que les migrations ont mis dans une base neuve (démarches, rôles…) : c'est la base « vide ».
    neuve = {m: set(m._base_manager.values_list("pk", flat=True)) for m in _modeles()}
    charger_la_demo()
    annees = range(2022, timezone.localdate().year + 1)
    avant = _octets_des_bilans(annees)
    assert Arrivee.objects.exclude(tranche_age="", genre="").exists()  # le profil à l'accueil voyage
    call_command("exporter", str(tmp_path), stdout=StringIO())

    for modele in _modeles():  # chaque table, sans cascade ni contrôle (contraintes vérifiées à la fin)
        modele._base_manager.exclude(pk__in=neuve[modele])._raw_delete(connection.alias)
    assert all(set(m._base_manager.values_list("pk", flat=True)) == neuve[m] for m in _modeles())

    call_command("importer", str(tmp_path), "--sync", stdout=StringIO())
    apres = _octets_des_bilans(annees)
    for annee in annees:
        assert apres[annee] == avant[annee], annee


@pytest.mark.django_db
def test_arrivees_exportees_et_reimportees_heure_profil_annulation(tmp_path):
    permanence = PermanenceFactory(date=datetime.date(2024, 3, 5), heure_debut=datetime.time(9))
    a_l_heure = timezone.make_aware(datetime.datetime(2024, 3, 5, 9, 47))
    ArriveeFactory(permanence=permanence, horodatage=a_l_heure, tranche_age="60_69", genre="feminin")
    ArriveeFactory(permanence=permanence, annulee_le=a_l_heure)
    call_command("exporter", str(tmp_path), stdout=StringIO())
    lignes = (tmp_path / "arrivees.csv").read_text().splitlines()
    assert lignes[1:] == [
        f"2024-03-05,{permanence.lieu.nom},09:00,09:30,,,oui",
        f"2024-03-05,{permanence.lieu.nom},09:00,09:47,60_69,feminin,non",
    ]
    Arrivee.objects.all()._raw_delete(connection.alias)  # une base vidée : une arrivée ne se supprime jamais
    importer(SourceFichiers.dossier(tmp_path))
    assert Permanence.objects.count() == 1
    annulee, profil = Arrivee.objects.order_by("horodatage")
    assert annulee.annulee_le == annulee.horodatage and profil.annulee_le is None
    assert (timezone.localtime(profil.horodatage).time(), profil.tranche_age, profil.genre) == (
        datetime.time(9, 47),
        "60_69",
        "feminin",
    )
    (tmp_path / "autre").mkdir()
    (tmp_path / "autre" / "arrivees.csv").write_text("date,lieu,heure,genre\n2024-03-05,Inconnu,25:00,lune\n")
    with pytest.raises(ImportRefuse) as refus:
        importer(SourceFichiers.dossier(tmp_path / "autre"))
    texte = "\n".join(refus.value.rapport.lignes())
    assert (
        "arrivees.csv:2: lieu" in texte
        and "arrivees.csv:2: heure" in texte
        and "arrivees.csv:2: genre" in texte
    )
