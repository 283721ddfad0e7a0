"""Un créneau du planning vaut sur une période : il appartient à chaque année que sa période touche (#28).

Le Bilan d'une année close compte les créneaux en vigueur au 31 décembre (« permanences par semaine », par lieu) :
la part de la période dans une année close, et le lieu, ne changent plus, par aucun chemin ; clore aujourd'hui un
créneau ouvert depuis une année close reste possible, comme changer ses heures, que les chiffres ne lisent pas.
"""

import datetime

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from inclusion.annees_closes import AnneeClose, annee_close_de
from inclusion.models import ClotureAnnee
from permanences.models import Creneau
from rapports.indicateurs.permanences import indicateurs_permanences
from tests.inclusion.factories import IntervenantFactory, LieuFactory
from tests.permanences.factories import CreneauFactory

MESSAGE = "L'année 2023 est close"
J = datetime.date


@pytest.fixture
def creneau_de_2022(db):
    """Un créneau ouvert depuis février 2022 (sans fin), puis 2023 close (2022 reste ouverte)."""
    creneau = CreneauFactory(valide_du=J(2022, 2, 1))
    ClotureAnnee.objects.create(annee=2023, close=True)
    return creneau


def _par_semaine_2023():
    section, _, _ = indicateurs_permanences(debut=J(2023, 1, 1), fin=J(2024, 1, 1))
    return section["permanences_par_semaine"]


def _relu(creneau):
    return Creneau.objects.values().get(pk=creneau.pk)


def test_clore_un_creneau_apres_la_derniere_annee_close_est_permis(creneau_de_2022):
    creneau_de_2022.valide_au = J(2024, 6, 30)
    creneau_de_2022.full_clean()
    creneau_de_2022.save()
    assert Creneau.objects.filter(pk=creneau_de_2022.pk).update(valide_au=J(2024, 9, 30)) == 1
    creneau_de_2022.heure_debut, creneau_de_2022.heure_fin = datetime.time(14), datetime.time(17)
    creneau_de_2022.save()  # les heures : aucun chiffre ne les lit
    creneau_de_2022.intervenants.add(IntervenantFactory())  # les médiateurs habituels non plus
    creneau_de_2022.valide_du = J(2022, 3, 1)  # la part de 2022, année ouverte
    creneau_de_2022.save()
    CreneauFactory(valide_du=J(2024, 1, 1))  # un créneau qui commence après l'année close
    CreneauFactory(valide_du=J(2019, 1, 1), valide_au=J(2022, 12, 31))  # un qui finit avant
    assert _par_semaine_2023() == 1


@pytest.mark.parametrize(
    ("champ", "valeur"),
    [
        ("valide_au", J(2023, 6, 30)),  # clos dans l'année close : il n'est plus compté au 31 décembre
        ("valide_au", J(2022, 12, 31)),
        ("valide_du", J(2023, 3, 1)),  # ses premiers mois de 2023 disparaissent
        ("valide_du", J(2024, 1, 1)),
        ("lieu", None),  # compté dans un autre lieu
    ],
)
def test_changer_ce_qu_une_annee_close_compte_est_refuse_par_chaque_chemin(creneau_de_2022, champ, valeur):
    valeur = LieuFactory() if champ == "lieu" else valeur
    avant, compte = _relu(creneau_de_2022), _par_semaine_2023()
    setattr(creneau_de_2022, champ, valeur)
    for ecrire in (
        creneau_de_2022.full_clean,
        creneau_de_2022.save,
        lambda: Creneau.objects.filter(pk=creneau_de_2022.pk).update(**{champ: valeur}),
        lambda: Creneau.objects.bulk_update([creneau_de_2022], [champ]),
    ):
        with pytest.raises(ValidationError, match=MESSAGE):  # AnneeClose ; full_clean() l'enveloppe
            ecrire()
    assert _relu(creneau_de_2022) == avant and _par_semaine_2023() == compte


