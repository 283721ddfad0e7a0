import os
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.inclusion.factories import LieuFactory, utilisateur


@pytest.fixture
def lieu(db):
    return LieuFactory(nom="ESC Les Champs Manceaux")


@pytest.fixture
def autre_lieu(db):
    return LieuFactory(nom="ESC Maurepas")


@pytest.fixture
def client_de(client):
    """client_de(user) : le client de test connecté avec ce compte."""

    def connecter(user):
        client.force_login(user)
        return client

    return connecter


@pytest.fixture
def coordination(db):
    return utilisateur("coordination", username="coord", is_staff=True)


@pytest.fixture
def donnees_de_migration(transactional_db):
    """Données des migrations (groupes, démarches, quartier « Hors commune ») pour un test transactionnel.

    Un test transactionnel vide la base derrière lui. La restauration « serialized_rollback » de Django ne
    convient pas : avec Playwright, la boucle asyncio change la connexion vue par le fil principal. On remet
    donc ces données, de façon idempotente, au début de chaque test qui en a besoin.
    """
    import importlib

    from django.apps import apps

    from inclusion.permissions import synchroniser_permissions_des_groupes

    importlib.import_module("inclusion.migrations.0002_groupes_et_demarches").creer(apps, None)
    importlib.import_module("inclusion.migrations.0003_annuaire_et_quartiers").hors_commune(apps, None)
    synchroniser_permissions_des_groupes()


@contextmanager
def donnees_du_module(django_db_blocker, ecrire):
    """Des données écrites une fois (`ecrire()`) pour tout un module de tests qui ne font que les lire (la
    démonstration, recopiée d'un module à l'autre : tests/demonstration.py). Elles sont écrites dans une
    transaction ouverte pour le module ; chaque test marqué db y ouvre la sienne (point de sauvegarde) et l'annule comme d'habitude ; à la
    fin du module, tout est annulé : la base que voient les autres modules reste vide."""
    from django.db import transaction

    transaction_du_module = transaction.atomic()
    with django_db_blocker.unblock():
        transaction_du_module.__enter__()
        try:
            ecrire()
        except BaseException as erreur:
            transaction_du_module.__exit__(type(erreur), erreur, erreur.__traceback__)
            raise
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            transaction_du_module.__exit__(None, None, None)


@pytest.fixture(scope="session", autouse=True)
def demonstration_partagee(tmp_path_factory):
    """Sous pytest-xdist, les processus de la session partagent le relevé de la démonstration
    (tests/demonstration.py) dans le dossier temporaire commun de la session (pytest n'en garde que les trois
    derniers)."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        from tests import demonstration

        demonstration.DOSSIER_PARTAGE = tmp_path_factory.getbasetemp().parent / "demonstration"
        demonstration.DOSSIER_PARTAGE.mkdir(exist_ok=True)


@pytest.fixture(scope="session", autouse=True)
def un_rendu_pdf_par_html():
    """Un même HTML n'est rendu en PDF qu'une fois par processus de tests. Beaucoup de tests rendent le même Bilan
    (même jeu, même année : publication, rendus stockés, démonstration) ; WeasyPrint donne les mêmes octets pour
    le même HTML (sans date de création), si bien que la copie gardée est ce qu'un nouveau rendu donnerait. Chaque
    module qui a importé inclusion.documents.html_vers_pdf reçoit la version qui garde ses rendus ; un test qui le
    remplace (monkeypatch) le remplace comme avant. La clé est le HTML seul : la feuille d'impression et la base des
    adresses ne changent pas pendant une session."""
    import hashlib
    import sys

    from django.apps import apps
    from django.conf import settings

    from inclusion import documents

    vrai = documents.html_vers_pdf
    rendus = {}

    def html_vers_pdf(html):
        cle = hashlib.sha256(html.encode()).digest()
        if cle not in rendus:
            rendus[cle] = vrai(html)
        return rendus[cle]

    html_vers_pdf.__doc__, html_vers_pdf.__wrapped__ = vrai.__doc__, vrai
    projet = {"tests"} | {
        a.name.split(".")[0] for a in apps.get_app_configs() if Path(a.path).is_relative_to(settings.BASE_DIR)
    }
    modules = [
        m
        for nom, m in list(sys.modules.items())
        if nom.split(".")[0] in projet and getattr(m, "html_vers_pdf", None) is vrai
    ]
    for module in modules:
        module.html_vers_pdf = html_vers_pdf
    yield
    for module in modules:
        module.html_vers_pdf = vrai


@pytest.fixture(scope="module")
def demo_historique(django_db_setup, django_db_blocker):
    """La démonstration 2022-2023 (`donnees_demo --historique-seul`), une fois pour le module."""
    from tests.demonstration import charger_la_demo

    with donnees_du_module(django_db_blocker, lambda: charger_la_demo(historique_seul=True)):
        yield


@pytest.fixture(scope="module")
def demo_complete(django_db_setup, django_db_blocker):
    """La démonstration entière (`donnees_demo`, comme `make demo`), une fois pour le module."""
    from tests.demonstration import charger_la_demo

    with donnees_du_module(django_db_blocker, charger_la_demo):
        yield


@pytest.fixture(autouse=True)
def aucun_processus_laisse():
    """Un test ne laisse aucun processus enfant de multiprocessing derrière lui : pytest les attend en sortant, et
    un enfant bloqué tenait toute la CI jusqu'à son délai (6 décembre 2026). Ils sont tués, et le test échoue."""
    yield
    import multiprocessing

    restes = multiprocessing.active_children()
    for enfant in restes:
        enfant.kill()
        enfant.join(10)
    assert not restes, f"processus enfants laissés par le test (tués) : {restes}"


def pytest_collection_modifyitems(config, items):
    """Chaque base ne lance que ce qui a un sens pour elle : sur SQLite, les tests de concurrence réelle
    (marqués postgresql) sont désélectionnés ; sur PostgreSQL, ceux du comportement propre à SQLite (marqués
    sqlite). Ils le disent (« deselected ») : la CI lance les deux bases, chacun tourne une fois."""
    from django.db import connection

    autre = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    ecartes = [item for item in items if autre in item.keywords]
    if ecartes:
        config.hook.pytest_deselected(items=ecartes)
        items[:] = [item for item in items if autre not in item.keywords]


def pytest_report_header(config):
    return "Tests marqués postgresql : lancés sur PostgreSQL seulement (make test avec DATABASE_URL=postgres://…)."


def pytest_sessionfinish(session, exitstatus):
    """En CI (variable CI), un test sauté est un échec : un navigateur ou un outil absent ne passe pas en silence."""
    if not os.environ.get("CI"):
        return
    rapporteur = session.config.pluginmanager.get_plugin("terminalreporter")
    sautes = rapporteur.stats.get("skipped", []) if rapporteur else []
    if sautes:
        rapporteur.write_line(f"CI : {len(sautes)} test(s) sauté(s), compté(s) comme un échec.", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
