import datetime

from django.conf import settings
from django.db import models

from .enums import NatureTraitement, StatutTraitement


class TraitementQuerySet(models.QuerySet):
    def non_finis(self):
        return self.filter(statut__in=[StatutTraitement.EN_ATTENTE, StatutTraitement.EN_COURS])

    def expires(self, maintenant):
        """Documents produits (exports) et fichiers téléversés au-delà de leur durée de conservation."""
        heures = settings.INCLUSION["CONSERVATION_DOCUMENTS_HEURES"]
        return self.filter(demande_le__lt=maintenant - datetime.timedelta(hours=heures)).exclude(
            statut__in=[StatutTraitement.EN_ATTENTE, StatutTraitement.EN_COURS]
        )


class Traitement(models.Model):
    """Un travail long (import, export, rendu du Bilan) confié à un processus de fond.

    La file elle-même est celle de django-tasks (table de django_tasks_db) ; cette ligne dit aux personnes où en
    est leur travail : progression, erreurs, document produit, et pourquoi il a échoué (travaux).
    """

    nature = models.CharField("nature", max_length=20, choices=NatureTraitement.choices)
    statut = models.CharField(
        "statut", max_length=20, choices=StatutTraitement.choices, default=StatutTraitement.EN_ATTENTE
    )
    demande_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    demande_le = models.DateTimeField("demandé le", auto_now_add=True)
    commence_le = models.DateTimeField("commencé le", null=True, blank=True)
    termine_le = models.DateTimeField("terminé le", null=True, blank=True)
    parametres = models.JSONField("paramètres", default=dict, blank=True)
    # Import : le fichier téléversé ; export : le document produit. Effacé par la purge après la conservation.
    fichier = models.FileField("fichier", upload_to="traitements/%Y/%m/", blank=True, max_length=200)
    nom_fichier = models.CharField("nom du fichier", max_length=200, blank=True)
    progression = models.JSONField("progression", default=dict, blank=True)
    resultat = models.JSONField("résultat", default=dict, blank=True)
    message = models.TextField("message", blank=True)
    # Qui le fait : « machine:pid » du processus de fond, pour reconnaître un processus arrêté en route.
    processus = models.CharField("processus", max_length=200, blank=True)
    tache = models.UUIDField("tâche django-tasks", null=True, blank=True)

    objects = TraitementQuerySet.as_manager()

    class Meta:
        db_table = "rapports_traitement"  # table gardée : le modèle vient de rapports (#32)
        verbose_name = "traitement de fond"
        verbose_name_plural = "traitements de fond"
        ordering = ["-demande_le", "-pk"]
        indexes = [models.Index(fields=["nature", "statut"], name="traitement_nature_statut")]

    def __str__(self):
        return (
            f"{self.get_nature_display()} du {self.demande_le:%d/%m/%Y %H:%M} ({self.get_statut_display()})"
        )

    @property
    def fini(self):
        return self.statut in (StatutTraitement.TERMINE, StatutTraitement.ECHOUE)
