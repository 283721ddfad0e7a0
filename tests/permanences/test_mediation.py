import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from inclusion.roles import intervenant_de
from permanences.enums import TypeDemande
from permanences.models import Arrivee, Creneau, Passage, Permanence
from permanences.services import creer_permanences_du_jour
from tests.inclusion.factories import IntervenantFactory, demarche, utilisateur
from tests.permanences.factories import ArriveeFactory, CreneauFactory, PassageFactory, PermanenceFactory

JOUR = datetime.date(2024, 3, 4)


@pytest.fixture
def mediateur(lieu):
    return utilisateur("mediation", lieux=[lieu], username="mediateur")


@pytest.fixture
def permanence(lieu):
    return PermanenceFactory(lieu=lieu, date=JOUR)


def donnees_passage(**extra):
    return {
        "type_demande": "demarche_en_ligne",
        "demarche": demarche("prefecture_etrangers").pk,
        "duree_minutes": "25",
        "autonomie": "fait_a_sa_place",
        "tranche_age": "25_39",
        "genre": "feminin",
        "note": "",
        **extra,
    }


def test_file_d_attente_prise_en_charge_puis_passage_avec_attente(client, mediateur, permanence):
    client.force_login(mediateur)
    with freeze_time("2024-03-04 09:30:00+01:00") as horloge:
        premiere = ArriveeFactory(permanence=permanence, horodatage=timezone.now(), tranche_age="60_69")
        horloge.tick(datetime.timedelta(minutes=5))
        ArriveeFactory(permanence=permanence, horodatage=timezone.now())
        file = client.get(reverse("permanences:file", args=[permanence.pk])).content.decode()
        assert "<strong>2</strong> personnes en attente" in file
        horloge.tick(datetime.timedelta(minutes=12))
        reponse = client.post(reverse("permanences:prendre", args=[permanence.pk]))
        assert reponse.status_code == 302
        assert reponse["Location"].endswith(f"?arrivee={premiere.pk}")  # la première arrivée d'abord
        premiere.refresh_from_db()
        assert premiere.prise_en_charge_par == intervenant_de(mediateur)
        formulaire = client.get(reponse["Location"]).content.decode()
        assert 'value="60_69"' in formulaire and "checked" in formulaire  # profil de l'accueil repris
        horloge.tick(datetime.timedelta(minutes=20))
        reponse = client.post(
            reverse("permanences:passage_nouveau", args=[permanence.pk]), donnees_passage(arrivee=premiere.pk)
        )
        assert reponse.status_code == 302
    passage = Passage.objects.get()
    assert passage.arrivee == premiere
    assert passage.attente_minutes == 17  # prise en charge − arrivée
    assert passage.intervenant == intervenant_de(mediateur)
    # La session (qui garde les messages) a été enregistrée à l'heure gelée : la relire à la même heure.
    with freeze_time("2024-03-04 10:10:00+01:00"):
        assert (
            "1</strong> personne en attente"
            in client.get(reverse("permanences:file", args=[permanence.pk])).content.decode()
        )


def test_deux_mediateurs_ne_prennent_jamais_la_meme_personne(client, lieu, permanence):
    from django.test import Client

    a, b = (
        utilisateur("mediation", lieux=[lieu], username="a"),
        utilisateur("mediation", lieux=[lieu], username="b"),
    )
    ArriveeFactory(permanence=permanence)
    ArriveeFactory(permanence=permanence)
    ca, cb = Client(), Client()
    ca.force_login(a)
    cb.force_login(b)
    with freeze_time("2024-03-04 10:00:00+01:00"):
        ca.post(reverse("permanences:prendre", args=[permanence.pk]))
        cb.post(reverse("permanences:prendre", args=[permanence.pk]))
        troisieme = cb.post(reverse("permanences:prendre", args=[permanence.pk]), follow=True)
    assert set(Arrivee.objects.values_list("prise_en_charge_par__user__username", flat=True)) == {"a", "b"}
    assert "Personne n&#x27;attend" in troisieme.content.decode()


@freeze_time("2024-03-04 12:00:00+01:00")
@pytest.mark.parametrize(
    "modif,champ,message",
    [
        ({"duree_minutes": "0"}, "duree_minutes", "au moins 1 minute"),
        ({"duree_minutes": "481"}, "duree_minutes", "ne peut pas dépasser 480 minutes"),
        ({"duree_minutes": "abc"}, "duree_minutes", "Saisissez un nombre entier"),
        ({"demarche": ""}, "demarche", "Précisez la démarche"),
        ({"autonomie": "inconnue"}, "autonomie", "Sélectionnez un choix valide"),
        ({"note": "x" * 400}, "note", "au plus 280 caractères"),
    ],
)
def test_erreurs_de_saisie_du_passage(client, mediateur, permanence, modif, champ, message):
    client.force_login(mediateur)
    reponse = client.post(
        reverse("permanences:passage_nouveau", args=[permanence.pk]), donnees_passage(**modif)
    )
    assert reponse.status_code == 200
    assert message in str(reponse.context["form"].errors[champ])
    assert Passage.objects.count() == 0


