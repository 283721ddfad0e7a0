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

from inclusion.annees_closes import AnneeClose, annee_close_de
from inclusion.models import ClotureAnnee
from rapports.models import SuiviDonnees
from rapports.suivi import suivi_depuis, zeros_confirmes
from tests.permanences.factories import PassageFactory, PermanenceFactory, RefusFactory

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


@pytest.fixture
def refus_de_2022(db):
    """Des refus pointés depuis mai 2022 (suivis par défaut depuis le 1er janvier 2022), aucune ligne de suivi ; puis
    2023 close : la démonstration, où la coordination n'a jamais fixé de date."""
    RefusFactory(permanence=PermanenceFactory(date=datetime.date(2022, 5, 3)))
    PassageFactory(permanence=PermanenceFactory(date=datetime.date(2022, 6, 1)), attente_minutes=12)
    ClotureAnnee.objects.create(annee=2023, close=True)


def test_une_ligne_creee_a_la_date_par_defaut_porte_les_zeros_d_une_annee_ouverte(refus_de_2022, client):
    """Avant : créer une ligne de suivi était refusé dès qu'une année était close (elle remplace la date par
    défaut) ; sans ligne, aucun zéro ne se confirmait plus."""
    avant = suivi_depuis()
    client.force_login(User.objects.create_superuser("super", "super@example.org", "mot-de-passe-de-test"))
    reponse = client.post(
        reverse("admin:rapports_suividonnees_add"),
        {"famille": "refus", "depuis": "01/01/2022", "zeros_confirmes": "2025", "commentaire": ""},
    )
    assert reponse.status_code == 302 and zeros_confirmes() == {2025: {"refus"}}
    assert suivi_depuis() == avant  # la même date : aucun chiffre ne change
    SuiviDonnees.objects.bulk_create([SuiviDonnees(famille="attente", depuis=datetime.date(2022, 1, 1))])
    jamais = SuiviDonnees.objects.create(
        famille="orientations", depuis=datetime.date(2024, 3, 1)
    )  # jamais notée
    # Une ligne ne se supprime plus une fois une année close : la date par défaut qu'elle rétablirait suivrait
    # ensuite tout enregistrement ajouté dans une année ouverte antérieure (voir test_suivi_fige_a_la_publication).
    for supprimer in (jamais.delete, SuiviDonnees.objects.filter(famille="attente").delete):
        with pytest.raises(ValidationError, match=MESSAGE):
            supprimer()
    assert SuiviDonnees.objects.count() == 3


@pytest.mark.parametrize(
    ("famille", "depuis"),
    [
        ("refus", datetime.date(2024, 1, 1)),  # les refus de 2022 et 2023 deviendraient inconnus
        ("refus", datetime.date(2021, 1, 1)),
        ("orientations", datetime.date(2023, 6, 1)),  # jamais notée : 2023 deviendrait suivie
    ],
)
def test_une_ligne_qui_changerait_la_date_d_une_annee_close_est_refusee(refus_de_2022, famille, depuis):
    nouvelle = SuiviDonnees(famille=famille, depuis=depuis)
    for ecrire in (nouvelle.full_clean, nouvelle.save, lambda: SuiviDonnees.objects.bulk_create([nouvelle])):
        with pytest.raises(ValidationError, match=MESSAGE):
            ecrire()
    assert not SuiviDonnees.objects.exists()


def _date_par_defaut_en_sql(famille):
    with connection.cursor() as curseur:
        curseur.execute(
            "SELECT rapports_suivi_date_par_defaut(jsonb_build_object('famille', %s::text))", [famille]
        )
        return curseur.fetchone()[0]


@pytest.mark.postgresql
def test_la_base_calcule_la_meme_date_par_defaut_et_refuse_le_sql_brut_qui_la_change(refus_de_2022):
    from rapports.enums import FamilleSuivie

    for famille in FamilleSuivie.values:
        attendue = SuiviDonnees(famille=famille).valeur_remplacee_cloture()
        assert _date_par_defaut_en_sql(famille) == attendue, famille
    assert _date_par_defaut_en_sql("refus") == datetime.date(2022, 1, 1)
    table = SuiviDonnees._meta.db_table
    inserer = f"INSERT INTO {table} (famille, depuis, zeros_confirmes, commentaire) VALUES (%s, %s, %s, '')"  # noqa: S608
    for famille, depuis in (("refus", "2024-01-01"), ("orientations", "2023-06-01")):
        with pytest.raises(IntegrityError) as refus, transaction.atomic(), connection.cursor() as curseur:
            curseur.execute(inserer, [famille, depuis, ""])
        assert annee_close_de(refus.value).message.startswith(MESSAGE), famille
    with connection.cursor() as curseur:  # à la date par défaut, ou pour une famille jamais notée après 2023
        curseur.execute(inserer, ["refus", "2022-01-01", "2025"])
        curseur.execute(inserer, ["orientations", "2024-02-01", ""])
    with pytest.raises(IntegrityError) as refus, transaction.atomic(), connection.cursor() as curseur:
        curseur.execute(f"DELETE FROM {table} WHERE famille = 'refus'")  # noqa: S608
    assert "Une date de suivi ne peut plus être supprimée" in annee_close_de(refus.value).message
    assert list(SuiviDonnees.objects.values_list("famille", flat=True)) == ["orientations", "refus"]
