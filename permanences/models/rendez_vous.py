"""Le rendez-vous individuel (médiateurs du CCAS, informaticiens de l'ARCS)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from inclusion.cloture import ProtegeeParLaCloture
from inclusion.enums import Role
from inclusion.formats import heure_fr
from inclusion.models import Intervenant, Lieu
from inclusion.modifications import AvecModification, AvecModificationQuerySet
from inclusion.roles import roles_de
from inclusion.selecteurs import QuerySetDate

from ..enums import (
    MotifRendezVous,
    Service,
    StatutRendezVous,
    TypeDemande,
)
from .champs import DUREE_MAX_MINUTES, ChampsAccompagnement, champ_quartier

# --- Rendez-vous individuels -----------------------------------------------------------------------


class RendezVousQuerySet(AvecModificationQuerySet, QuerySetDate):
    chemin_intervenant = "intervenant"

    def visibles_par(self, user):
        """ARCS : tous les rendez-vous ARCS ; médiation : les rendez-vous CCAS de ses lieux ; coordination :
        tous."""
        roles = roles_de(user)
        if Role.COORDINATION in roles:
            return self.all()
        condition = Q(pk__in=[])
        if Role.ARCS in roles:
            condition |= Q(service=Service.ARCS)
        if Role.MEDIATION in roles:
            condition |= Q(service=Service.CCAS, lieu__in=Lieu.objects.accessibles_a(user))
        return self.filter(condition)

    def honores(self):
        return self.filter(statut=StatutRendezVous.HONORE)

    def a_renseigner(self, avant):
        return self.filter(statut=StatutRendezVous.A_RENSEIGNER, date__lt=avant)


class RendezVous(ProtegeeParLaCloture, AvecModification, ChampsAccompagnement):
    """Rendez-vous individuel d'un médiateur (CCAS) ou d'un informaticien public (ARCS)."""

    type_demande = models.CharField("type de demande", max_length=30, choices=TypeDemande.choices, blank=True)
    service = models.CharField("service", max_length=10, choices=Service.choices)
    lieu = models.ForeignKey(Lieu, verbose_name="lieu", on_delete=models.PROTECT, related_name="rendez_vous")
    intervenant = models.ForeignKey(
        Intervenant, verbose_name="intervenant", on_delete=models.PROTECT, related_name="rendez_vous"
    )
    date = models.DateField("date")
    heure = models.TimeField("heure", null=True, blank=True)
    duree_prevue_minutes = models.PositiveSmallIntegerField(
        "durée prévue (minutes)",
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(DUREE_MAX_MINUTES)],
    )
    duree_minutes = models.PositiveSmallIntegerField(
        "durée réelle (minutes)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(DUREE_MAX_MINUTES)],
    )
    motif = models.CharField("motif", max_length=30, choices=MotifRendezVous.choices, blank=True)
    statut = models.CharField(
        "statut", max_length=20, choices=StatutRendezVous.choices, default=StatutRendezVous.A_RENSEIGNER
    )
    quartier = champ_quartier()
    nom_contact = models.CharField("nom de la personne", max_length=120, blank=True)
    telephone_contact = models.CharField("téléphone", max_length=30, blank=True)
    coordonnees_effacees_le = models.DateTimeField("coordonnées effacées le", null=True, blank=True)
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = RendezVousQuerySet.as_manager()
    # Journal des modifications, sans les coordonnées (elles doivent pouvoir être effacées pour de bon).
    history = HistoricalRecords(excluded_fields=["nom_contact", "telephone_contact"])

    # Les coordonnées (effacées par la purge) et le compte qui a saisi : aucun chiffre ne les lit.
    champs_hors_cloture = frozenset(
        {"nom_contact", "telephone_contact", "coordonnees_effacees_le", "cree_par", "modifie_le"}
    )

    class Meta:
        verbose_name = "rendez-vous"
        verbose_name_plural = "rendez-vous"
        ordering = ["date", "heure"]
        indexes = [models.Index(fields=["date", "service"], name="rendez_vous_date_service")]
        constraints = [
            models.CheckConstraint(
                condition=Q(duree_minutes__isnull=True)
                | Q(duree_minutes__gte=1, duree_minutes__lte=DUREE_MAX_MINUTES),
                name="rendez_vous_duree_valide",
                violation_error_message="La durée doit être comprise entre 1 et 480 minutes.",
            ),
            models.CheckConstraint(
                condition=Q(duree_prevue_minutes__gte=1, duree_prevue_minutes__lte=DUREE_MAX_MINUTES),
                name="rendez_vous_duree_prevue_valide",
                violation_error_message="La durée prévue doit être comprise entre 1 et 480 minutes.",
            ),
            models.CheckConstraint(
                condition=~Q(statut=StatutRendezVous.HONORE) | Q(duree_minutes__isnull=False),
                name="rendez_vous_honore_duree",
                violation_error_message="Indiquez la durée réelle d'un rendez-vous honoré.",
            ),
            models.CheckConstraint(
                condition=~Q(type_demande=TypeDemande.DEMARCHE_EN_LIGNE) | Q(demarche__isnull=False),
                name="rendez_vous_demarche_requise",
                violation_error_message="Précisez la démarche pour une aide aux démarches en ligne.",
            ),
        ]

    def __str__(self):
        heure = f" {heure_fr(self.heure)}" if self.heure else ""
        return f"Rendez-vous {self.get_service_display()} du {self.date:%d/%m/%Y}{heure} ({self.intervenant})"
