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
