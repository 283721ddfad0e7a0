import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from freezegun import freeze_time

from inclusion.roles import intervenant_de
from permanences.enums import Service, StatutRendezVous
from permanences.models import RendezVous
from rapports.bilan import bilan_json
from tests.inclusion.factories import IntervenantFactory, LieuFactory, demarche, utilisateur
from tests.permanences.factories import RendezVousFactory
from tests.permanences.test_accueil import nombre_de_requetes


@pytest.fixture
def mediateur(lieu):
    return utilisateur("mediation", lieux=[lieu], username="mediateur")


@pytest.fixture
def informaticien(db):
    return utilisateur("arcs", username="informaticien")


def donnees_rdv(lieu, intervenant, **extra):
    return {
        "service": "ccas",
        "lieu": lieu.pk,
        "intervenant": intervenant.pk,
        "date": "2024-03-05",
        "heure": "14:00",
        "duree_prevue_minutes": "60",
        "motif": "trop_long_pour_permanence",
        "type_demande": "",
        "demarche": "",
        "tranche_age": "non_communique",
        "genre": "non_communique",
        "nom_contact": "Mme Exemple",
        "telephone_contact": "0600000000",
        **extra,
    }


@freeze_time("2024-03-04 10:00:00+01:00")
def test_creation_puis_chevauchement_refuse(client, mediateur, lieu):
    client.force_login(mediateur)
    moi = intervenant_de(mediateur)
    assert client.post(reverse("permanences:rendez_vous_nouveau"), donnees_rdv(lieu, moi)).status_code == 302
    reponse = client.post(reverse("permanences:rendez_vous_nouveau"), donnees_rdv(lieu, moi, heure="14:45"))
    assert reponse.status_code == 200
    assert "a déjà un rendez-vous qui chevauche ce créneau (14 h 00, 60 min)" in reponse.content.decode()
    assert (
        client.post(
            reverse("permanences:rendez_vous_nouveau"), donnees_rdv(lieu, moi, heure="15:00")
        ).status_code
        == 302
    )
    assert RendezVous.objects.count() == 2


@freeze_time("2024-03-04 10:00:00+01:00")
def test_deplacer_un_rendez_vous_sans_conflit_avec_lui_meme(client, mediateur, lieu):
    client.force_login(mediateur)
    rdv = RendezVousFactory(lieu=lieu, intervenant=intervenant_de(mediateur), date=datetime.date(2024, 3, 5))
    reponse = client.post(
        reverse("permanences:rendez_vous_modifier", args=[rdv.pk]),
        donnees_rdv(lieu, rdv.intervenant, heure="14:15"),
    )
    assert reponse.status_code == 302
    rdv.refresh_from_db()
    assert rdv.heure == datetime.time(14, 15)


@freeze_time("2024-03-10 10:00:00+01:00")
def test_issue_requise_et_seuls_les_honores_comptent(client, mediateur, lieu):
    client.force_login(mediateur)
    moi = intervenant_de(mediateur)
    rdvs = [
        RendezVousFactory(
            lieu=lieu, intervenant=moi, date=datetime.date(2024, 3, 5), heure=datetime.time(9 + i, 0)
        )
        for i in range(5)
    ]
    liste = client.get(reverse("permanences:a_renseigner")).content.decode()
    assert liste.count("Renseigner</a>") == 5
    url = reverse("permanences:rendez_vous_resultat", args=[rdvs[0].pk])
    sans_duree = client.post(
        url,
        {
            "statut": "honore",
            "duree_minutes": "",
            "type_demande": "demarche_en_ligne",
            "demarche": demarche("prefecture_etrangers").pk,
            "tranche_age": "non_communique",
            "genre": "non_communique",
        },
    )
    assert "Indiquez la durée réelle" in sans_duree.content.decode()
    ok = client.post(
        url,
        {
            "statut": "honore",
            "duree_minutes": "35",
            "type_demande": "demarche_en_ligne",
            "demarche": demarche("prefecture_etrangers").pk,
            "tranche_age": "non_communique",
            "genre": "non_communique",
        },
    )
    assert ok.status_code == 302
    for rdv, statut in zip(rdvs[1:4], ["excuse", "annule", "absent"], strict=True):
        client.post(
            reverse("permanences:rendez_vous_resultat", args=[rdv.pk]),
            {"statut": statut, "tranche_age": "non_communique", "genre": "non_communique"},
        )
    assert list(RendezVous.objects.honores().values_list("pk", flat=True)) == [rdvs[0].pk]
    assert RendezVous.objects.a_renseigner(datetime.date(2024, 3, 10)).get() == rdvs[4]
    bilan = bilan_json(2024)
    assert bilan["rendez_vous"]["realises"]["valeur"] == 1
    assert bilan["rendez_vous"]["absents"]["valeur"] == 1
    assert bilan["rendez_vous"]["duree_moyenne_minutes"]["valeur"] == 35


