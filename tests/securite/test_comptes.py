"""#19, points 4, 5 et 11 : verrouillage par adresse réelle, administration des comptes sans escalade."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import override_settings
from django.urls import reverse

from tests.inclusion.factories import utilisateur

PROXY = "10.0.0.1"


def _echouer(client, nom, adresse_client, fois=3):
    for _ in range(fois):
        client.post(
            reverse("login"),
            {"username": nom, "password": "faux"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=adresse_client,
        )


def _connexion(client, nom, adresse_client):
    return client.post(
        reverse("login"),
        {"username": nom, "password": "mot-de-passe-de-test"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=adresse_client,
    )


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3, NOMBRE_PROXYS_DE_CONFIANCE=1)
def test_derriere_le_proxy_un_attaquant_ne_verrouille_pas_le_compte_pour_tous(client, db):
    """Avant : tout le monde avait l'adresse du proxy ; cinq échecs d'un attaquant bloquaient l'agent."""
    utilisateur("accueil", username="yasmine")
    _echouer(client, "yasmine", "203.0.113.66")
    assert _connexion(client, "yasmine", "203.0.113.66").status_code == 429  # l'attaquant, lui, est bloqué
    client.logout()
    assert _connexion(client, "yasmine", "198.51.100.7").status_code == 302  # l'agent se connecte


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3, NOMBRE_PROXYS_DE_CONFIANCE=0)
def test_sans_proxy_declare_l_en_tete_est_ignore(client, db):
    """Sans proxy, croire X-Forwarded-For permettrait de changer d'adresse à chaque essai (et d'échapper au verrou)."""
    utilisateur("accueil", username="yasmine")
    for i in range(3):
        _echouer(client, "yasmine", f"203.0.113.{i}", fois=1)
    assert _connexion(client, "yasmine", "203.0.113.99").status_code == 429


@pytest.mark.parametrize(
    ("chaine", "proxys", "attendu"),
    [
        ("203.0.113.5", 1, "203.0.113.5"),
        ("1.2.3.4, 203.0.113.5", 1, "203.0.113.5"),  # « 1.2.3.4 » est forgé par le client
        ("1.2.3.4, 203.0.113.5, 10.0.0.9", 2, "203.0.113.5"),
        ("", 1, PROXY),
        ("pas-une-adresse", 1, PROXY),
        ("203.0.113.5", 0, PROXY),
    ],
)
def test_adresse_du_client(rf, settings, chaine, proxys, attendu):
    from inclusion.securite import adresse_du_client

    settings.NOMBRE_PROXYS_DE_CONFIANCE = proxys
    requete = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=chaine)
    assert adresse_du_client(requete) == attendu


def _formulaire(client, user):
    """Les valeurs actuelles du formulaire de modification d'un compte, à la manière d'un navigateur."""
    return {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "groups": [g.pk for g in user.groups.all()],
        "date_joined_0": user.date_joined.strftime("%d/%m/%Y"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
    }


def test_la_coordination_ne_se_rend_pas_super_utilisatrice(client, coordination):
    client.force_login(coordination)
    donnees = {**_formulaire(client, coordination), "is_superuser": "on", "is_staff": "on"}
    donnees["user_permissions"] = [1, 2, 3]
    reponse = client.post(reverse("admin:auth_user_change", args=[coordination.pk]), donnees)
    assert reponse.status_code in (200, 302)
    coordination.refresh_from_db()
    assert not coordination.is_superuser and not coordination.user_permissions.exists()


def test_la_coordination_ne_donne_que_les_cinq_roles(client, coordination):
    autre = Group.objects.create(name="administrateurs")
    cible = utilisateur("accueil", username="cible")
    client.force_login(coordination)
    donnees = {**_formulaire(client, cible), "groups": [autre.pk]}
    reponse = client.post(reverse("admin:auth_user_change", args=[cible.pk]), donnees)
    assert reponse.status_code == 200  # formulaire refusé
    assert not cible.groups.filter(name="administrateurs").exists()


def test_la_coordination_ne_modifie_ni_ne_supprime_un_super_utilisateur(client, coordination):
    chef = User.objects.create_superuser("chef", "chef@example.org", "mot-de-passe-de-test-long")
    client.force_login(coordination)
    assert (
        client.post(reverse("admin:auth_user_change", args=[chef.pk]), _formulaire(client, chef)).status_code
        == 403
    )
    assert client.post(reverse("admin:auth_user_delete", args=[chef.pk]), {"post": "yes"}).status_code == 403
    assert User.objects.filter(username="chef").exists()


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_verrouillage_en_francais_et_la_coordination_debloque(client, coordination):
    """#18 : « Réessayez dans PT15M », et la page des tentatives répondait 403 à la coordination."""
    from axes.models import AccessAttempt

    from inclusion.permissions import synchroniser_permissions_des_groupes

    synchroniser_permissions_des_groupes()
    utilisateur("accueil", username="yasmine")
    _echouer(client, "yasmine", "203.0.113.66")
    bloque = _connexion(client, "yasmine", "203.0.113.66")
    assert bloque.status_code == 429
    texte = bloque.content.decode()
    assert "Trop d'essais : réessayez dans 15 minutes, ou demandez à la coordination" in texte
    assert "PT15M" not in texte
    client.force_login(coordination)
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 200
    tentative = AccessAttempt.objects.get(username="yasmine")
    client.post(reverse("admin:axes_accessattempt_delete", args=[tentative.pk]), {"post": "yes"})
    assert not AccessAttempt.objects.exists()  # débloqué
    client.logout()
    assert _connexion(client, "yasmine", "203.0.113.66").status_code == 302


def test_l_accueil_et_la_file_ne_sont_jamais_gardes_en_cache(client, db):
    """#18 : après « Retour », l'accueil montrait un compteur périmé pendant une douzaine de secondes."""
    from tests.inclusion.factories import LieuFactory
    from tests.permanences.factories import PermanenceFactory

    lieu = LieuFactory()
    client.force_login(utilisateur("accueil", lieux=[lieu], username="agent_cache"))
    for url in (reverse("permanences:accueil"), reverse("permanences:accueil_compteurs")):
        assert "no-store" in client.get(url)["Cache-Control"], url
    client.force_login(utilisateur("mediation", lieux=[lieu], username="med_cache"))
    permanence = PermanenceFactory(lieu=lieu)
    assert "no-store" in client.get(reverse("permanences:file", args=[permanence.pk]))["Cache-Control"]
