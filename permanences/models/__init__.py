import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from simple_history.models import HistoricalRecords

from inclusion.cloture import ProtegeeParLaCloture, QuerySetCloture
from inclusion.formats import heure_fr
from inclusion.models import Intervenant, Lieu
from inclusion.modifications import AvecModification, AvecModificationQuerySet
from inclusion.selecteurs import QuerySetDate

from ..enums import (
    Autonomie,
    Frein,
    Genre,
    JourSemaine,
    MotifRefus,
    TrancheAge,
    TypeDemande,
)
from .champs import DUREE_MAX_MINUTES, ChampsAccompagnement, champ_orientation, champ_quartier

# --- Planning hebdomadaire -------------------------------------------------------------------------


class CreneauQuerySet(QuerySetCloture):
    def en_vigueur(self, jour):
        """Créneaux valides à la date donnée."""
        return self.filter(valide_du__lte=jour).filter(Q(valide_au__isnull=True) | Q(valide_au__gte=jour))

    def du_jour(self, jour):
        return self.en_vigueur(jour).filter(jour_semaine=jour.weekday())


class Creneau(ProtegeeParLaCloture, models.Model):
    """Créneau hebdomadaire de permanence, valable sur une période.

    Le Bilan d'une année compte les créneaux en vigueur au 31 décembre (« permanences par semaine », par lieu) : la
    part de la période dans une année close, et le lieu, ne changent plus (inclusion.cloture) ; on peut encore clore
    un créneau ouvert, tant que la fin tombe après la dernière année close. Le jour, les heures et les médiateurs
    habituels, qu'aucun chiffre ne lit, restent modifiables (les permanences créées en gardent leur copie).
    """

    champ_date_cloture = "valide_du"
    champ_fin_cloture = "valide_au"
    champs_hors_cloture = frozenset({"jour_semaine", "heure_debut", "heure_fin", "intervenants"})

    lieu = models.ForeignKey(Lieu, verbose_name="lieu", on_delete=models.PROTECT, related_name="creneaux")
    jour_semaine = models.PositiveSmallIntegerField("jour", choices=JourSemaine.choices)
    heure_debut = models.TimeField("début")
    heure_fin = models.TimeField("fin")
    valide_du = models.DateField("valable du")
    valide_au = models.DateField("valable jusqu'au", null=True, blank=True)
    intervenants = models.ManyToManyField(Intervenant, verbose_name="médiateurs habituels", blank=True)

    objects = CreneauQuerySet.as_manager()

    class Meta:
        verbose_name = "créneau hebdomadaire"
        verbose_name_plural = "créneaux hebdomadaires"
        ordering = ["jour_semaine", "heure_debut", "lieu__nom"]
        constraints = [
            models.CheckConstraint(
                condition=Q(heure_fin__gt=models.F("heure_debut")),
                name="creneau_heures_ordonnees",
                violation_error_message="L'heure de fin doit suivre l'heure de début.",
            ),
            models.CheckConstraint(
                condition=Q(valide_au__isnull=True) | Q(valide_au__gte=models.F("valide_du")),
                name="creneau_periode_ordonnee",
                violation_error_message="La fin de validité doit suivre le début de validité.",
            ),
            models.CheckConstraint(
                condition=Q(jour_semaine__gte=0, jour_semaine__lte=6),
                name="creneau_jour_valide",
                violation_error_message="Jour de la semaine invalide.",
            ),
        ]

    def __str__(self):
        return f"{self.lieu} – {self.get_jour_semaine_display()} {heure_fr(self.heure_debut)}–{heure_fr(self.heure_fin)}"


def nombre_permanences_par_semaine(jour):
    """Nombre de créneaux hebdomadaires de permanence en vigueur à une date."""
    return Creneau.objects.en_vigueur(jour).count()


# --- Permanences (occurrences) ---------------------------------------------------------------------


