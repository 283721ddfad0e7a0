import datetime
import uuid

import factory
from django.utils import timezone

from permanences.enums import Autonomie, Genre, Service, StatutRendezVous, TrancheAge, TypeDemande
from permanences.models import Arrivee, Creneau, Passage, Permanence, Refus, RendezVous
from tests.inclusion.factories import IntervenantFactory, LieuFactory, demarche


class CreneauFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Creneau

    lieu = factory.SubFactory(LieuFactory)
    jour_semaine = 0
    heure_debut = datetime.time(9, 0)
    heure_fin = datetime.time(12, 0)
    valide_du = datetime.date(2020, 1, 1)


class PermanenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Permanence

    date = factory.LazyFunction(timezone.localdate)
    lieu = factory.SubFactory(LieuFactory)
    heure_debut = datetime.time(9, 0)
    heure_fin = datetime.time(12, 0)


class ArriveeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Arrivee

    uuid = factory.LazyFunction(uuid.uuid4)
    permanence = factory.SubFactory(PermanenceFactory)
    horodatage = factory.LazyAttribute(
        lambda o: timezone.make_aware(datetime.datetime.combine(o.permanence.date, datetime.time(9, 30)))
    )


class RefusFactory(ArriveeFactory):
    class Meta:
        model = Refus

    date = factory.LazyAttribute(lambda o: o.permanence.date)


class PassageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Passage

    permanence = factory.SubFactory(PermanenceFactory)
    date = factory.LazyAttribute(lambda o: o.permanence.date)
    type_demande = TypeDemande.DEMARCHE_EN_LIGNE
    demarche = factory.LazyFunction(lambda: demarche("caf"))
    duree_minutes = 20
    autonomie = Autonomie.ACCOMPAGNE
    tranche_age = TrancheAge.DE_25_A_39
    genre = Genre.FEMININ


class RendezVousFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RendezVous

    service = Service.CCAS
    lieu = factory.SubFactory(LieuFactory)
    intervenant = factory.SubFactory(IntervenantFactory)
    date = datetime.date(2023, 3, 6)
    heure = datetime.time(14, 0)
    duree_prevue_minutes = 30
    statut = StatutRendezVous.A_RENSEIGNER
