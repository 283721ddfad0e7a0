import datetime

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .echanges import sans_accents
from .enums import FONCTIONS_AU_FEMININ, Accord, Fonction, Quotite, Role, StructureDeRedirection, Thematique
from .roles import roles_de


class ActifQuerySet(models.QuerySet):
    def actifs(self):
        return self.filter(actif=True)


class LieuQuerySet(ActifQuerySet):
    def accessibles_a(self, user):
        """La règle d'accès, seule définition (le pointage de l'accueil la reprend en SQL, un test vérifie
        qu'ils s'accordent) : les lieux actifs auxquels l'intervenant actif de ce compte est affecté ; tous les
        lieux actifs pour la coordination ; aucun pour un visiteur anonyme ou un intervenant inactif."""
        if Role.COORDINATION in roles_de(user):
            return self.actifs()
        if not user.is_authenticated:
            return self.none()
        return self.actifs().filter(intervenants__user=user, intervenants__actif=True)


class Lieu(models.Model):
    """Un Espace Social Commun (antenne) où se tiennent permanences et rendez-vous."""

    nom = models.CharField("nom", max_length=120)
    adresse = models.CharField("adresse", max_length=255, blank=True)
    code_postal = models.CharField(
        "code postal", max_length=5, blank=True, validators=[RegexValidator(r"^\d{5}$", "5 chiffres.")]
    )
    commune = models.CharField("commune", max_length=120, blank=True)
    code_insee = models.CharField(
        "code INSEE de la commune",
        max_length=5,
        blank=True,
        validators=[
            RegexValidator(r"^(\d{5}|2[AB]\d{3})$", "5 caractères : chiffres, ou 2A/2B et 3 chiffres.")
        ],
    )
    # Pour publier le lieu dans le schéma national des lieux de médiation numérique (echanges.schemas_nationaux).
    siret = models.CharField(
        "SIRET (ou RNA)",
        max_length=14,
        blank=True,
        validators=[RegexValidator(r"^(\d{14}|W\d{9})$", "14 chiffres (SIRET) ou W et 9 chiffres (RNA).")],
        help_text="Celui du lieu, ou à défaut celui de la structure qui le porte (CCAS).",
    )
    latitude = models.DecimalField("latitude", max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField("longitude", max_digits=8, decimal_places=5, null=True, blank=True)
    fiche_acces_libre = models.URLField(
        "fiche Acceslibre",
        blank=True,
        help_text="Accessibilité du lieu : sa fiche sur acceslibre.beta.gouv.fr (moins de 5 minutes à remplir).",
    )
    actif = models.BooleanField("actif", default=True)
    modifie_le = models.DateTimeField("modifié le", auto_now=True)

    objects = LieuQuerySet.as_manager()

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
    # Pour l'export vers la Coop : la catégorie de la Coop quand une personne y est réorientée.
    categorie_redirection = models.CharField(
        "catégorie de réorientation (Coop)",
        max_length=40,
        choices=StructureDeRedirection.choices,
        default=StructureDeRedirection.AUTRE,
    )
    siret = models.CharField(
        "SIRET",
        max_length=14,
        blank=True,
        validators=[RegexValidator(r"^\d{14}$", "14 chiffres.")],
        help_text="Sert à reconnaître la structure dans l'annuaire national (data·inclusion).",
    )
    identifiant_national = models.CharField(
        "identifiant dans l'annuaire national",
        max_length=200,
        blank=True,
        db_index=True,
        help_text="« source:identifiant » data·inclusion, noté à l'import : la structure y est reconnue ensuite.",
    )

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

    def de_l_equipe(self, *, debut, fin):
        """Les membres de l'équipe (hors accueil) qui ont travaillé sur [debut, fin[.

        Une personne en fait partie si elle a tenu une permanence, reçu un rendez-vous ou animé une session
        dans la période, ou si ses dates d'arrivée et de départ couvrent une partie de la période (sans date :
        toujours, tant qu'elle est active ; une personne inactive sans date de départ ne compte que par son
        activité).
        """
        # Trois semi-jointures séparées : un OU sur trois relations multiples ferait leur produit cartésien
        # (des minutes à un million de passages, mesuré par make bench).
        tous = Intervenant.objects.values("pk")
        activite = (
            Q(
                pk__in=tous.filter(
                    permanences__date__gte=debut, permanences__date__lt=fin, permanences__annulee=False
                )
            )
            | Q(pk__in=tous.filter(rendez_vous__date__gte=debut, rendez_vous__date__lt=fin))
            | Q(pk__in=tous.filter(sessions_animees__date__gte=debut, sessions_animees__date__lt=fin))
        )
        dates = (
            (Q(arrivee_le__isnull=True) | Q(arrivee_le__lt=fin))
            & (Q(depart_le__isnull=True) | Q(depart_le__gte=debut))
            & (Q(actif=True) | Q(depart_le__isnull=False))
        )
        return self.filter(activite | dates).exclude(fonction=Fonction.AGENT_ACCUEIL)


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
    accord = models.CharField(
        "intitulé de fonction", max_length=10, choices=Accord.choices, default=Accord.MASCULIN
    )
    arrivee_le = models.DateField(
        "dans l'équipe depuis le", null=True, blank=True, help_text="Vide : depuis le début du dispositif."
    )
    depart_le = models.DateField("a quitté l'équipe le", null=True, blank=True)

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
            models.CheckConstraint(
                condition=Q(arrivee_le__isnull=True)
                | Q(depart_le__isnull=True)
                | Q(depart_le__gte=F("arrivee_le")),
                name="intervenant_depart_apres_arrivee",
                violation_error_message="La date de départ précède la date d'arrivée.",
            ),
        ]

    def __str__(self):
        return self.nom

    @property
    def intitule(self):
        """L'intitulé de fonction, au féminin ou au masculin selon le choix de la personne."""
        if self.accord == Accord.FEMININ:
            return FONCTIONS_AU_FEMININ[self.fonction]
        return self.get_fonction_display()

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
    # Vide : « Aide aux démarches administratives » sans thématique administrative plus précise (« autre »).
    thematique = models.CharField("thématique (Coop)", max_length=40, choices=Thematique.choices, blank=True)
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


