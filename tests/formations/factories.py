import datetime

import factory

from formations.models import AccompagnementFormation, Inscription, SessionFormation, Theme
from tests.inclusion.factories import StructureFactory


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    nom = factory.Sequence(lambda n: f"Thème {n}")


class SessionFormationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionFormation

    theme = factory.SubFactory(ThemeFactory)
    date = datetime.date(2023, 5, 10)
    heure_debut = datetime.time(9, 30)
    heure_fin = datetime.time(12, 0)
    capacite = 10


class InscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inscription

    session = factory.SubFactory(SessionFormationFactory)
    nom = factory.Sequence(lambda n: f"Professionnel {n}")
    email = factory.Sequence(lambda n: f"pro{n}@example.org")
    structure = factory.SubFactory(StructureFactory, nom="CDAS")


class AccompagnementFormationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccompagnementFormation

    date = datetime.date(2023, 6, 1)
    duree_minutes = 120
    structure = factory.SubFactory(StructureFactory, nom="CCAS")