@freeze_time("2024-03-04 12:00:00+01:00")
def test_accompagnement_technique_sans_demarche(client, mediateur, permanence):
    client.force_login(mediateur)
    reponse = client.post(
        reverse("permanences:passage_nouveau", args=[permanence.pk]),
        donnees_passage(type_demande="accompagnement_technique", demarche=demarche("caf").pk),
    )
    assert reponse.status_code == 302
    passage = Passage.objects.get()
    assert passage.type_demande == TypeDemande.ACCOMPAGNEMENT_TECHNIQUE and passage.demarche is None


def test_saisie_a_posteriori_limitee_a_30_jours_sauf_coordination(client, mediateur, lieu, coordination):
    ancienne = PermanenceFactory(lieu=lieu, date=datetime.date(2024, 1, 2))
    future = PermanenceFactory(lieu=lieu, date=datetime.date(2024, 3, 10))
    recente = PermanenceFactory(lieu=lieu, date=datetime.date(2024, 2, 20))
    with freeze_time("2024-03-04 12:00:00+01:00"):
        client.force_login(mediateur)
        refus = client.post(
            reverse("permanences:passage_nouveau", args=[ancienne.pk]), donnees_passage(), follow=True
        )
        assert "seule la coordination peut la modifier" in refus.content.decode()
        a_venir = client.post(
            reverse("permanences:passage_nouveau", args=[future.pk]), donnees_passage(), follow=True
        )
        assert "permanence à venir" in a_venir.content.decode()
        assert Passage.objects.count() == 0
        assert (
            client.post(
                reverse("permanences:passage_nouveau", args=[recente.pk]), donnees_passage()
            ).status_code
            == 302
        )
        client.force_login(coordination)
        assert (
            client.post(
                reverse("permanences:passage_nouveau", args=[ancienne.pk]), donnees_passage()
            ).status_code
            == 302
        )
    assert Passage.objects.count() == 2


def test_mediateur_limite_a_ses_lieux(client, mediateur, autre_lieu):
    ailleurs = PermanenceFactory(lieu=autre_lieu, date=JOUR)
    client.force_login(mediateur)
    with freeze_time("2024-03-04 12:00:00+01:00"):
        assert client.get(reverse("permanences:permanence", args=[ailleurs.pk])).status_code == 404
        assert (
            client.post(
                reverse("permanences:passage_nouveau", args=[ailleurs.pk]), donnees_passage()
            ).status_code
            == 404
        )
        assert client.post(reverse("permanences:prendre", args=[ailleurs.pk])).status_code == 404
    assert Passage.objects.count() == 0


