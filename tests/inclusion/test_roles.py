import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.inclusion.factories import utilisateur

ESPACES = {
    "accueil": "permanences:accueil",
    "mediation": "permanences:mes_permanences",
    "formation": "formations:sessions",
    "arcs": "permanences:agenda",
    "coordination": "rapports:tableau_de_bord",
}


def test_les_cinq_groupes_sont_crees_par_migration(db):
    assert set(Group.objects.values_list("name", flat=True)) >= set(ESPACES)
    assert Group.objects.get(name="coordination").permissions.filter(codename="change_lieu").exists()
    assert not Group.objects.get(name="accueil").permissions.filter(codename="change_lieu").exists()


def test_anonyme_renvoye_vers_la_connexion(client, db):
    for url_name in [*ESPACES.values(), "accueil_general"]:
        reponse = client.get(reverse(url_name))
        assert reponse.status_code == 302
        assert reponse["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role,url_name", ESPACES.items())
def test_chaque_role_arrive_sur_son_espace(client, db, role, url_name):
    user = utilisateur(role)
    client.force_login(user)
    reponse = client.get(reverse("accueil_general"))
    assert reponse.status_code == 302
    assert reponse["Location"] == reverse(url_name)


def test_plusieurs_roles_choisissent_leur_espace(client, db):
    client.force_login(utilisateur("accueil", "mediation"))
    reponse = client.get(reverse("accueil_general"))
    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    assert reverse("permanences:accueil") in contenu
    assert reverse("permanences:mes_permanences") in contenu
    assert reverse("formations:sessions") not in contenu


@pytest.mark.parametrize("role", ["accueil", "mediation", "formation", "arcs"])
def test_un_role_n_ouvre_pas_l_espace_d_un_autre(client, db, role):
    client.force_login(utilisateur(role))
    for autre, url_name in ESPACES.items():
        if (
            autre == role
            or (role == "mediation" and autre == "arcs")
            or (role == "arcs" and autre == "mediation")
        ):
            continue  # l'agenda des rendez-vous est partagé par médiation et ARCS
        reponse = client.get(reverse(url_name))
        assert reponse.status_code == 403, (role, url_name)
        assert "Accès refusé" in reponse.content.decode()


TITRES = {
    "accueil": "Permanences du jour",
    "mediation": "Mes permanences",
    "formation": "Sessions de formation",
    "arcs": "Rendez-vous · semaine du",
    "coordination": "Tableau de bord",
}


def test_la_coordination_ouvre_tous_les_espaces(client, coordination):
    client.force_login(coordination)
    for role, url_name in ESPACES.items():
        reponse = client.get(reverse(url_name))
        assert reponse.status_code == 200, url_name
        assert TITRES[role] in reponse.content.decode().split("<h1", 1)[1].split("</h1>", 1)[0], url_name


def test_page_404_en_francais(client, db):
    client.force_login(utilisateur("accueil"))
    reponse = client.get("/nexiste-pas/")
    assert reponse.status_code == 404
    assert "Page introuvable" in reponse.content.decode()


def test_la_page_affiche_nom_roles_et_deconnexion(client, db):
    client.force_login(utilisateur("accueil", first_name="Yasmine", last_name="Ben"))
    contenu = client.get(reverse("permanences:accueil")).content.decode()
    assert "Yasmine Ben" in contenu
    assert "Accueil" in contenu
    assert "Se déconnecter" in contenu


def test_connexion_et_deconnexion(client, db):
    utilisateur("accueil", username="yasmine")
    reponse = client.post(reverse("login"), {"username": "yasmine", "password": "mot-de-passe-de-test"})
    assert reponse.status_code == 302
    assert client.get(reverse("accueil_general")).status_code == 302
    client.post(reverse("logout"))
    assert client.get(reverse("accueil_general"))["Location"].startswith(reverse("login"))


def test_mauvais_mot_de_passe_message_francais(client, db):
    utilisateur("accueil", username="yasmine")
    reponse = client.post(reverse("login"), {"username": "yasmine", "password": "faux"})
    assert reponse.status_code == 200
    assert "Saisissez un nom d’utilisateur et un mot de passe valides" in reponse.content.decode()


def test_utilisateur_de_la_session_et_ses_roles_en_une_seule_requete(db, django_assert_num_queries):
    from inclusion.backends import AuthentificationAvecRoles
    from inclusion.roles import roles_de

    user = utilisateur("accueil", "mediation")
    user.groups.add(Group.objects.create(name="groupe sans rôle"))
    with django_assert_num_queries(1):
        relu = AuthentificationAvecRoles().get_user(user.pk)
        assert roles_de(relu) == {"accueil", "mediation"}
    from django.contrib.auth.models import User

    depuis_orm = User.objects.get(pk=user.pk)
    for champ in User._meta.concrete_fields:  # mêmes valeurs, mêmes types que l'ORM (dates, booléens)
        assert getattr(relu, champ.attname) == getattr(depuis_orm, champ.attname), champ.name
        assert type(getattr(relu, champ.attname)) is type(getattr(depuis_orm, champ.attname)), champ.name


def test_roles_relus_a_chaque_requete_et_compte_inactif_refuse(client, db):
    user = utilisateur("coordination")
    client.force_login(user)
    assert client.get(reverse("rapports:tableau_de_bord")).status_code == 200
    user.groups.remove(Group.objects.get(name="coordination"))
    assert client.get(reverse("rapports:tableau_de_bord")).status_code == 403  # sans se reconnecter
    user.is_active = False
    user.save()
    reponse = client.get(reverse("rapports:tableau_de_bord"))
    assert reponse.status_code == 302 and reponse["Location"].startswith(reverse("login"))


def test_compte_sans_aucun_role_connu(db):
    from inclusion.backends import AuthentificationAvecRoles
    from inclusion.roles import roles_de

    user = utilisateur(intervenant=False)
    relu = AuthentificationAvecRoles().get_user(user.pk)
    assert relu == user and roles_de(relu) == frozenset()
    assert AuthentificationAvecRoles().get_user(user.pk + 1000) is None
