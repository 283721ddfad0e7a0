"""Journal des modifications : qui a créé, modifié, annulé ou supprimé, et quand."""

import datetime
import json
import uuid

from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from formations import services as formations
from permanences.models import Passage, Refus, RendezVous
from rapports.models import ChiffreExterne
from tests.formations.factories import SessionFormationFactory
from tests.inclusion.factories import StructureFactory, demarche, utilisateur
from tests.permanences.factories import PermanenceFactory, RendezVousFactory


@freeze_time("2024-03-04 10:00:00+01:00")
def test_pointage_cree_puis_annule_au_journal(client, lieu):
    agent = utilisateur("accueil", lieux=[lieu], username="agent")
    permanence = PermanenceFactory(lieu=lieu, date=datetime.date(2024, 3, 4))
    client.force_login(agent)
    identifiant = str(uuid.uuid4())
    client.post(
        reverse("permanences:pointer"),
        json.dumps(
            {
                "uuid": identifiant,
                "type": "refus",
                "permanence": permanence.pk,
                "horodatage": timezone.now().isoformat(),
            }
        ),
        content_type="application/json",
    )
    client.post(
        reverse("permanences:annuler_pointage"),
        json.dumps({"uuid": identifiant}),
        content_type="application/json",
    )
    historique = list(Refus.objects.get().history.order_by("history_date"))
    assert [h.history_type for h in historique] == ["+", "~"]
    assert all(h.history_user == agent for h in historique)
    assert historique[0].annulee_le is None and historique[1].annulee_le is not None


@freeze_time("2024-03-04 12:00:00+01:00")
def test_passage_modifie_par_qui(client, lieu):
    mediateur = utilisateur("mediation", lieux=[lieu], username="mediateur")
    permanence = PermanenceFactory(lieu=lieu, date=datetime.date(2024, 3, 4))
    client.force_login(mediateur)
    donnees = {
        "type_demande": "demarche_en_ligne",
        "demarche": demarche("caf").pk,
        "duree_minutes": "20",
        "autonomie": "accompagne",
        "tranche_age": "25_39",
        "genre": "feminin",
        "note": "",
    }
    client.post(reverse("permanences:passage_nouveau", args=[permanence.pk]), donnees)
    passage = Passage.objects.get()
    client.post(
        reverse("permanences:passage_modifier", args=[passage.pk]), {**donnees, "duree_minutes": "35"}
    )
    historique = list(passage.history.order_by("history_date"))
    assert [(h.history_type, h.duree_minutes, h.history_user.username) for h in historique] == [
        ("+", 20, "mediateur"),
        ("~", 35, "mediateur"),
    ]


def test_journal_des_rendez_vous_sans_coordonnees(lieu):
    rdv = RendezVousFactory(lieu=lieu, nom_contact="Mme Secret", telephone_contact="0600000000")
    rdv.statut = "annule"
    rdv.save()
    historique = rdv.history.all()
    assert historique.count() == 2
    assert not hasattr(historique.first(), "nom_contact")  # les coordonnées n'entrent jamais au journal
    identifiant = rdv.pk
    rdv.delete()
    assert RendezVous.history.filter(id=identifiant, history_type="-").exists()


def test_journal_des_sessions_inscriptions_et_chiffres_externes(db):
    session = SessionFormationFactory(capacite=1, date=timezone.localdate())
    cdas = StructureFactory(nom="CDAS")
    formations.inscrire(session=session, structure=cdas, nom="A")
    attente = formations.inscrire(session=session, structure=cdas, nom="B")
    formations.desinscrire(session.inscriptions.get(nom="A"))
    assert [h.history_type for h in attente.history.order_by("history_date")] == ["+", "~"]  # promue
    formations.annuler(session, "Jauge non atteinte", user=utilisateur("formation", username="formateur_j"))
    assert session.history.latest().statut == "annulee"
    chiffre = ChiffreExterne.objects.create(
        annee=2023, indicateur="dispositif.personnes_recues_externes", valeur=4151
    )
    chiffre.valeur = 4200
    chiffre.save()
    assert [float(h.valeur) for h in chiffre.history.order_by("history_date")] == [4151, 4200]


def test_la_coordination_lit_le_journal_dans_l_administration(client, coordination, lieu):
    rdv = RendezVousFactory(lieu=lieu)
    client.force_login(coordination)
    reponse = client.get(reverse("admin:permanences_rendezvous_history", args=[rdv.pk]))
    assert reponse.status_code == 200
    assert "Historique" in reponse.content.decode() or "historique" in reponse.content.decode()
