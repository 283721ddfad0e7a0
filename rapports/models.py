import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from inclusion.annees_closes import AVANT_TOUTE_ANNEE, verifier_annee_ouverte
from inclusion.cloture import ProtegeeParLaCloture, QuerySetCloture
from inclusion.models import ClotureAnnee
from permanences.models import Arrivee, Passage, Refus

from .enums import FamilleSuivie, FormatRendu, SectionBilan


class ChiffreExterne(ProtegeeParLaCloture, models.Model):
    """Chiffre déclaré pour ce que le logiciel n'enregistre pas (ERE, années antérieures, autre dispositif) ;
    figé avec son année close (inclusion.cloture)."""

    champ_date_cloture = "annee"
    champs_hors_cloture = frozenset({"commentaire"})

    annee = models.PositiveSmallIntegerField("année")
    indicateur = models.CharField(
        "indicateur",
        max_length=100,
        help_text="Clé du Bilan JSON, par exemple « permanences.usagers_recus » ou « dispositif.personnes_recues_externes ».",
    )
    valeur = models.DecimalField("valeur", max_digits=12, decimal_places=2)
    source = models.CharField("source", max_length=200, blank=True)
    commentaire = models.TextField("commentaire", blank=True)
    history = HistoricalRecords()

    objects = QuerySetCloture.as_manager()

    class Meta:
        verbose_name = "chiffre externe"
        verbose_name_plural = "chiffres externes"
        ordering = ["-annee", "indicateur"]
        constraints = [
            models.UniqueConstraint(
                fields=["annee", "indicateur"],
                name="chiffre_externe_unique",
                violation_error_message="Un chiffre est déjà déclaré pour cet indicateur et cette année.",
            ),
            models.CheckConstraint(
                condition=models.Q(annee__gte=2000, annee__lte=2100),
                name="chiffre_externe_annee_valide",
                violation_error_message="Année invalide.",
            ),
        ]

    def __str__(self):
        return f"{self.indicateur} {self.annee} = {self.valeur}"


class PointAnalyse(ProtegeeParLaCloture, models.Model):
    """Un point de l'analyse de l'équipe pour une section du Bilan d'une année : un titre et un court texte ; figé
    quand le Bilan de l'année est publié (inclusion.cloture).

    Le texte peut citer un chiffre par sa clé, `{permanences.usagers_recus}` (rapports.analyse) : rendu à partir
    des données, il ne périme jamais. Chaque modification est gardée dans l'historique (qui, quand, quoi).
    """

    annee = models.PositiveSmallIntegerField("année")
    section = models.CharField("section", max_length=30, choices=SectionBilan.choices)
    ordre = models.PositiveSmallIntegerField("ordre", default=1)
    titre = models.CharField("titre", max_length=200, blank=True)
    texte = models.TextField("texte", max_length=2000, blank=True)
    modifie_le = models.DateTimeField("modifié le", auto_now=True)
    modifie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    objects = QuerySetCloture.as_manager()
    champ_date_cloture = "annee"
    champs_hors_cloture = frozenset({"modifie_par", "modifie_le"})

    class Meta:
        verbose_name = "point d'analyse"
        verbose_name_plural = "analyse de l'équipe"
        ordering = ["annee", "section", "ordre", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["annee", "section", "ordre"],
                name="point_analyse_unique",
                violation_error_message="Un point porte déjà ce numéro dans cette section.",
            ),
            models.CheckConstraint(
                condition=models.Q(annee__gte=2000, annee__lte=2100),
                name="point_analyse_annee_valide",
                violation_error_message="Année invalide.",
            ),
            models.CheckConstraint(
                condition=~models.Q(titre="", texte=""),
                name="point_analyse_non_vide",
                violation_error_message="Un point a un titre ou un texte.",
            ),
        ]

    def __str__(self):
        return f"{self.get_section_display()} {self.annee} : {self.titre or self.texte[:40]}"


def annees_de(texte):
    """« 2024, 2025 » → {2024, 2025} ; ValueError si un morceau n'est pas une année de 2000 à 2100."""
    annees = set()
    for morceau in (texte or "").replace(";", ",").split(","):
        morceau = morceau.strip()
        if not morceau:
            continue
        if not (morceau.isdigit() and 2000 <= int(morceau) <= 2100):
            raise ValueError(morceau)
        annees.add(int(morceau))
    return annees


def valider_annees(texte):
    try:
        annees_de(texte)
    except ValueError as erreur:
        raise ValidationError(
            f"« {erreur} » n'est pas une année (de 2000 à 2100) ; séparez les années par des virgules."
        ) from None