def test_contraintes_en_base_du_passage(permanence):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        PassageFactory(permanence=permanence, duree_minutes=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        PassageFactory(permanence=permanence, duree_minutes=481)
    with pytest.raises(IntegrityError), transaction.atomic():
        PassageFactory(permanence=permanence, demarche=None)


def test_mes_permanences_compteurs_et_passages_a_completer(
    client, mediateur, lieu, django_assert_num_queries
):
    client.force_login(mediateur)
    moi = intervenant_de(mediateur)
    with freeze_time("2024-03-04 15:00:00+01:00"):
        for jour in range(1, 4):
            p = PermanenceFactory(lieu=lieu, date=JOUR - datetime.timedelta(days=jour))
            p.intervenants.add(moi)
        p = Permanence.objects.first()
        prise = ArriveeFactory(permanence=p, prise_en_charge_le=timezone.now(), prise_en_charge_par=moi)
        PassageFactory(permanence=p)
        contenu = client.get(reverse("permanences:mes_permanences")).content.decode()
        assert 'text-bg-warning">1</span>' in contenu  # une prise en charge sans passage
        from tests.permanences.test_accueil import nombre_de_requetes

        avant = nombre_de_requetes(client, reverse("permanences:mes_permanences"))
        for _ in range(10):
            q = PermanenceFactory(lieu=lieu, date=JOUR - datetime.timedelta(days=5 + _))
            q.intervenants.add(moi, IntervenantFactory())
            PassageFactory.create_batch(3, permanence=q)
            ArriveeFactory(permanence=q)
        with django_assert_num_queries(avant):
            client.get(reverse("permanences:mes_permanences"))
        avant_file = nombre_de_requetes(client, reverse("permanences:file", args=[p.pk]))
        ArriveeFactory.create_batch(10, permanence=p)
        with django_assert_num_queries(avant_file):
            client.get(reverse("permanences:file", args=[p.pk]))
    assert prise.pk


@freeze_time("2024-03-04 12:00:00+01:00")
def test_annuler_une_permanence_exige_un_motif(client, mediateur, permanence):
    client.force_login(mediateur)
    client.post(reverse("permanences:permanence_annuler", args=[permanence.pk]), {"motif_annulation": ""})
    permanence.refresh_from_db()
    assert not permanence.annulee
    client.post(
        reverse("permanences:permanence_annuler", args=[permanence.pk]),
        {"motif_annulation": "Médiateur malade"},
    )
    permanence.refresh_from_db()
    assert permanence.annulee and permanence.motif_annulation == "Médiateur malade"


@freeze_time("2024-03-04 12:00:00+01:00")
def test_permanence_exceptionnelle_creee_a_la_main(client, mediateur, lieu):
    client.force_login(mediateur)
    reponse = client.post(
        reverse("permanences:permanence_nouvelle"),
        {"date": "2024-03-06", "lieu": lieu.pk, "heure_debut": "14:00", "heure_fin": "13:00"},
    )
    assert "L&#x27;heure de fin doit suivre" in reponse.content.decode()
    assert Permanence.objects.count() == 0
    reponse = client.post(
        reverse("permanences:permanence_nouvelle"),
        {"date": "2024-03-06", "lieu": lieu.pk, "heure_debut": "14:00", "heure_fin": "16:00"},
    )
    assert reponse.status_code == 302 and Permanence.objects.get().creneau is None


def test_planning_13_puis_10_permanences_par_semaine(db):
    from permanences.models import nombre_permanences_par_semaine
    from tests.inclusion.factories import LieuFactory

    lieux = LieuFactory.create_batch(5)
    fin_ancien = datetime.date(2023, 10, 1)
    for i in range(13):
        CreneauFactory(
            lieu=lieux[i % 5],
            jour_semaine=i % 5,
            heure_debut=datetime.time(9 + i // 5 * 3, 0),
            heure_fin=datetime.time(11 + i // 5 * 3, 0),
            valide_du=datetime.date(2022, 1, 1),
            valide_au=fin_ancien,
        )
    for i in range(10):
        CreneauFactory(
            lieu=lieux[i % 5],
            jour_semaine=i % 5,
            heure_debut=datetime.time(9 + i // 5 * 3, 0),
            heure_fin=datetime.time(11 + i // 5 * 3, 0),
            valide_du=fin_ancien + datetime.timedelta(days=1),
        )
    assert nombre_permanences_par_semaine(datetime.date(2022, 12, 31)) == 13
    assert nombre_permanences_par_semaine(datetime.date(2023, 10, 1)) == 13
    assert nombre_permanences_par_semaine(datetime.date(2023, 10, 2)) == 10
    assert nombre_permanences_par_semaine(datetime.date(2023, 12, 31)) == 10
    # Un lundi d'octobre 2023 avant et après le changement : les occurrences suivent le planning.
    assert len(creer_permanences_du_jour(datetime.date(2023, 9, 25))) == 3
    assert len(creer_permanences_du_jour(datetime.date(2023, 10, 2))) == 2
    assert creer_permanences_du_jour(datetime.date(2023, 10, 2)) == []  # idempotent
    assert Creneau.objects.count() == 23


@pytest.mark.django_db
def test_demarches_et_durees_par_frequence_du_mediateur_puis_de_l_equipe():
    from permanences.selecteurs import DUREES_PROPOSEES, demarches_par_frequence, durees_proposees
    from tests.inclusion.factories import IntervenantFactory, demarche
    from tests.permanences.factories import PassageFactory, PermanenceFactory

    jour = datetime.date(2026, 11, 20)
    moi, collegue = IntervenantFactory(), IntervenantFactory()
    permanence = PermanenceFactory(date=jour - datetime.timedelta(days=2))
    ancienne = PermanenceFactory(date=jour - datetime.timedelta(days=120))  # hors des 90 jours
    PassageFactory(permanence=permanence, intervenant=moi, demarche=demarche("impots"), duree_minutes=45)
    for _ in range(3):
        PassageFactory(
            permanence=permanence, intervenant=collegue, demarche=demarche("caf"), duree_minutes=10
        )
    for _ in range(5):
        PassageFactory(permanence=ancienne, intervenant=moi, demarche=demarche("ants"), duree_minutes=90)
    codes = [d.code for d in demarches_par_frequence(intervenant=moi, jour=jour)]
    assert codes[:2] == [
        "impots",
        "caf",
    ]  # les miennes, puis celles de l'équipe ; les anciennes ne comptent pas
    # #31 : les durées toujours dans l'ordre des valeurs, la plus saisie marquée ; en boutons comptés (saisie
    # groupée), les plus saisies d'abord choisies, puis les plus courantes, rangées par valeur.
    toutes = durees_proposees(intervenant=moi, jour=jour)
    assert (toutes.valeurs, toutes.frequentes) == (list(DUREES_PROPOSEES), {45})
    assert durees_proposees(intervenant=moi, jour=jour, nombre=3).valeurs == [20, 30, 45]
    assert durees_proposees(intervenant=None, jour=jour, nombre=5).valeurs == [10, 15, 20, 30, 45]
    assert durees_proposees(intervenant=collegue, jour=jour).frequentes == {10}
