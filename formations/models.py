import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.models import HistoricalRecords

from inclusion.cloture import ProtegeeParLaCloture
from inclusion.enums import ThematiqueAtelier
from inclusion.models import ActifQuerySet, Intervenant, Lieu, Structure
from inclusion.selecteurs import QuerySetDate

from .enums import Presence, StatutSession

DUREE_MAX_ACCOMPAGNEMENT_MINUTES = 600


class Theme(models.Model):
    nom = models.CharField("nom", max_length=150)
    description = models.TextField("description", blank=True)
    actif = models.BooleanField("actif", default=True)
    # Pour l'export vers la Coop, où chaque session devient un atelier collectif de cette thématique.
    thematique_coop = models.CharField(
        "thématique (Coop)",
        max_length=40,
        choices=ThematiqueAtelier.choices,
        default=ThematiqueAtelier.CULTURE_NUMERIQUE,
    )

    objects = ActifQuerySet.as_manager()

    class Meta:
        verbose_name = "thème"
        verbose_name_plural = "thèmes"
        ordering = ["nom"]
        constraints = [
            models.UniqueConstraint(
                Lower("nom"), name="theme_nom_unique", violation_error_message="Un thème porte déjà ce nom."
            ),
        ]

    def __str__(self):
        return self.nom


class SessionFormationQuerySet(QuerySetDate):
    chemin_intervenant = "formateur"

    def avec_compteurs(self):
        confirmees = Q(inscriptions__liste_attente=False)
        return self.annotate(
            nb_inscrits=Count("inscriptions", filter=confirmees),
            nb_attente=Count("inscriptions", filter=Q(inscriptions__liste_attente=True)),
            nb_presents=Count("inscriptions", filter=confirmees & Q(inscriptions__present=Presence.PRESENT)),
        )


class SessionFormation(ProtegeeParLaCloture, models.Model):
    theme = models.ForeignKey(Theme, verbose_name="thème", on_delete=models.PROTECT, related_name="sessions")
    date = models.DateField("date")
    heure_debut = models.TimeField("début", null=True, blank=True)
    heure_fin = models.TimeField("fin", null=True, blank=True)
    lieu = models.ForeignKey(Lieu, verbose_name="lieu", null=True, blank=True, on_delete=models.PROTECT)
    formateur = models.ForeignKey(
        Intervenant,
        verbose_name="formateur",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions_animees",
    )
    capacite = models.PositiveSmallIntegerField(
        "capacité", default=12, validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    statut = models.CharField(
        "statut", max_length=20, choices=StatutSession.choices, default=StatutSession.PROGRAMMEE
    )
    motif_annulation = models.CharField("motif d'annulation", max_length=200, blank=True)

    objects = SessionFormationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "session de formation"
        verbose_name_plural = "sessions de formation"
        ordering = ["date", "heure_debut"]
        indexes = [models.Index(fields=["date"], name="session_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacite__gte=1, capacite__lte=500),
                name="session_capacite_valide",
                violation_error_message="La capacité doit être comprise entre 1 et 500.",
            ),
            models.CheckConstraint(
                condition=Q(heure_debut__isnull=True)
                | Q(heure_fin__isnull=True)
                | Q(heure_fin__gt=models.F("heure_debut")),
                name="session_heures_ordonnees",
                violation_error_message="L'heure de fin doit suivre l'heure de début.",
            ),
        ]

    def __str__(self):
        return f"{self.theme} – {self.date:%d/%m/%Y}"

    @property
    def a_annuler(self):
        """Signalée « à annuler » : trop peu d'inscrits confirmés à J-n (réglages)."""
        from django.conf import settings

        regles = settings.INCLUSION
        if self.statut != StatutSession.PROGRAMMEE:
            return False
        limite = self.date - datetime.timedelta(days=regles["JOURS_AVANT_ANNULATION_SESSION"])
        inscrits = getattr(self, "nb_inscrits", None)
        if inscrits is None:
            inscrits = self.inscriptions.filter(liste_attente=False).count()
        return timezone.localdate() >= limite and inscrits < regles["SEUIL_ANNULATION_SESSION"]


class InscriptionQuerySet(QuerySetDate):
    chemin_date = "session__date"
    chemin_lieu = "session__lieu"
    chemin_intervenant = "session__formateur"

    def confirmees(self):
        return self.filter(liste_attente=False)


class Inscription(ProtegeeParLaCloture, models.Model):
    champ_date_cloture = "session__date"
    champs_hors_cloture = frozenset({"nom", "email"})  # effacés par la purge

    session = models.ForeignKey(SessionFormation, on_delete=models.CASCADE, related_name="inscriptions")
    nom = models.CharField("nom du ou de la professionnel·le", max_length=150, blank=True)
    email = models.EmailField("courriel", blank=True)
    structure = models.ForeignKey(
        Structure, verbose_name="structure", on_delete=models.PROTECT, related_name="+"
    )
    present = models.CharField("présence", max_length=10, choices=Presence.choices, default=Presence.INCONNUE)
    date_inscription = models.DateTimeField("inscrit le", default=timezone.now)
    liste_attente = models.BooleanField("sur liste d'attente", default=False)

    objects = InscriptionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "inscription"
        verbose_name_plural = "inscriptions"
        ordering = ["liste_attente", "date_inscription", "id"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "session",
                condition=~Q(email=""),
                name="inscription_email_unique",
                violation_error_message="Cette personne est déjà inscrite à cette session.",
            ),
            models.CheckConstraint(
                condition=~Q(liste_attente=True, present=Presence.PRESENT),
                name="inscription_attente_non_presente",
                violation_error_message="Une personne sur liste d'attente ne peut pas être marquée présente.",
            ),
        ]

    def __str__(self):
        # Jamais le nom ni le courriel : le journal de l'administration garde ce texte (confidentialite/purge_journal.py).
        return f"Inscription n° {self.pk or '(nouvelle)'} – {self.session}"


class AccompagnementFormation(ProtegeeParLaCloture, models.Model):
    """Accompagnement individuel d'un professionnel (formation sur mesure)."""

    date = models.DateField("date")
    duree_minutes = models.PositiveSmallIntegerField(
        "durée (minutes)",
        validators=[MinValueValidator(1), MaxValueValidator(DUREE_MAX_ACCOMPAGNEMENT_MINUTES)],
    )
    structure = models.ForeignKey(
        Structure, verbose_name="structure", on_delete=models.PROTECT, related_name="+"
    )
    theme = models.ForeignKey(Theme, verbose_name="thème", null=True, blank=True, on_delete=models.PROTECT)
    nom_professionnel = models.CharField("nom du ou de la professionnel·le", max_length=150, blank=True)

    objects = QuerySetDate.as_manager()
    champs_hors_cloture = frozenset({"nom_professionnel"})  # effacé par la purge

    class Meta:
        verbose_name = "accompagnement individuel"
        verbose_name_plural = "accompagnements individuels"
        ordering = ["-date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duree_minutes__gte=1, duree_minutes__lte=DUREE_MAX_ACCOMPAGNEMENT_MINUTES),
                name="accompagnement_duree_valide",
                violation_error_message="La durée doit être comprise entre 1 et 600 minutes.",
            ),
        ]

    def __str__(self):
        return f"Accompagnement du {self.date:%d/%m/%Y} ({self.structure})"