def premiers_enregistrements(passage=Passage, refus=Refus, arrivee=Arrivee):
    """{famille: requête de la date du premier enregistrement} (une ligne au plus, par l'index des dates). Sur
    PostgreSQL, la fonction rapports_suivi_date_par_defaut (migration inclusion 0011) fait le même calcul (un test
    vérifie qu'ils s'accordent). Les modèles se passent en argument pour une migration (modèles historiques)."""
    passages = passage.objects.order_by("date").values("date")
    refus_actifs = (
        refus.objects.filter(annulee_le__isnull=True).order_by("date").values("date")
    )  # non annulés
    return {
        FamilleSuivie.REFUS: refus_actifs,
        FamilleSuivie.ATTENTE: passages.filter(attente_minutes__isnull=False),
        FamilleSuivie.FREINS: passages.exclude(freins=""),
        FamilleSuivie.QUARTIERS: passages.filter(quartier__isnull=False),
        FamilleSuivie.ORIENTATIONS: passages.filter(oriente_vers__isnull=False),
        # Les arrivées n'ont pas de date propre : l'ordre de saisie suit celui des jours (pas d'import d'arrivées).
        FamilleSuivie.PROFIL_ACCUEIL: arrivee.objects.filter(~Q(tranche_age="") | ~Q(genre=""))
        .order_by("pk")
        .values("permanence__date"),
    }


def date_par_defaut(requete):
    """Le 1er janvier de l'année du premier enregistrement que lit `requete` (une valeur de
    premiers_enregistrements) ; None : jamais notée."""
    premier = requete.first()
    date = premier and (premier.get("date") or premier.get("permanence__date"))
    return datetime.date(date.year, 1, 1) if date else None


def dates_de_suivi_a_figer(*, annee=None, suivi=None, cloture=None, **modeles):
    """{famille: date} pour chaque famille sans date de suivi fixée : celle qu'elle a par défaut aujourd'hui (1er
    janvier de l'année de son premier enregistrement) si elle tombe au plus tard le 1er janvier qui suit la
    dernière année close (ou `annee`, celle qu'on va clore), sinon ce 1er janvier-là (jamais notée, ou notée
    seulement après). Rangées avant la clôture (rapports.services.publier_bilan), elles ne
    bougent plus quand un enregistrement arrive plus tard dans une année ouverte antérieure : ce que le Bilan
    publié dit de l'année close (inconnu ou connu) tient. `suivi`, `cloture` et `modeles` : les modèles
    historiques d'une migration."""
    suivi, cloture = suivi or SuiviDonnees, cloture or ClotureAnnee
    fixees = set(suivi.objects.values_list("famille", flat=True))
    closes = list(cloture.objects.filter(close=True).values_list("annee", flat=True))
    derniere = max([*closes, *([annee] if annee else [])], default=None)
    if derniere is None:
        return {}
    apres = datetime.date(derniere + 1, 1, 1)
    dates = {}
    for famille, requete in premiers_enregistrements(**modeles).items():
        if famille in fixees:
            continue
        par_defaut = date_par_defaut(requete)
        # Au plus tard le 1er janvier qui suit l'année close : une date par défaut plus tardive (premier
        # enregistrement après elle) laisserait de côté ce qu'on saisirait ensuite dans les années ouvertes d'entre
        # deux ; l'année close, elle, reste non suivie dans les deux cas.
        dates[famille] = min(par_defaut, apres) if par_defaut else apres
    return dates


def verifier_suppression_d_un_suivi():
    """Une date de suivi ne se supprime plus dès qu'une année est close : sans elle, la date par défaut de sa
    famille reviendrait et suivrait le premier enregistrement, y compris un enregistrement ajouté plus tard dans une
    année ouverte antérieure ; ce que l'année close dit connu ou inconnu changerait. Elle reste modifiable dans les
    limites de la clôture. Sur PostgreSQL, un déclencheur (migration rapports 0013) refuse aussi le SQL brut."""
    verifier_annee_ouverte(AVANT_TOUTE_ANNEE, dans_ou_avant=True)


class QuerySetSuivi(QuerySetCloture):
    def verifier_annees_ouvertes(self):
        super().verifier_annees_ouvertes()
        if self.exists():
            verifier_suppression_d_un_suivi()