class Quartier(models.Model):
    """Quartier de résidence déclaré ; les quartiers prioritaires de la politique de la ville (QPV) sont signalés."""

    nom = models.CharField("nom", max_length=120)
    qpv = models.BooleanField("quartier prioritaire (QPV)", default=False)
    hors_commune = models.BooleanField("hors commune", default=False)
    actif = models.BooleanField("actif", default=True)

    objects = ActifQuerySet.as_manager()

    class Meta:
        verbose_name = "quartier"
        verbose_name_plural = "quartiers"
        ordering = ["hors_commune", "nom"]
        constraints = [
            models.UniqueConstraint(
                Lower("nom"),
                name="quartier_nom_unique",
                violation_error_message="Un quartier porte déjà ce nom.",
            ),
        ]

    def __str__(self):
        return f"{self.nom} (QPV)" if self.qpv else self.nom


DELAI_VERIFICATION_CONTACT = datetime.timedelta(days=365)


class ContactAnnuaireQuerySet(models.QuerySet):
    def rechercher(self, texte="", demarche=None):
        """Chaque mot doit figurer (sans tenir compte des accents ni de la casse) ; filtre éventuel par démarche."""
        qs = self
        for mot in sans_accents(texte).split():
            qs = qs.filter(recherche__contains=mot)
        if demarche is not None:
            qs = qs.filter(demarches=demarche)
        return qs


class ContactAnnuaire(models.Model):
    """Contact professionnel d'une structure partenaire, pour orienter les usagers vers le bon interlocuteur."""

    structure = models.ForeignKey(
        Structure, verbose_name="structure", on_delete=models.CASCADE, related_name="contacts"
    )
    service = models.CharField("service", max_length=150, blank=True)
    nom = models.CharField("nom", max_length=150, blank=True)
    fonction = models.CharField("fonction", max_length=150, blank=True)
    telephone = models.CharField("téléphone", max_length=30, blank=True)
    email = models.EmailField("courriel", blank=True)
    horaires = models.CharField("horaires", max_length=200, blank=True)
    notes = models.TextField("notes", blank=True)
    demarches = models.ManyToManyField(
        Demarche, verbose_name="démarches traitées", blank=True, related_name="contacts"
    )
    lieux = models.ManyToManyField(Lieu, verbose_name="lieux servis", blank=True, related_name="contacts")
    quartiers = models.ManyToManyField(
        Quartier, verbose_name="quartiers servis", blank=True, related_name="contacts"
    )
    verifie_le = models.DateField("vérifié le", default=timezone.localdate)
    recherche = models.TextField(editable=False, blank=True)
    # Import de l'annuaire national : le service d'où vient ce contact, et la dernière valeur importée de chaque
    # champ (un champ qui en diffère a été modifié à la main : un nouvel import ne l'écrase pas sans confirmation).
    identifiant_national = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    valeurs_importees = models.JSONField(default=dict, blank=True, editable=False)

    objects = ContactAnnuaireQuerySet.as_manager()

    class Meta:
        verbose_name = "contact de l'annuaire"
        verbose_name_plural = "annuaire des partenaires"
        ordering = ["structure__nom", "service", "nom"]

    def __str__(self):
        # Jamais le nom de la personne : le journal de l'administration garde ce texte.
        return f"{self.structure} – {self.service or f'contact n° {self.pk}'}"

    def save(self, *args, **kwargs):
        # Texte de recherche sans accents (insensible aux accents sur SQLite comme sur PostgreSQL).
        self.recherche = sans_accents(
            " ".join([self.structure.nom, self.service, self.nom, self.fonction, self.horaires, self.notes])
        )
        super().save(*args, **kwargs)

    @property
    def a_verifier(self):
        return self.verifie_le < timezone.localdate() - DELAI_VERIFICATION_CONTACT


class ClotureAnnee(models.Model):
    """Une année close par la publication de son Bilan (inclusion.cloture) ; rouverte avec un motif.

    L'historique garde chaque clôture et chaque réouverture : qui, quand, pourquoi.
    """

    annee = models.PositiveSmallIntegerField("année", unique=True)
    close = models.BooleanField("close", default=True)
    motif = models.TextField("motif de la dernière réouverture", blank=True)
    modifiee_le = models.DateTimeField("modifiée le", auto_now=True)
    modifiee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "clôture d'une année"
        verbose_name_plural = "clôtures des années"
        ordering = ["-annee"]

    def __str__(self):
        return f"{self.annee} : {'close' if self.close else 'rouverte'}"


# Identité du dispositif et logos : à part pour la lisibilité, mêmes modèles de l'application « inclusion ».
from .identite import COTE_MAX_LOGO, TAILLE_MAX_LOGO, AvecLogo, IdentiteDispositif, LogoPartenaire, lire_logo  # noqa: E402

__all__ = [
    "COTE_MAX_LOGO",
    "TAILLE_MAX_LOGO",
    "AvecLogo",
    "IdentiteDispositif",
    "LogoPartenaire",
    "lire_logo",
]
