import datetime
import json
import threading
import uuid

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from permanences.models import Arrivee, Permanence, Refus
from tests.inclusion.factories import utilisateur
from tests.permanences.factories import ArriveeFactory, CreneauFactory, PermanenceFactory, RefusFactory

MAINTENANT = "2024-03-04 10:00:00+01:00"  # un lundi


def pointer(client, permanence, type_pointage="arrivee", identifiant=None, **extra):
    corps = {
        "uuid": str(identifiant or uuid.uuid4()),
        "type": type_pointage,
        "permanence": permanence.pk,
        "horodatage": timezone.now().isoformat(),
        **extra,
    }
    return client.post(reverse("permanences:pointer"), json.dumps(corps), content_type="application/json")


@pytest.fixture
def permanence(lieu):
    return PermanenceFactory(lieu=lieu, date=datetime.date(2024, 3, 4))


@pytest.fixture
def agent(lieu):
    return utilisateur("accueil", lieux=[lieu], username="agent")


@freeze_time(MAINTENANT)
def test_le_meme_pointage_rejoue_n_est_compte_qu_une_fois(client, agent, permanence):
    client.force_login(agent)
    identifiant = uuid.uuid4()
    premier = pointer(client, permanence, identifiant=identifiant)
    second = pointer(client, permanence, identifiant=identifiant)
    assert premier.status_code == 201 and premier.json()["cree"] is True
    assert second.status_code == 200 and second.json()["cree"] is False
    assert second.json()["ok"] is True
    assert Arrivee.objects.count() == 1
    compteurs = client.get(reverse("permanences:accueil_compteurs")).json()["compteurs"]
    assert compteurs == {str(permanence.pk): {"arrivees": 1, "en_attente": 1, "refus": 0}}


@freeze_time(MAINTENANT)
def test_uuid_reutilise_pour_un_autre_pointage_refuse(client, agent, permanence):
    client.force_login(agent)
    identifiant = uuid.uuid4()
    pointer(client, permanence, identifiant=identifiant)
    reponse = pointer(client, permanence, "refus", identifiant=identifiant)
    assert reponse.status_code == 400
    assert "déjà utilisé" in reponse.json()["erreur"]
    assert Refus.objects.count() == 0


@freeze_time(MAINTENANT)
def test_deux_agents_pointent_en_meme_temps(client, lieu, permanence):
    from django.test import Client

    agent_a = utilisateur("accueil", lieux=[lieu], username="a")
    agent_b = utilisateur("accueil", lieux=[lieu], username="b")
    client_a, client_b = Client(), Client()
    client_a.force_login(agent_a)
    client_b.force_login(agent_b)
    assert pointer(client_a, permanence).status_code == 201
    assert pointer(client_b, permanence).status_code == 201
    assert pointer(client_b, permanence, "refus", motif="complet").status_code == 201
    assert Arrivee.objects.count() == 2
    assert Refus.objects.get().motif == "complet"


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgresql
def test_envois_concurrents_du_meme_uuid_et_d_uuid_differents(donnees_de_migration, lieu):
    from django.test import Client

    permanence = PermanenceFactory(lieu=lieu)
    agents = [utilisateur("accueil", lieux=[lieu], username=f"concurrent{i}") for i in range(4)]
    doublon = uuid.uuid4()
    statuts = []

    def envoyer(agent, identifiant):
        client = Client()
        client.force_login(agent)
        statuts.append(pointer(client, permanence, identifiant=identifiant).status_code)
        connection.close()

    fils = [threading.Thread(target=envoyer, args=(a, doublon)) for a in agents]
    fils += [threading.Thread(target=envoyer, args=(a, uuid.uuid4())) for a in agents]
    for f in fils:
        f.start()
    for f in fils:
        f.join()
    assert sorted(statuts) == [200, 200, 200, 201, 201, 201, 201, 201]
    assert Arrivee.objects.count() == 5


def test_annulation_dans_le_delai_puis_refusee_apres(client, agent, permanence):
    client.force_login(agent)
    with freeze_time(MAINTENANT) as horloge:
        identifiant = uuid.uuid4()
        pointer(client, permanence, identifiant=identifiant)
        autre = uuid.uuid4()
        pointer(client, permanence, identifiant=autre)
        horloge.tick(datetime.timedelta(seconds=90))
        reponse = client.post(
            reverse("permanences:annuler_pointage"),
            {"uuid": str(identifiant)},
            content_type="application/json",
        )
        assert reponse.status_code == 200
        assert reponse.json()["compteurs"]["arrivees"] == 1
        annulee = Arrivee.objects.get(uuid=identifiant)
        assert annulee.annulee_le is not None and annulee.annulee_par == agent  # conservée, marquée annulée
        horloge.tick(datetime.timedelta(seconds=60))
        trop_tard = client.post(
            reverse("permanences:annuler_pointage"), {"uuid": str(autre)}, content_type="application/json"
        )
        assert trop_tard.status_code == 400
        assert "ne peut plus être annulé après 2 minutes" in trop_tard.json()["erreur"]
        assert Arrivee.objects.actifs().count() == 1


