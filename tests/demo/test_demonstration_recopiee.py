"""La démonstration recopiée (tests/demonstration.py, qui fait gagner du temps aux modules qui la lisent) est, table
par table et ligne par ligne, celle qu'écrit la commande ; et la copie sert vraiment (la commande ne tourne pas)."""

from unittest import mock

import pytest
from django.db import connection, transaction

from inclusion.models import Demarche, Lieu
from tests import demonstration
from tests.demonstration import charger_la_demo
from tests.inclusion.factories import LieuFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def sans_partage(monkeypatch):
    """Ces tests vident ou simulent le relevé : celui des autres processus de la session n'y entre pas."""
    monkeypatch.setattr(demonstration, "DOSSIER_PARTAGE", None)


def _contenu():
    """Chaque ligne de chaque table, dans un ordre fixe."""
    q = connection.ops.quote_name
    contenu = {}
    with connection.cursor() as cursor:
        for table in demonstration._tables():
            cursor.execute(f"SELECT * FROM {q(table)}")
            contenu[table] = sorted(map(repr, cursor.fetchall()))
    return contenu


def _sequences():
    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT sequencename, last_value FROM pg_sequences")
        return dict(cursor.fetchall())


def _remettre_les_sequences_a_un():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for sequence in _sequences():
                cursor.execute(f"ALTER SEQUENCE {connection.ops.quote_name(sequence)} RESTART")


def test_la_copie_est_la_demonstration_ecrite_par_la_commande():
    demonstration._RELEVES.clear()
    with transaction.atomic():
        charger_la_demo(historique_seul=True)  # la commande, puis le relevé
        ecrit, sequences_ecrites = _contenu(), _sequences()
        transaction.set_rollback(True)
    assert sum(map(len, ecrit.values())) > 30_000  # la démonstration est bien là
    _remettre_les_sequences_a_un()  # comme après un test « reset_sequences » : la copie doit les avancer
    with mock.patch("tests.demonstration.call_command") as commande, transaction.atomic():
        charger_la_demo(historique_seul=True)
        recopie, sequences = _contenu(), _sequences()
        transaction.set_rollback(True)
    commande.assert_not_called()
    assert recopie == ecrit
    # Les séquences sont au moins où la commande les a laissées : rien de neuf ne prend une clé recopiée.
    for sequence, valeur in sequences_ecrites.items():
        assert valeur is None or sequences[sequence] >= valeur, sequence


def _commande_lancee_apres(ecrire):
    """Un relevé existe pour une base neuve ; `ecrire()` touche la base ; la commande tourne-t-elle (simulée ; le
    relevé qu'elle laisserait est jeté avec elle) ?"""
    with transaction.atomic():
        charger_la_demo(historique_seul=True)
        transaction.set_rollback(True)
    ecrire()
    releves = dict(demonstration._RELEVES)
    try:
        with mock.patch("tests.demonstration.call_command") as commande:
            charger_la_demo(historique_seul=True)
    finally:
        demonstration._RELEVES.clear()
        demonstration._RELEVES.update(releves)
    return commande.called


def test_une_ligne_modifiee_sur_place_fait_tourner_la_commande():
    """Autant de lignes qu'avant, mais une démarche renommée par le test : la copie l'effacerait."""
    demarche = Demarche.objects.order_by("pk").first()
    assert _commande_lancee_apres(lambda: Demarche.objects.filter(pk=demarche.pk).update(libelle="Renommée"))
    assert Demarche.objects.get(pk=demarche.pk).libelle == "Renommée"


def test_une_base_deja_remplie_fait_tourner_la_commande():
    """Un test qui a écrit avant de charger la démonstration ne perd pas ce qu'il a écrit."""
    assert _commande_lancee_apres(lambda: LieuFactory(nom="Écrit par le test"))
    assert Lieu.objects.filter(nom="Écrit par le test").exists()
