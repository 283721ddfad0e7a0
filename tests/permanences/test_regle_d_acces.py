"""La règle d'accès aux lieux n'a qu'une définition (Lieu.objects.accessibles_a) ; le pointage de l'accueil la
réécrit en SQL pour aller vite. Ce test vérifie, pour chaque combinaison, que les trois s'accordent : le
queryset, l'instruction unique du chemin chaud (_inserer_arrivee) et la vérification du chemin général."""

import datetime
import itertools
import uuid

import pytest
from django.utils import timezone

from inclusion.models import Lieu
from permanences.models import Arrivee, Permanence
from permanences.services import PointageInvalide, _inserer_arrivee, _verifier_permanence
from tests.inclusion.factories import LieuFactory, utilisateur
from tests.permanences.factories import PermanenceFactory

ROLES = ["accueil", "mediation", "arcs", "coordination", None]
COMBINAISONS = list(itertools.product(ROLES, [True, False], [True, False], [True, False], [True, False]))


def _cas(role, affecte, lieu_actif, intervenant_actif, annulee):
    lieu = LieuFactory(actif=lieu_actif)
    user = utilisateur(*([role] if role else []), lieux=[lieu] if affecte else [])
    user.intervenant.actif = intervenant_actif
    user.intervenant.save()
    permanence = PermanenceFactory(lieu=lieu, annulee=annulee)
    return user, permanence


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "affecte", "lieu_actif", "intervenant_actif", "annulee"), COMBINAISONS)
def test_le_queryset_et_les_deux_chemins_du_pointage_s_accordent(
    role, affecte, lieu_actif, intervenant_actif, annulee
):
    user, permanence = _cas(role, affecte, lieu_actif, intervenant_actif, annulee)
    # La règle écrite ici une troisième fois, à la main, pour que le queryset lui-même soit vérifié.
    attendu = lieu_actif and (role == "coordination" or (affecte and intervenant_actif))
    assert Lieu.objects.accessibles_a(user).filter(pk=permanence.lieu_id).exists() is attendu
    visible = Permanence.objects.visibles_par(user).filter(pk=permanence.pk).exists()
    assert visible is attendu

    horodatage = timezone.make_aware(datetime.datetime.combine(permanence.date, datetime.time(9, 30)))
    arrivee = Arrivee(
        uuid=uuid.uuid4(),
        permanence_id=permanence.pk,
        horodatage=horodatage,
        enregistre_le=timezone.now(),
        agent=user,
    )
    assert _inserer_arrivee(arrivee, user=user) is (visible and not annulee)

    try:
        _verifier_permanence(user, permanence.pk, horodatage)
    except PointageInvalide as refus:
        assert not (visible and not annulee)
        attendu_message = "Permanence inconnue." if not visible else "Cette permanence est annulée"
        assert str(refus).startswith(attendu_message)
    else:
        assert visible and not annulee


@pytest.mark.django_db
def test_un_visiteur_anonyme_n_accede_a_aucun_lieu():
    from django.contrib.auth.models import AnonymousUser

    LieuFactory()
    assert not Lieu.objects.accessibles_a(AnonymousUser()).exists()
    assert not Permanence.objects.visibles_par(AnonymousUser()).exists()