def assert_pointage_refuse(client, agent, permanence, message):
    """Le pointage est refusé (400, message en français) et rien n'est écrit."""
    client.force_login(agent)
    reponse = pointer(client, permanence)
    assert reponse.status_code == 400
    assert message in reponse.json()["erreur"]
    assert Arrivee.objects.count() == 0


@freeze_time(MAINTENANT)
def test_pointage_refuse_hors_de_ses_lieux(client, agent, autre_lieu):
    ailleurs = PermanenceFactory(lieu=autre_lieu, date=datetime.date(2024, 3, 4))
    assert_pointage_refuse(
        client, agent, ailleurs, "Permanence inconnue."
    )  # comme une inconnue : rien ne fuit


@freeze_time(MAINTENANT)
def test_pointage_refuse_sur_un_lieu_desactive(client, agent, lieu, permanence):
    lieu.actif = False
    lieu.save()
    assert_pointage_refuse(client, agent, permanence, "Permanence inconnue.")


@freeze_time(MAINTENANT)
def test_la_coordination_pointe_sur_tout_lieu_actif(client, permanence):
    coordinatrice = utilisateur("coordination", username="coordinatrice")  # affectée à aucun lieu
    client.force_login(coordinatrice)
    reponse = pointer(client, permanence)
    assert reponse.status_code == 201
    assert Arrivee.objects.get().agent == coordinatrice


@freeze_time(MAINTENANT)
def test_pointage_refuse_sur_permanence_annulee(client, agent, permanence):
    permanence.annulee = True
    permanence.save()
    assert_pointage_refuse(client, agent, permanence, "annulée")


# Un identifiant fixe : les paramètres sont les mêmes à chaque collecte (pytest-xdist l'exige).
UUID_FIXE = "6b4f2780-fe8f-4ed6-b0b4-e50b8772455f"


@freeze_time(MAINTENANT)
@pytest.mark.parametrize(
    "corps,message",
    [
        (b"pas du json", "JSON attendu"),
        (b"[1, 2]", "objet JSON attendu"),
        (
            json.dumps(
                {"uuid": "abc", "type": "arrivee", "permanence": 1, "horodatage": "2024-03-04T10:00:00+01:00"}
            ),
            "Identifiant de pointage invalide",
        ),
        (
            json.dumps(
                {
                    "uuid": UUID_FIXE,
                    "type": "sortie",
                    "permanence": 1,
                    "horodatage": "2024-03-04T10:00:00+01:00",
                }
            ),
            "Type de pointage inconnu",
        ),
        (
            json.dumps({"uuid": UUID_FIXE, "type": "arrivee", "permanence": 1}),
            "Heure du pointage manquante",
        ),
        (
            json.dumps(
                {
                    "uuid": UUID_FIXE,
                    "type": "arrivee",
                    "permanence": 999999,
                    "horodatage": "2024-03-04T10:00:00+01:00",
                }
            ),
            "Permanence inconnue",
        ),
        (
            json.dumps(
                {
                    "uuid": UUID_FIXE,
                    "type": "arrivee",
                    "permanence": 1,
                    "horodatage": "2024-03-04T10:00:00+01:00",
                    "genre": "x" * 500,
                }
            ),
            "Valeur invalide",
        ),
    ],
)
def test_requetes_invalides_400_en_francais(client, agent, permanence, corps, message):
    client.force_login(agent)
    reponse = client.post(reverse("permanences:pointer"), corps, content_type="application/json")
    assert reponse.status_code == 400
    assert message in reponse.json()["erreur"]
    assert Arrivee.objects.count() == 0


@freeze_time(MAINTENANT)
def test_horodatage_dans_le_futur_ou_un_autre_jour_refuse(client, agent, permanence):
    client.force_login(agent)
    futur = pointer(client, permanence, horodatage=(timezone.now() + datetime.timedelta(hours=1)).isoformat())
    assert futur.status_code == 400 and "futur" in futur.json()["erreur"]
    veille = pointer(client, permanence, horodatage=(timezone.now() - datetime.timedelta(days=1)).isoformat())
    assert veille.status_code == 400 and "jour de la permanence" in veille.json()["erreur"]
    assert Arrivee.objects.count() == 0