def test_creer_ou_supprimer_un_creneau_qui_touche_une_annee_close_est_refuse(creneau_de_2022):
    dans_2023 = Creneau(
        lieu=LieuFactory(), jour_semaine=2, heure_debut="09:00", heure_fin="12:00", valide_du=J(2023, 9, 1)
    )
    for ecrire in (
        dans_2023.save,
        lambda: Creneau.objects.bulk_create([dans_2023]),
        creneau_de_2022.delete,
        lambda: Creneau.objects.filter(pk=creneau_de_2022.pk).delete(),
    ):
        with pytest.raises(AnneeClose, match=MESSAGE):
            ecrire()
    # Même clos avant le 31 décembre, un créneau de 2023 était en vigueur dans l'année : le tableau de bord d'un
    # mois de 2023 le compte.
    dans_2023.valide_au = J(2023, 10, 31)
    with pytest.raises(AnneeClose, match=MESSAGE):
        dans_2023.save()
    assert list(Creneau.objects.all()) == [creneau_de_2022]


def test_l_administration_dit_l_annee_close_comme_une_erreur_du_formulaire(creneau_de_2022, client):
    client.force_login(User.objects.create_superuser("super", "super@example.org", "mot-de-passe-de-test"))
    page = reverse("admin:permanences_creneau_change", args=[creneau_de_2022.pk])
    donnees = {
        "lieu": creneau_de_2022.lieu_id,
        "jour_semaine": 0,
        "heure_debut": "09:00",
        "heure_fin": "12:00",
        "valide_du": "01/02/2022",
        "valide_au": "30/06/2023",
    }
    reponse = client.post(page, donnees)
    assert reponse.status_code == 200 and MESSAGE in reponse.content.decode().replace("&#x27;", "'")
    assert _relu(creneau_de_2022)["valide_au"] is None
    reponse = client.post(page, {**donnees, "valide_au": "30/06/2024"})
    assert reponse.status_code == 302 and _relu(creneau_de_2022)["valide_au"] == J(2024, 6, 30)


@pytest.mark.postgresql
def test_la_base_refuse_le_sql_brut_sur_un_creneau_d_une_annee_close(creneau_de_2022):
    table = Creneau._meta.db_table
    colonnes = "lieu_id, jour_semaine, heure_debut, heure_fin, valide_du, valide_au"
    refusees = {
        "INSERT": f"INSERT INTO {table} ({colonnes}) SELECT lieu_id, 3, heure_debut, heure_fin, '2023-05-01', "  # noqa: S608
        f"NULL FROM {table} WHERE id = %s",
        "UPDATE de la fin": f"UPDATE {table} SET valide_au = '2023-06-30' WHERE id = %s",  # noqa: S608
        "UPDATE du lieu": f"UPDATE {table} SET lieu_id = %s WHERE id = %s",  # noqa: S608
        "DELETE": f"DELETE FROM {table} WHERE id = %s",  # noqa: S608
    }
    autre_lieu = LieuFactory().pk
    avant = _relu(creneau_de_2022)
    for quoi, sql in refusees.items():
        parametres = [autre_lieu, creneau_de_2022.pk] if "lieu" in quoi else [creneau_de_2022.pk]
        with pytest.raises(IntegrityError) as refus, transaction.atomic(), connection.cursor() as curseur:
            curseur.execute(sql, parametres)
        assert annee_close_de(refus.value).message.startswith(MESSAGE), quoi
    assert _relu(creneau_de_2022) == avant
    with connection.cursor() as curseur:  # clore après l'année close, changer l'heure : permis
        curseur.execute(
            f"UPDATE {table} SET valide_au = '2024-06-30', heure_debut = '08:00' WHERE id = %s",  # noqa: S608
            [creneau_de_2022.pk],
        )
        curseur.execute(
            f"INSERT INTO {table} ({colonnes}) VALUES (%s, 1, '09:00', '12:00', '2024-01-01', NULL)",  # noqa: S608
            [autre_lieu],
        )
    assert _relu(creneau_de_2022)["valide_au"] == J(2024, 6, 30)
