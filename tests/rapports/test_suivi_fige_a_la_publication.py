"""#28, le trou laissé ouvert : sans date de suivi fixée, une famille est suivie depuis le 1er janvier de l'année
de son premier enregistrement. Un enregistrement ajouté dans une année ouverte antérieure à une année close
déplaçait cette date, et ce que l'année close disait connu ou inconnu. La publication fixe désormais la date de
chaque famille (la migration rapports 0013 fait de même pour les années déjà closes)."""

import datetime
import importlib

import pytest
from django.apps import apps
from freezegun import freeze_time

from inclusion.models import ClotureAnnee
from inclusion.services import creer_quartier
from permanences.models import Refus
from rapports.enums import FamilleSuivie
from rapports.models import SuiviDonnees
from rapports.services import publier_bilan
from rapports.suivi import NON_SUIVI, etat_suivi, suivi_depuis
from tests.permanences.factories import PassageFactory, PermanenceFactory, RefusFactory

MIGRATION = importlib.import_module("rapports.migrations.0013_dates_de_suivi_des_annees_closes")


def _etats(annee):
    depuis = suivi_depuis()
    debut, fin = datetime.date(annee, 1, 1), datetime.date(annee + 1, 1, 1)
    return {famille: etat_suivi(famille, d, debut=debut, fin=fin).etat for famille, d in depuis.items()}


@pytest.fixture
def annee_2023(db):
    """Des refus et des passages en 2023 (sans quartier : la famille « quartiers » n'est jamais notée)."""
    permanence = PermanenceFactory(date=datetime.date(2023, 3, 6))
    PassageFactory.create_batch(3, permanence=permanence)
    RefusFactory(permanence=permanence)


def _ajouter_dans_une_annee_ouverte_anterieure():
    permanence = PermanenceFactory(date=datetime.date(2021, 5, 3))
    RefusFactory(permanence=permanence)
    PassageFactory(permanence=permanence, quartier=creer_quartier(nom="Quartier de 2021"))


@freeze_time("2024-03-01 10:00")
def test_la_publication_fixe_les_dates_et_un_ajout_anterieur_ne_change_plus_l_annee_close(annee_2023):
    avant = {annee: _etats(annee) for annee in (2022, 2023)}
    defauts = suivi_depuis()
    assert defauts[FamilleSuivie.REFUS] == datetime.date(2023, 1, 1)
    assert defauts[FamilleSuivie.QUARTIERS] is None  # jamais notée
    publier_bilan(2023)
    fixees = dict(SuiviDonnees.objects.values_list("famille", "depuis"))
    assert set(fixees) == set(FamilleSuivie.values)
    assert fixees[FamilleSuivie.REFUS] == datetime.date(2023, 1, 1)
    assert fixees[FamilleSuivie.QUARTIERS] == datetime.date(2024, 1, 1)  # non suivie jusqu'à la fin de 2023
    assert {annee: _etats(annee) for annee in (2022, 2023)} == avant  # la publication ne change rien

    _ajouter_dans_une_annee_ouverte_anterieure()  # 2021 est ouverte : permis

    assert Refus.objects.filter(date__year=2021).exists()
    assert {annee: _etats(annee) for annee in (2022, 2023)} == avant
    assert (
        avant[2022][FamilleSuivie.REFUS] == NON_SUIVI
    )  # 2022, l'année comparée du Bilan 2023, reste inconnue


def test_sans_date_fixee_l_ajout_anterieur_changeait_l_annee_close(annee_2023):
    """Ce que la publication empêche désormais (le trou, montré sur une année close sans dates fixées)."""
    ClotureAnnee.objects.create(annee=2023, close=True)
    avant = _etats(2022)
    _ajouter_dans_une_annee_ouverte_anterieure()
    assert _etats(2022) != avant