class SuiviDonnees(ProtegeeParLaCloture, models.Model):
    """Date depuis laquelle une famille d'enregistrements est notée, fixée par la coordination.

    Sans ligne pour une famille, la date est le 1er janvier de l'année de son premier enregistrement
    (rapports.suivi). Une année entièrement antérieure n'est pas suivie : ses chiffres sont inconnus, pas nuls.
    Une date dans une année close ou avant elle est figée : la déplacer changerait les chiffres publiés. Les zéros
    confirmés restent modifiables pour les années ouvertes : une année close n'y entre ni n'en sort
    (inclusion.cloture, `champs_annees`).
    """

    champ_date_cloture = "depuis"
    portee_cloture = "dans_ou_avant"
    champs_hors_cloture = frozenset({"commentaire", "zeros_confirmes"})
    champs_annees = frozenset({"zeros_confirmes"})
    fonction_sql_valeur_remplacee = "rapports_suivi_date_par_defaut"

    famille = models.CharField(
        "famille d'enregistrements", max_length=30, choices=FamilleSuivie.choices, unique=True
    )
    depuis = models.DateField(
        "suivie depuis le", help_text="Premier jour où ces enregistrements ont été notés de façon complète."
    )
    zeros_confirmes = models.CharField(
        "années où zéro est confirmé",
        max_length=200,
        blank=True,
        validators=[valider_annees],
        help_text="Années (séparées par des virgules, ex. « 2024, 2025 ») où la famille est suivie mais n'a aucun "
        "enregistrement parce qu'il n'y en a réellement eu aucun. Sans confirmation, une année sans aucun "
        "enregistrement est inconnue (« aucun enregistrement »), jamais une année de zéros.",
    )
    commentaire = models.TextField("commentaire", blank=True)
    history = HistoricalRecords()

    objects = QuerySetSuivi.as_manager()

    class Meta:
        verbose_name = "suivi des données"
        verbose_name_plural = "suivi des données"
        ordering = ["famille"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    depuis__gte=datetime.date(2000, 1, 1), depuis__lte=datetime.date(2100, 12, 31)
                ),
                name="suivi_donnees_date_valide",
                violation_error_message="Date invalide (entre 2000 et 2100).",
            ),
        ]

    def __str__(self):
        return f"{self.get_famille_display()} : suivis depuis le {self.depuis:%d/%m/%Y}"

    def delete(self, *args, **kwargs):
        verifier_suppression_d_un_suivi()
        return super().delete(*args, **kwargs)

    def valeur_remplacee_cloture(self):
        """La date par défaut de la famille, que la ligne remplace (1er janvier de l'année de son premier
        enregistrement ; None : jamais notée). La créer à cette même date ne change aucun chiffre : la coordination
        peut alors y confirmer les zéros des années ouvertes, même après la clôture d'une année."""
        requetes = premiers_enregistrements()
        if (
            self.famille not in requetes
        ):  # famille invalide : le formulaire le dit ; rien ne passe en attendant
            return super().valeur_remplacee_cloture()
        return date_par_defaut(requetes[self.famille])


class PublicationBilanQuerySet(models.QuerySet):
    def en_vigueur(self, annee):
        """La dernière version publiée d'une année close, celle que servent l'API et les pages ; None si l'année
        n'est pas close (jamais publiée, ou rouverte : la prochaine publication fera une nouvelle version)."""
        if not ClotureAnnee.objects.filter(annee=annee, close=True).exists():
            return None
        return self.filter(annee=annee).order_by("-version").first()


class PublicationBilan(models.Model):
    """Une version publiée du Bilan d'une année : le PDF et le JSON de ce moment, leur empreinte, qui et quand.

    Publier clôt l'année (inclusion.cloture) ; une nouvelle publication après réouverture garde les précédentes.
    """

    annee = models.PositiveSmallIntegerField("année")
    version = models.PositiveSmallIntegerField("version")
    publie_le = models.DateTimeField("publié le", auto_now_add=True)
    publie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pdf = models.BinaryField("PDF", editable=False)
    json = models.TextField("JSON", editable=False)
    empreinte_pdf = models.CharField("SHA-256 du PDF", max_length=64, editable=False)
    empreinte_json = models.CharField("SHA-256 du JSON", max_length=64, editable=False)

    objects = PublicationBilanQuerySet.as_manager()

    class Meta:
        verbose_name = "publication du Bilan"
        verbose_name_plural = "publications du Bilan"
        ordering = ["-annee", "-version"]
        constraints = [models.UniqueConstraint(fields=["annee", "version"], name="publication_bilan_unique")]

    def __str__(self):
        return f"Bilan {self.annee}, version {self.version} du {self.publie_le:%d/%m/%Y}"


class RenduBilan(models.Model):
    """Le Bilan d'une année rendu (PDF ou HTML) pour un état des données, reconnu par son empreinte.

    Télécharger une année inchangée sert ce fichier ; une année changée garde le dernier rendu, daté, pendant
    qu'un processus de fond rend le nouveau (rapports.rendus).
    """

    annee = models.PositiveSmallIntegerField("année")
    format = models.CharField("format", max_length=10, choices=FormatRendu.choices)
    empreinte = models.CharField("empreinte des données", max_length=64)
    fichier = models.FileField("fichier", upload_to="bilans/", max_length=200)
    rendu_le = models.DateTimeField("rendu le", auto_now_add=True)
    duree_secondes = models.FloatField("durée du rendu (secondes)", default=0)

    class Meta:
        verbose_name = "rendu du Bilan"
        verbose_name_plural = "rendus du Bilan"
        ordering = ["-rendu_le", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["annee", "format", "empreinte"], name="rendu_bilan_unique")
        ]

    def __str__(self):
        return f"Bilan {self.annee} ({self.format}) rendu le {self.rendu_le:%d/%m/%Y %H:%M}"