class PermanenceQuerySet(QuerySetDate):
    chemin_intervenant = "intervenants"
    intervenants_multiples = True

    def visibles_par(self, user):
        """Permanences des lieux accessibles à l'utilisateur (Lieu.objects.accessibles_a, la règle d'accès)."""
        return self.filter(lieu__in=Lieu.objects.accessibles_a(user))

    def tenues(self):
        return self.filter(annulee=False)

    def du_jour(self, jour):
        return self.filter(date=jour)

    def avec_compteurs(self):
        """Compteurs de pointages (hors pointages annulés) et de passages : une sous-requête par compteur,
        sans jointure croisée des arrivées, refus et passages."""

        def compter(modele, **filtres):
            return Coalesce(
                Subquery(
                    modele.objects.filter(permanence=OuterRef("pk"), **filtres)
                    .order_by()
                    .values("permanence")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            )

        return self.annotate(
            nb_arrivees=compter(Arrivee, annulee_le__isnull=True),
            nb_en_attente=compter(Arrivee, annulee_le__isnull=True, prise_en_charge_le__isnull=True),
            nb_refus=compter(Refus, annulee_le__isnull=True),
            nb_passages=compter(Passage),
        )


class Permanence(ProtegeeParLaCloture, models.Model):
    """Une permanence numérique tenue (ou annulée) un jour donné dans un lieu."""

    date = models.DateField("date")
    lieu = models.ForeignKey(Lieu, verbose_name="lieu", on_delete=models.PROTECT, related_name="permanences")
    heure_debut = models.TimeField("début")
    heure_fin = models.TimeField("fin")
    creneau = models.ForeignKey(
        Creneau,
        verbose_name="créneau",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="permanences",
    )
    intervenants = models.ManyToManyField(
        Intervenant, verbose_name="médiateurs présents", blank=True, related_name="permanences"
    )
    annulee = models.BooleanField("annulée", default=False)
    motif_annulation = models.CharField("motif d'annulation", max_length=200, blank=True)

    objects = PermanenceQuerySet.as_manager()

    class Meta:
        verbose_name = "permanence"
        verbose_name_plural = "permanences"
        ordering = ["-date", "heure_debut", "lieu__nom"]
        indexes = [models.Index(fields=["date", "lieu"], name="permanence_date_lieu")]
        constraints = [
            models.UniqueConstraint(
                fields=["lieu", "date", "heure_debut"],
                name="permanence_unique",
                violation_error_message="Une permanence existe déjà dans ce lieu à cette date et cette heure.",
            ),
            models.CheckConstraint(
                condition=Q(heure_fin__gt=models.F("heure_debut")),
                name="permanence_heures_ordonnees",
                violation_error_message="L'heure de fin doit suivre l'heure de début.",
            ),
        ]

    def __str__(self):
        return f"{self.lieu} – {self.date:%d/%m/%Y} {heure_fr(self.heure_debut)}–{heure_fr(self.heure_fin)}"

    champs_hors_cloture = frozenset({"creneau"})  # un créneau supprimé laisse ses permanences, sans lien

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # Une permanence déplacée à un autre jour emmène ses passages (copie de date, voir Passage.date).
        self.passages.exclude(date=self.date).update(date=self.date)
        self.refus.exclude(date=self.date).update(date=self.date)


# --- Pointages de l'accueil ------------------------------------------------------------------------


class PointageQuerySet(AvecModificationQuerySet, QuerySetDate):
    chemin_lieu = "permanence__lieu"
    chemin_intervenant = "permanence__intervenants"
    intervenants_multiples = True

    def actifs(self):
        return self.filter(annulee_le__isnull=True)


class Pointage(AvecModification):
    """Un « tap » de l'accueil : identifié par un UUID généré par le navigateur (rejeu sans doublon)."""

    uuid = models.UUIDField("identifiant", unique=True, default=uuid.uuid4, editable=False)
    permanence = models.ForeignKey(Permanence, verbose_name="permanence", on_delete=models.PROTECT)
    horodatage = models.DateTimeField("heure du pointage")
    enregistre_le = models.DateTimeField("enregistré le", auto_now_add=True)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    annulee_le = models.DateTimeField("annulé le", null=True, blank=True)
    annulee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = PointageQuerySet.as_manager()

    class Meta(AvecModification.Meta):
        abstract = True
        ordering = ["horodatage"]

    @property
    def est_annule(self):
        return self.annulee_le is not None


class Arrivee(ProtegeeParLaCloture, Pointage):
    """Une personne arrivée à l'accueil pour une permanence ; elle attend un médiateur."""

    champ_date_cloture = "permanence__date"
    # Aucun chiffre du Bilan ne lit les arrivées ; la purge arrondit leurs heures, un compte supprimé s'efface.
    champs_hors_cloture = frozenset(
        {"horodatage", "enregistre_le", "prise_en_charge_le", "agent", "annulee_par", "modifie_le"}
    )
    jamais_supprime = True
    message_jamais_supprime = (
        "Une arrivée n'est jamais supprimée : annulez-la (l'accueil dans le délai, sinon la coordination), "
        "elle reste gardée avec qui l'a annulée et quand."
    )

    tranche_age = models.CharField("tranche d'âge", max_length=20, choices=TrancheAge.choices, blank=True)
    genre = models.CharField("genre", max_length=20, choices=Genre.choices, blank=True)
    prise_en_charge_le = models.DateTimeField("prise en charge le", null=True, blank=True)
    prise_en_charge_par = models.ForeignKey(
        Intervenant, null=True, blank=True, on_delete=models.SET_NULL, related_name="arrivees_prises"
    )
    # Pas de journal séparé pour les arrivées (chemin le plus chaud) : la ligne garde qui l'a pointée et quand
    # (agent, enregistre_le) et qui l'a annulée et quand (annulee_par, annulee_le) ; elle n'est jamais supprimée.

    class Meta(Pointage.Meta):
        verbose_name = "arrivée"
        verbose_name_plural = "arrivées"
        default_related_name = "arrivees"
        indexes = [models.Index(fields=["permanence", "annulee_le"], name="arrivee_permanence")]

    def __str__(self):
        return f"Arrivée à {heure_fr(timezone.localtime(self.horodatage))} ({self.permanence_id})"


class Refus(ProtegeeParLaCloture, Pointage):
    """Une personne venue à une permanence qui n'a pas pu être reçue."""

    motif = models.CharField("motif", max_length=20, choices=MotifRefus.choices, blank=True)
    # Copie de la date de la permanence (comme Passage.date) : les rapports d'une année passent par l'index.
    date = models.DateField("date", editable=False)
    oriente_vers = champ_orientation()
    history = HistoricalRecords()

    champs_hors_cloture = frozenset({"agent", "annulee_par", "modifie_le"})

    class Meta(Pointage.Meta):
        verbose_name = "refus"
        verbose_name_plural = "refus"
        default_related_name = "refus"
        indexes = [
            models.Index(fields=["permanence", "annulee_le"], name="refus_permanence"),
            models.Index(fields=["date", "modifie_le"], name="refus_date"),
        ]

    def __str__(self):
        return f"Refus à {heure_fr(timezone.localtime(self.horodatage))} ({self.permanence_id})"

    def save(self, *args, **kwargs):
        self.date = (
            self.permanence.date
        )  # toujours, comme Passage : un refus déplacé prend la date de sa permanence
        super().save(*args, **kwargs)


# --- Passages ---------------------------------------------------------------------------------------


class PassageQuerySet(AvecModificationQuerySet, QuerySetDate):
    chemin_lieu = "permanence__lieu"
    chemin_intervenant = "intervenant"

    def par_lieu(self):
        return (
            self.values("permanence__lieu__nom")
            .annotate(nombre=Count("id"))
            .order_by("permanence__lieu__nom")
        )


class Passage(ProtegeeParLaCloture, AvecModification, ChampsAccompagnement):
    """Une personne reçue et accompagnée lors d'une permanence. Pseudonyme : aucun nom, jamais."""

    permanence = models.ForeignKey(Permanence, on_delete=models.PROTECT, related_name="passages")
    # Copie de la date de la permanence (tenue à jour par save() ici et dans Permanence) : les rapports
    # d'une année lisent alors les passages de cette année par un index, sans parcourir toutes les années.
    date = models.DateField("date", editable=False)
    arrivee = models.OneToOneField(
        Arrivee, null=True, blank=True, on_delete=models.SET_NULL, related_name="passage"
    )
    intervenant = models.ForeignKey(
        Intervenant,
        verbose_name="médiateur",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="passages",
    )
    duree_minutes = models.PositiveSmallIntegerField(
        "durée (minutes)", validators=[MinValueValidator(1), MaxValueValidator(DUREE_MAX_MINUTES)]
    )
    autonomie = models.CharField("autonomie", max_length=30, choices=Autonomie.choices)
    autre_venue_necessaire = models.BooleanField("une autre venue est nécessaire", default=False)
    attente_minutes = models.PositiveIntegerField("attente (minutes)", null=True, blank=True)
    oriente_vers = champ_orientation()
    # Codes de Frein séparés et encadrés par « | » (« |langue|equipement| ») : une colonne, comptée en SQL.
    freins = models.CharField("freins à l'autonomie", max_length=200, blank=True)
    quartier = champ_quartier()
    note = models.CharField("note", max_length=280, blank=True)
    cree_le = models.DateTimeField("créé le", auto_now_add=True)
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = PassageQuerySet.as_manager()
    history = HistoricalRecords()

    # Ce que la purge efface (note, lien vers l'arrivée) et le compte qui a saisi : aucun chiffre ne les lit.
    champs_hors_cloture = frozenset({"note", "arrivee", "cree_par", "modifie_le"})

    class Meta:
        verbose_name = "passage"
        verbose_name_plural = "passages"
        ordering = ["-cree_le"]
        indexes = [models.Index(fields=["date", "modifie_le"], name="passage_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(duree_minutes__gte=1, duree_minutes__lte=DUREE_MAX_MINUTES),
                name="passage_duree_valide",
                violation_error_message="La durée doit être comprise entre 1 et 480 minutes.",
            ),
            models.CheckConstraint(
                condition=~Q(type_demande=TypeDemande.DEMARCHE_EN_LIGNE) | Q(demarche__isnull=False),
                name="passage_demarche_requise",
                violation_error_message="Précisez la démarche pour une aide aux démarches en ligne.",
            ),
        ]

    def __str__(self):
        return f"Passage du {self.date:%d/%m/%Y} ({self.get_type_demande_display()})"

    def save(self, *args, **kwargs):
        self.date = self.permanence.date
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "date"}
        super().save(*args, **kwargs)

    @property
    def liste_freins(self):
        return [code for code in self.freins.split("|") if code]

    @staticmethod
    def encoder_freins(codes):
        if not codes:
            return ""
        codes = [c for c in Frein.values if c in set(codes)]
        return f"|{'|'.join(codes)}|" if codes else ""


from .preferences import LieuHabituel  # noqa: E402
from .rendez_vous import RendezVous, RendezVousQuerySet  # noqa: E402

__all__ = ["LieuHabituel", "RendezVous", "RendezVousQuerySet"]
