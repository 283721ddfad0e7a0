import factory
from django.contrib.auth.models import Group, User

from inclusion.enums import Fonction
from inclusion.models import Demarche, Intervenant, Lieu, Structure


class LieuFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lieu

    nom = factory.Sequence(lambda n: f"ESC n°{n}")
    adresse = factory.Sequence(lambda n: f"{n} rue de la Médiation, Rennes")


class StructureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Structure
        django_get_or_create = ("nom",)

    nom = factory.Sequence(lambda n: f"Structure {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"agent{n}")
    first_name = "Camille"
    password = factory.django.Password("mot-de-passe-de-test")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set(Group.objects.filter(name__in=extracted))


class IntervenantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Intervenant
        skip_postgeneration_save = True

    nom = factory.Sequence(lambda n: f"Intervenant {n}")
    structure = factory.SubFactory(StructureFactory, nom="CCAS")
    fonction = Fonction.MEDIATEUR

    @factory.post_generation
    def lieux(self, create, extracted, **kwargs):
        if create and extracted:
            self.lieux.set(extracted)


def demarche(code):
    """Les démarches sont semées par migration : on les retrouve par leur code."""
    return Demarche.objects.get(code=code)


def utilisateur(*roles, lieux=(), intervenant=True, **kwargs):
    """Un compte avec ses rôles et, par défaut, sa fiche intervenant rattachée aux lieux donnés."""
    user = UserFactory(roles=list(roles), **kwargs)
    if intervenant:
        fonction = {
            "accueil": Fonction.AGENT_ACCUEIL,
            "arcs": Fonction.INFORMATICIEN_PUBLIC,
            "coordination": Fonction.COORDINATEUR,
            "formation": Fonction.COORDINATEUR_FORMATION,
        }.get(roles[0] if roles else "", Fonction.MEDIATEUR)
        structure = StructureFactory(nom="ARCS" if "arcs" in roles else "CCAS")
        IntervenantFactory(
            user=user,
            lieux=list(lieux),
            fonction=fonction,
            structure=structure,
            nom=f"{user.username} Intervenant",
        )
    return user
