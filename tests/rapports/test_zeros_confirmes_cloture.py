"""Les zéros confirmés d'un suivi (#29) dans une base où une année est close (#28).

La date de suivi d'une famille est figée dès qu'une année close la suit (elle changerait les chiffres publiés) ;
les zéros confirmés, non : la coordination confirme encore qu'une année ouverte n'a réellement aucun enregistrement.
Une année close, elle, n'entre ni ne sort de la liste, par aucun chemin (objet, QuerySet, administration, SQL brut
sur PostgreSQL).
"""

import datetime

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from inclusion.cloture import AnneeClose, annee_close_de
from inclusion.models import ClotureAnnee
from rapports.models import SuiviDonnees
from rapports.suivi import zeros_confirmes

MESSAGE = "L'année 2023 est close"


@pytest.fixture
def suivi(db):
    """Refus suivis depuis 2022, zéro confirmé pour 2023 ; puis 2023 close : la date est figée."""
    suivi = SuiviDonnees.objects.create(
        famille="refus", depuis=datetime.date(2022, 1, 1), zeros_confirmes="2023"
    )
    ClotureAnnee.objects.create(annee=2023, close=True)
    return suivi


def _zeros():
    return SuiviDonnees.objects.values_list("zeros_confirmes", flat=True).get()


def test_confirmer_un_zero_d_une_annee_ouverte_passe_par_chaque_chemin(suivi):
    lignes = SuiviDonnees.objects.filter(pk=suivi.pk)
    suivi.zeros_confirmes = "2023, 2024"
    suivi.full_clean()
    suivi.save()
    suivi.zeros_confirmes = "2023, 2024, 2025"
    suivi.save(update_fields=["zeros_confirmes"])
    assert lignes.update(zeros_confirmes="2023, 2025") == 1  # 2024 retiré : une année ouverte
    suivi.zeros_confirmes = "2023,2026"
    SuiviDonnees.objects.bulk_update([suivi], ["zeros_confirmes"])
    assert zeros_confirmes() == {2023: {"refus"}, 2026: {"refus"}}


@pytest.mark.parametrize("zeros", ["", "2024", "2023, 2023, 2022", "2024, 2025"], ids=repr)
def test_ajouter_ou_retirer_une_annee_close_est_refuse_par_chaque_chemin(suivi, zeros):
    """Retirer 2023 (le zéro publié devient inconnu) ou ajouter 2022 à côté de 2023 : même règle."""
    if zeros == "2023, 2023, 2022":
        ClotureAnnee.objects.create(annee=2022, close=True)
    message = "L'année 2022 est close" if "2022" in zeros else MESSAGE
    lignes = SuiviDonnees.objects.filter(pk=suivi.pk)
    suivi.zeros_confirmes = zeros
    for ecrire in (
        suivi.full_clean,
        suivi.save,
        lambda: suivi.save(update_fields=["zeros_confirmes"]),
        lambda: lignes.update(zeros_confirmes=zeros),
        lambda: SuiviDonnees.objects.bulk_update([suivi], ["zeros_confirmes"]),
    ):
        with pytest.raises(ValidationError, match=message):  # AnneeClose ; full_clean() l'enveloppe
            ecrire()
    assert _zeros() == "2023"


def test_la_date_reste_figee_et_une_nouvelle_ligne_ne_porte_pas_d_annee_close(suivi):
    suivi.depuis, suivi.zeros_confirmes = datetime.date(2024, 1, 1), "2023, 2024"
    with pytest.raises(AnneeClose, match=MESSAGE):
        suivi.save()
    nouvelle = SuiviDonnees(famille="attente", depuis=datetime.date(2024, 1, 1), zeros_confirmes="2023")
    with pytest.raises(AnneeClose, match=MESSAGE):
        SuiviDonnees.objects.bulk_create([nouvelle])
    assert SuiviDonnees.objects.values_list("depuis", "zeros_confirmes").get() == (
        datetime.date(2022, 1, 1),
        "2023",
    )


def test_l_administration_confirme_un_zero_ouvert_et_refuse_une_annee_close(suivi, client):
    client.force_login(User.objects.create_superuser("super", "super@example.org", "mot-de-passe-de-test"))
    page = reverse("admin:rapports_suividonnees_change", args=[suivi.pk])
    donnees = {"famille": "refus", "depuis": "01/01/2022", "commentaire": ""}
    reponse = client.post(page, {**donnees, "zeros_confirmes": "2023, 2025"})
    assert reponse.status_code == 302 and _zeros() == "2023, 2025"
    reponse = client.post(page, {**donnees, "zeros_confirmes": "2025"})
    assert reponse.status_code == 200 and MESSAGE in reponse.content.decode().replace("&#x27;", "'")
    assert _zeros() == "2023, 2025"


@pytest.mark.postgresql
def test_la_base_refuse_le_sql_brut_qui_ajoute_ou_retire_une_annee_close(suivi):
    table = SuiviDonnees._meta.db_table
    for zeros in ("", "2024", "2023,2022"):
        if zeros == "2023,2022":
            ClotureAnnee.objects.create(annee=2022, close=True)
        with pytest.raises(IntegrityError) as refus, transaction.atomic(), connection.cursor() as curseur:
            curseur.execute(f"UPDATE {table} SET zeros_confirmes = %s WHERE id = %s", [zeros, suivi.pk])  # noqa: S608
        assert "est close" in annee_close_de(refus.value).message, zeros
    assert _zeros() == "2023"
    with connection.cursor() as curseur:  # une année ouverte : la date de suivi figée ne bloque pas
        curseur.execute(f"UPDATE {table} SET zeros_confirmes = '2023, 2024' WHERE id = %s", [suivi.pk])  # noqa: S608
    assert _zeros() == "2023, 2024"
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as curseur:
        curseur.execute(f"UPDATE {table} SET depuis = '2024-01-01' WHERE id = %s", [suivi.pk])  # noqa: S608
