"""Qui peut faire quoi sur les rendez-vous (services, intervenants, lieux proposés) ; la règle d'accès aux lieux
est Lieu.objects.accessibles_a, celle des rendez-vous RendezVous.objects.visibles_par."""

from django.db.models import Q

from inclusion.enums import Role
from inclusion.models import Intervenant, Lieu
from inclusion.roles import intervenant_de, roles_de

from .enums import Service


def services_de(user):
    """Services de rendez-vous qu'un utilisateur peut gérer."""
    roles = roles_de(user)
    if Role.COORDINATION in roles:
        return [Service.CCAS, Service.ARCS]
    services = []
    if Role.MEDIATION in roles:
        services.append(Service.CCAS)
    if Role.ARCS in roles:
        services.append(Service.ARCS)
    return services


def peut_modifier_rendez_vous(user, rdv):
    roles = roles_de(user)
    if Role.COORDINATION in roles:
        return True
    if rdv.service == Service.ARCS:
        return Role.ARCS in roles
    intervenant = intervenant_de(user)
    return Role.MEDIATION in roles and intervenant is not None and rdv.intervenant_id == intervenant.pk


def intervenants_pour_rendez_vous(user):
    """Intervenants qu'on peut choisir pour un rendez-vous : soi-même, ceux de l'ARCS pour l'ARCS, tous pour la coordination."""
    roles = roles_de(user)
    if Role.COORDINATION in roles:
        return Intervenant.objects.actifs()
    condition = Q(pk__in=[])
    if Role.ARCS in roles:
        condition |= Q(actif=True, structure__nom__iexact="ARCS")
    intervenant = intervenant_de(user)
    if intervenant is not None:
        condition |= Q(pk=intervenant.pk)
    return Intervenant.objects.filter(condition)


def lieux_pour_rendez_vous(user):
    roles = roles_de(user)
    if Role.COORDINATION in roles or Role.ARCS in roles:
        return Lieu.objects.actifs()
    return Lieu.objects.accessibles_a(user)