def test_contrainte_honore_sans_duree_en_base(lieu):
    with pytest.raises(IntegrityError), transaction.atomic():
        RendezVousFactory(lieu=lieu, statut=StatutRendezVous.HONORE, duree_minutes=None)


@freeze_time("2024-03-10 10:00:00+01:00")
def test_perimetres_arcs_mediateurs_coordination(
    client, lieu, autre_lieu, mediateur, informaticien, coordination
):
    collegue = utilisateur("mediation", lieux=[lieu], username="collegue")
    a_moi = RendezVousFactory(
        lieu=lieu, intervenant=intervenant_de(mediateur), date=datetime.date(2024, 3, 5)
    )
    du_collegue = RendezVousFactory(
        lieu=lieu, intervenant=intervenant_de(collegue), date=datetime.date(2024, 3, 5)
    )
    ailleurs = RendezVousFactory(lieu=autre_lieu, date=datetime.date(2024, 3, 5))
    arcs = RendezVousFactory(
        service=Service.ARCS,
        lieu=autre_lieu,
        intervenant=intervenant_de(informaticien),
        date=datetime.date(2024, 3, 5),
    )
    semaine = reverse("permanences:agenda") + "?semaine=2024-03-04"

    client.force_login(mediateur)
    contenu = client.get(semaine).content.decode()
    assert reverse("permanences:rendez_vous_modifier", args=[a_moi.pk]) in contenu
    assert (
        reverse("permanences:rendez_vous_modifier", args=[du_collegue.pk]) in contenu
    )  # voit ceux de ses lieux
    assert reverse("permanences:rendez_vous_modifier", args=[ailleurs.pk]) not in contenu
    assert reverse("permanences:rendez_vous_modifier", args=[arcs.pk]) not in contenu
    assert client.get(reverse("permanences:rendez_vous_modifier", args=[du_collegue.pk])).status_code == 403
    assert client.get(reverse("permanences:rendez_vous_modifier", args=[arcs.pk])).status_code == 404

    client.force_login(informaticien)
    contenu = client.get(semaine).content.decode()
    assert reverse("permanences:rendez_vous_modifier", args=[arcs.pk]) in contenu
    assert reverse("permanences:rendez_vous_modifier", args=[a_moi.pk]) not in contenu
    assert client.get(reverse("permanences:rendez_vous_resultat", args=[a_moi.pk])).status_code == 404

    client.force_login(coordination)
    contenu = client.get(semaine).content.decode()
    assert all(
        reverse("permanences:rendez_vous_modifier", args=[r.pk]) in contenu
        for r in (a_moi, du_collegue, ailleurs, arcs)
    )


@freeze_time("2024-03-04 10:00:00+01:00")
def test_un_mediateur_ne_cree_pas_de_rendez_vous_pour_un_autre(client, mediateur, lieu):
    autre = IntervenantFactory(lieux=[lieu])
    client.force_login(mediateur)
    reponse = client.post(reverse("permanences:rendez_vous_nouveau"), donnees_rdv(lieu, autre))
    assert reponse.status_code == 200
    assert "Sélectionnez un choix valide" in reponse.content.decode()
    arcs = client.post(
        reverse("permanences:rendez_vous_nouveau"),
        donnees_rdv(lieu, intervenant_de(mediateur), service="arcs"),
    )
    assert "Sélectionnez un choix valide" in arcs.content.decode()
    assert RendezVous.objects.count() == 0