@freeze_time(MAINTENANT)
def test_pointage_hors_ligne_envoye_plus_tard_garde_son_heure(client, agent, permanence):
    client.force_login(agent)
    heure_du_tap = timezone.now() - datetime.timedelta(minutes=40)
    assert pointer(client, permanence, horodatage=heure_du_tap.isoformat()).status_code == 201
    assert Arrivee.objects.get().horodatage == heure_du_tap


def test_api_anonyme_et_mauvais_role_en_json(client, db, permanence):
    assert pointer(client, permanence).status_code == 401
    assert "reconnectez-vous" in pointer(client, permanence).json()["erreur"]
    client.force_login(utilisateur("formation"))
    assert pointer(client, permanence).status_code == 403


def test_api_refuse_get(client, agent):
    client.force_login(agent)
    assert client.get(reverse("permanences:pointer")).status_code == 405


@freeze_time(MAINTENANT)
def test_l_accueil_cree_les_permanences_du_jour_et_affiche_les_compteurs(client, agent, lieu, autre_lieu):
    CreneauFactory(
        lieu=lieu, jour_semaine=0, heure_debut=datetime.time(14, 0), heure_fin=datetime.time(17, 0)
    )
    CreneauFactory(lieu=autre_lieu, jour_semaine=0)
    CreneauFactory(lieu=lieu, jour_semaine=1)
    client.force_login(agent)
    reponse = client.get(reverse("permanences:accueil"))
    contenu = reponse.content.decode()
    assert (
        Permanence.objects.filter(date=datetime.date(2024, 3, 4)).count() == 1
    )  # seul son lieu, seul le lundi
    permanence = Permanence.objects.get()
    ArriveeFactory(permanence=permanence)
    ArriveeFactory(permanence=permanence, annulee_le=timezone.now())
    contenu = client.get(reverse("permanences:accueil")).content.decode()
    assert "ESC Les Champs Manceaux · 14 h 00–17 h 00" in contenu
    assert 'data-arrivees="1"' in contenu
    assert "ESC Maurepas" not in contenu
    assert client.get(reverse("permanences:accueil")).status_code == 200
    assert Permanence.objects.count() == 1  # idempotent


def nombre_de_requetes(client, url):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@freeze_time(MAINTENANT)
def test_requetes_constantes_sur_l_accueil(client, agent, lieu, django_assert_num_queries):
    client.force_login(agent)
    permanences = [
        PermanenceFactory(
            lieu=lieu,
            date=datetime.date(2024, 3, 4),
            heure_debut=datetime.time(h, 0),
            heure_fin=datetime.time(h, 30),
        )
        for h in (9, 10, 11)
    ]
    urls = [reverse("permanences:accueil"), reverse("permanences:accueil_compteurs")]
    avant = {url: nombre_de_requetes(client, url) for url in urls}
    for p in permanences:
        for _ in range(15):
            ArriveeFactory(permanence=p)
            RefusFactory(permanence=p)
    for url in urls:
        with django_assert_num_queries(avant[url]):
            client.get(url)


@freeze_time(MAINTENANT)
def test_une_arrivee_coute_trois_requetes(client, agent, permanence, django_assert_num_queries):
    client.force_login(agent)
    with django_assert_num_queries(3):  # session, utilisateur et rôles, insertion vérifiée
        reponse = pointer(client, permanence, tranche_age="25_39", genre="feminin")
    assert reponse.status_code == 201
    arrivee = Arrivee.objects.get(uuid=reponse.json()["uuid"])
    assert (arrivee.permanence, arrivee.agent, arrivee.tranche_age, arrivee.genre) == (
        permanence,
        agent,
        "25_39",
        "feminin",
    )


@freeze_time(MAINTENANT)
def test_l_insertion_directe_ecrit_la_meme_ligne_que_l_orm(agent, permanence):
    """Le chemin chaud (une instruction SQL) et le modèle doivent produire des lignes identiques."""
    from django.forms.models import model_to_dict

    from permanences import services

    maintenant = timezone.now()
    directe = services.enregistrer_pointage(
        user=agent,
        uuid=uuid.uuid4(),
        type_pointage="arrivee",
        permanence_id=permanence.pk,
        horodatage=maintenant,
        tranche_age="60_69",
        genre="masculin",
    ).pointage
    par_orm = Arrivee.objects.create(
        permanence=permanence, horodatage=maintenant, agent=agent, tranche_age="60_69", genre="masculin"
    )
    ignores = ["id", "uuid"]
    relue = Arrivee.objects.get(pk=directe.pk)
    assert model_to_dict(relue, exclude=ignores) == model_to_dict(par_orm, exclude=ignores)
    assert relue.enregistre_le == par_orm.enregistre_le == maintenant
    assert relue.horodatage == maintenant and relue.uuid == directe.uuid


