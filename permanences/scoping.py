"""Qui voit quoi : lieux d'un agent ou d'un médiateur, rendez-vous par service."""

from django.db.models import Q

from inclusion.enums import Role
from inclusion.models import Intervenant
from inclusion.roles import get_intervenant, get_roles, lieux_of

from .enums import Service
from .models import Permanence, RendezVous


def permanences_visibles(user):
    return Permanence.objects.filter(lieu__in=lieux_of(user))


def services_of(user):
    """Services de rendez-vous qu'un utilisateur peut gérer."""
    roles = get_roles(user)
    if Role.COORDINATION in roles:
        return [Service.CCAS, Service.ARCS]
    services = []
    if Role.MEDIATION in roles:
        services.append(Service.CCAS)
    if Role.ARCS in roles:
        services.append(Service.ARCS)
    return services


def rendez_vous_visibles(user):
    """ARCS : tous les rendez-vous ARCS ; médiation : les rendez-vous CCAS de ses lieux ; coordination : tout."""
    roles = get_roles(user)
    if Role.COORDINATION in roles:
        return RendezVous.objects.all()
    condition = Q(pk__in=[])
    if Role.ARCS in roles:
        condition |= Q(service=Service.ARCS)
    if Role.MEDIATION in roles:
        condition |= Q(service=Service.CCAS, lieu__in=lieux_of(user))
    return RendezVous.objects.filter(condition)


def peut_modifier_rendez_vous(user, rdv):
    roles = get_roles(user)
    if Role.COORDINATION in roles:
        return True
    if rdv.service == Service.ARCS:
        return Role.ARCS in roles
    intervenant = get_intervenant(user)
    return Role.MEDIATION in roles and intervenant is not None and rdv.intervenant_id == intervenant.pk


def intervenants_pour_rendez_vous(user):
    """Intervenants qu'on peut choisir pour un rendez-vous : soi-même, ceux de l'ARCS pour l'ARCS, tous pour la coordination."""
    roles = get_roles(user)
    if Role.COORDINATION in roles:
        return Intervenant.objects.actifs()
    condition = Q(pk__in=[])
    if Role.ARCS in roles:
        condition |= Q(actif=True, structure__nom__iexact="ARCS")
    intervenant = get_intervenant(user)
    if intervenant is not None:
        condition |= Q(pk=intervenant.pk)
    return Intervenant.objects.filter(condition)


def lieux_pour_rendez_vous(user):
    from inclusion.models import Lieu

    roles = get_roles(user)
    if Role.COORDINATION in roles or Role.ARCS in roles:
        return Lieu.objects.actifs()
    return lieux_of(user)