def test_la_migration_fixe_les_dates_des_annees_deja_closes(annee_2023):
    MIGRATION.figer(apps, None)
    assert not SuiviDonnees.objects.exists()  # aucune année close : rien n'est écrit
    ClotureAnnee.objects.create(annee=2023, close=True)
    avant = {annee: _etats(annee) for annee in (2022, 2023)}
    MIGRATION.figer(apps, None)
    fixees = dict(SuiviDonnees.objects.values_list("famille", "depuis"))
    assert fixees[FamilleSuivie.REFUS] == datetime.date(2023, 1, 1)
    assert fixees[FamilleSuivie.QUARTIERS] == datetime.date(2024, 1, 1)
    MIGRATION.figer(apps, None)  # rejouée : rien de plus
    assert SuiviDonnees.objects.count() == len(FamilleSuivie.values)
    _ajouter_dans_une_annee_ouverte_anterieure()
    assert {annee: _etats(annee) for annee in (2022, 2023)} == avant


@freeze_time("2024-03-01 10:00")
def test_une_date_de_suivi_ne_se_supprime_plus_une_fois_une_annee_close(annee_2023):
    """Sans ce refus, supprimer la ligne fixée rouvrait le trou : la date par défaut revenait et suivait un
    enregistrement ajouté dans une année ouverte antérieure."""
    from django.db import connection

    from inclusion.annees_closes import AnneeClose

    publier_bilan(2023)
    ligne = SuiviDonnees.objects.get(famille=FamilleSuivie.QUARTIERS)
    with pytest.raises(AnneeClose, match="L'année 2023 est close"):
        ligne.delete()
    with pytest.raises(AnneeClose, match="L'année 2023 est close"):
        SuiviDonnees.objects.filter(famille=FamilleSuivie.REFUS).delete()
    if connection.vendor == "postgresql":  # le déclencheur refuse le SQL brut
        from django.db import transaction

        with (
            pytest.raises(Exception, match="Une date de suivi ne peut plus être supprimée"),
            transaction.atomic(),
            connection.cursor() as curseur,
        ):
            curseur.execute("DELETE FROM rapports_suividonnees")
    assert SuiviDonnees.objects.count() == len(FamilleSuivie.values)
    ligne.commentaire = "Noté au propre"  # elle reste modifiable dans les limites de la clôture
    ligne.save()


def test_l_administration_refuse_la_suppression_d_une_date_de_suivi(annee_2023, client):
    from django.contrib.auth.models import User
    from django.urls import reverse

    ClotureAnnee.objects.create(annee=2023, close=False)
    ligne = SuiviDonnees.objects.create(famille=FamilleSuivie.REFUS, depuis=datetime.date(2023, 1, 1))
    ClotureAnnee.objects.update(close=True)
    client.force_login(User.objects.create_superuser("super", "super@example.org", "mot-de-passe-de-test"))
    adresse = reverse("admin:rapports_suividonnees_delete", args=[ligne.pk])
    client.post(adresse, {"post": "yes"}, follow=True)
    assert SuiviDonnees.objects.filter(pk=ligne.pk).exists()


@freeze_time("2026-03-01 10:00")
def test_une_famille_notee_apres_l_annee_close_est_fixee_au_lendemain_de_celle_ci(db):
    """Premier refus en 2025, 2023 publiée : la date fixée est le 1er janvier 2024 (pas 2025), et des refus saisis
    ensuite en 2024, année ouverte, comptent ; 2023 reste non suivie."""
    PassageFactory(permanence=PermanenceFactory(date=datetime.date(2023, 3, 6)))
    RefusFactory(permanence=PermanenceFactory(date=datetime.date(2025, 2, 3)))
    publier_bilan(2023)
    assert SuiviDonnees.objects.get(famille=FamilleSuivie.REFUS).depuis == datetime.date(2024, 1, 1)
    RefusFactory(permanence=PermanenceFactory(date=datetime.date(2024, 5, 6)))
    assert _etats(2024)[FamilleSuivie.REFUS] != NON_SUIVI
    assert _etats(2023)[FamilleSuivie.REFUS] == NON_SUIVI