@freeze_time(MAINTENANT)
def test_uuid_d_un_refus_reutilise_pour_une_arrivee_refuse(client, agent, permanence):
    client.force_login(agent)
    identifiant = uuid.uuid4()
    assert pointer(client, permanence, "refus", identifiant=identifiant).status_code == 201
    reponse = pointer(client, permanence, identifiant=identifiant)
    assert reponse.status_code == 400
    assert reponse.json()["erreur"] == "Cet identifiant de pointage est déjà utilisé pour un autre pointage."
    assert Arrivee.objects.count() == 0 and Refus.objects.count() == 1


@pytest.mark.django_db
def test_sans_permanence_aujourd_hui_l_accueil_dit_la_prochaine(client):
    import html

    from django.urls import reverse
    from freezegun import freeze_time

    from tests.inclusion.factories import LieuFactory, utilisateur
    from tests.permanences.factories import CreneauFactory

    lieu = LieuFactory(nom="ESC Cleunay")
    CreneauFactory(
        lieu=lieu, jour_semaine=1, heure_debut=datetime.time(14), heure_fin=datetime.time(17)
    )  # mardi
    client.force_login(utilisateur("accueil", lieux=[lieu]))
    with freeze_time("2026-11-29 10:00"):  # un dimanche
        page = html.unescape(client.get(reverse("permanences:accueil")).content.decode())
    assert "Aucune permanence aujourd'hui dans vos lieux." in page
    assert "Prochaine : ESC Cleunay, mardi 1er décembre, 14 h 00." in page


@freeze_time(MAINTENANT)
def test_mes_lieux_d_abord_les_autres_derriere_autres_lieux(client, agent, lieu, autre_lieu):
    """#31 : l'agent garde ses lieux (« Mes lieux ») ; seul un lieu où il peut pointer y entre."""
    import html

    from permanences.models import LieuHabituel

    agent.intervenant.lieux.add(autre_lieu)
    interdit = PermanenceFactory(date=datetime.date(2024, 3, 4)).lieu  # un lieu d'une autre équipe
    for un_lieu in (lieu, autre_lieu):
        PermanenceFactory(lieu=un_lieu, date=datetime.date(2024, 3, 4))
    client.force_login(agent)
    page = client.get(reverse("permanences:accueil")).content.decode()
    assert 'id="autres-lieux"' not in page and "☆ Dans mes lieux" in page  # rien de choisi : tout, à plat
    url = reverse("permanences:mes_lieux")
    assert client.post(url, {"lieu": autre_lieu.pk, "garder": "1"}).status_code == 302
    client.post(url, {"lieu": autre_lieu.pk, "garder": "1"})  # idempotent
    reponse = client.post(url, {"lieu": interdit.pk, "garder": "1"}, follow=True)
    assert "Lieu inconnu." in html.unescape(reponse.content.decode())
    client.post(url, {"lieu": "١", "garder": "1"})  # illisible : refusé, jamais une erreur 500
    assert list(LieuHabituel.objects.values_list("user", "lieu")) == [(agent.pk, autre_lieu.pk)]
    page = client.get(reverse("permanences:accueil")).content.decode()
    mes, autres = page.split('id="autres-lieux"')
    assert "ESC Maurepas ·" in mes and "ESC Les Champs Manceaux ·" not in mes
    assert "Autres lieux (1)" in autres and "ESC Les Champs Manceaux ·" in autres
    client.post(url, {"lieu": autre_lieu.pk, "garder": "0"})
    assert not LieuHabituel.objects.exists()


@freeze_time(MAINTENANT)
def test_les_derniers_pointages_disent_le_profil_et_le_motif(client, agent, permanence):
    client.force_login(agent)
    pointer(client, permanence, tranche_age="40_59", genre="feminin")
    pointer(client, permanence, "refus", motif="complet")
    page = client.get(reverse("permanences:accueil")).content.decode()
    derniers = json.loads(
        page.split('id="derniers-pointages" type="application/json">')[1].split("</script>")[0]
    )
    assert [(d["type"], d.get("tranche_age"), d.get("genre"), d.get("motif")) for d in derniers] == [
        ("arrivee", "40_59", "feminin", None),
        ("refus", None, None, "complet"),
    ]
    libelles = json.loads(
        page.split('id="libelles-pointages" type="application/json">')[1].split("</script>")[0]
    )
    assert libelles["tranche_age"]["40_59"] == "40 à 59 ans"  # pour les dire en mots