@freeze_time("2024-03-10 10:00:00+01:00")
def test_agenda_nombre_de_requetes_constant(client, coordination, django_assert_num_queries):
    client.force_login(coordination)
    url = reverse("permanences:agenda") + "?semaine=2024-03-04"
    RendezVousFactory(date=datetime.date(2024, 3, 5))
    avant = nombre_de_requetes(client, url)
    for i in range(20):
        RendezVousFactory(
            date=datetime.date(2024, 3, 4) + datetime.timedelta(days=i % 6),
            lieu=LieuFactory(),
            heure=datetime.time(8 + i % 10, 0),
            demarche=demarche("caf"),
            type_demande="demarche_en_ligne",
        )
    with django_assert_num_queries(avant):
        contenu = client.get(url).content.decode()
    assert contenu.count("Issue</a>") == 21


def test_purge_des_coordonnees(lieu):
    vieux = RendezVousFactory(
        lieu=lieu,
        date=datetime.date(2024, 1, 2),
        statut="honore",
        duree_minutes=40,
        type_demande="accompagnement_technique",
        nom_contact="Mme A",
        telephone_contact="06",
    )
    recent = RendezVousFactory(
        lieu=lieu, date=datetime.date(2024, 3, 1), nom_contact="M. B", telephone_contact="07"
    )
    with freeze_time("2024-04-15 03:00:00+02:00"):
        bilan_avant = bilan_json(2024)
        sortie = StringIO()
        call_command("purger_donnees_personnelles", stdout=sortie)
        assert "nom et téléphone des rendez-vous (au-delà de 90 jours) : 1 à effacer" in sortie.getvalue()
        vieux.refresh_from_db()
        assert vieux.nom_contact == "Mme A"  # simulation : rien n'est effacé
        call_command("purger_donnees_personnelles", "--appliquer", stdout=sortie)
        call_command("purger_donnees_personnelles", "--appliquer", stdout=(deuxieme := StringIO()))
        assert (
            "nom et téléphone des rendez-vous (au-delà de 90 jours) : 0 effacés" in deuxieme.getvalue()
        )  # idempotent
        bilan_apres = bilan_json(2024)
    vieux.refresh_from_db()
    recent.refresh_from_db()
    assert (vieux.nom_contact, vieux.telephone_contact) == ("", "")
    assert vieux.coordonnees_effacees_le is not None
    assert (recent.nom_contact, recent.telephone_contact) == ("M. B", "07")
    assert bilan_avant == bilan_apres
    assert bilan_apres["rendez_vous"]["realises"]["valeur"] == 1


def test_une_semaine_sans_rendez_vous_le_dit_et_propose_d_en_prendre(client, coordination):
    from django.urls import reverse

    client.force_login(coordination)
    page = client.get(reverse("permanences:agenda") + "?semaine=2031-03-03").content.decode()
    assert "Aucun rendez-vous cette semaine." in page
    assert f'href="{reverse("permanences:rendez_vous_nouveau")}">Prendre un rendez-vous' in page


def test_le_seul_choix_possible_est_deja_choisi(client, db):
    from django.urls import reverse

    from tests.inclusion.factories import LieuFactory, utilisateur

    lieu = LieuFactory(nom="ESC Cleunay")
    mediateur = utilisateur("mediation", lieux=[lieu])
    client.force_login(mediateur)
    page = client.get(reverse("permanences:rendez_vous_nouveau")).content.decode()
    assert f'<option value="{lieu.pk}" selected>ESC Cleunay</option>' in page
    assert f'<option value="{mediateur.intervenant.pk}" selected>' in page
