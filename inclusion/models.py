from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from .enums import Fonction, Quotite, Thematique


class ActifQuerySet(models.QuerySet):
    def actifs(self):
        return self.filter(actif=True)


class Lieu(models.Model):
    """Un Espace Social Commun (antenne) où se tiennent permanences et rendez-vous."""

    nom = models.CharField("nom", max_length=120)
    adresse = models.CharField("adresse", max_length=255, blank=True)
    actif = models.BooleanField("actif", default=True)

    objects = ActifQuerySet.as_manager()

    class Meta:
        verbose_name = "lieu"
        verbose_name_plural = "lieux"
        ordering = ["nom"]
        constraints = [
            models.UniqueConstraint(
                Lower("nom"), name="lieu_nom_unique", violation_error_message="Un lieu porte déjà ce nom."
            ),
        ]

    def __str__(self):
        return self.nom


class Structure(models.Model):
    """Organisation partenaire : CCAS, ARCS, CDAS, ERE, CAF…"""

    nom = models.CharField("nom", max_length=120)
    actif = models.BooleanField("active", default=True)

    objects = ActifQuerySet.as_manager()

    class Meta:
        verbose_name = "structure"
        verbose_name_plural = "structures"
        ordering = ["nom"]
        constraints = [
            models.UniqueConstraint(
                Lower("nom"),
                name="structure_nom_unique",
                violation_error_message="Une structure porte déjà ce nom.",
            ),
        ]

    def __str__(self):
        return self.nom


class IntervenantQuerySet(ActifQuerySet):
    def mediateurs(self):
        return self.filter(fonction=Fonction.MEDIATEUR)


class Intervenant(models.Model):
    """Membre de l'équipe (médiateur, informaticien public, coordinateur, agent d'accueil)."""

    nom = models.CharField("nom", max_length=120)
    structure = models.ForeignKey(Structure, verbose_name="structure", on_delete=models.PROTECT)
    fonction = models.CharField(
        "fonction", max_length=40, choices=Fonction.choices, default=Fonction.MEDIATEUR
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="compte utilisateur",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="intervenant",
    )
    lieux = models.ManyToManyField(
        Lieu, verbose_name="lieux d'intervention", blank=True, related_name="intervenants"
    )
    actif = models.BooleanField("actif", default=True)

    objects = IntervenantQuerySet.as_manager()

    class Meta:
        verbose_name = "intervenant"
        verbose_name_plural = "intervenants"
        ordering = ["nom"]
        constraints = [
            models.UniqueConstraint(
                Lower("nom"),
                name="intervenant_nom_unique",
                violation_error_message="Un intervenant porte déjà ce nom.",
            ),
        ]

    def __str__(self):
        return self.nom

    def quotite_au(self, jour):
        """Quotité de travail en vigueur à la date donnée (temps plein si aucun historique)."""
        periode = self.temps_de_travail.filter(depuis__lte=jour).order_by("-depuis").first()
        return periode.quotite if periode else Quotite.TEMPS_PLEIN


class TempsDeTravail(models.Model):
    """Historique de quotité : « temps partiel à partir d'octobre 2023 »."""

    intervenant = models.ForeignKey(Intervenant, on_delete=models.CASCADE, related_name="temps_de_travail")
    depuis = models.DateField("à partir du")
    quotite = models.CharField("quotité", max_length=20, choices=Quotite.choices)
    pourcentage = models.PositiveSmallIntegerField("pourcentage", default=100)

    class Meta:
        verbose_name = "temps de travail"
        verbose_name_plural = "temps de travail"
        ordering = ["intervenant", "depuis"]
        constraints = [
            models.UniqueConstraint(
                fields=["intervenant", "depuis"],
                name="temps_de_travail_unique",
                violation_error_message="Une quotité est déjà définie à cette date pour cet intervenant.",
            ),
            models.CheckConstraint(
                condition=models.Q(pourcentage__gte=1, pourcentage__lte=100),
                name="temps_de_travail_pourcentage",
                violation_error_message="Le pourcentage doit être compris entre 1 et 100.",
            ),
        ]

    def __str__(self):
        return f"{self.intervenant} : {self.get_quotite_display()} depuis le {self.depuis:%d/%m/%Y}"


class Demarche(models.Model):
    """Démarche administrative accompagnée, rattachée à une thématique de la Coop."""

    code = models.SlugField("code", max_length=50, unique=True)
    libelle = models.CharField("libellé", max_length=150)
    thematique = models.CharField("thématique (Coop)", max_length=40, choices=Thematique.choices)
    ordre = models.PositiveSmallIntegerField("ordre", default=100)
    actif = models.BooleanField("active", default=True)

    objects = ActifQuerySet.as_manager()

    class Meta:
        verbose_name = "démarche"
        verbose_name_plural = "démarches"
        ordering = ["ordre", "libelle"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[a-z0-9_]+$"),
                name="demarche_code_minuscule",
                violation_error_message="Le code ne contient que des minuscules, chiffres et « _ ».",
            ),
        ]

    def __str__(self):
        return self.libelle
