from django.db import models


class JourSemaine(models.IntegerChoices):
    LUNDI = 0, "Lundi"
    MARDI = 1, "Mardi"
    MERCREDI = 2, "Mercredi"
    JEUDI = 3, "Jeudi"
    VENDREDI = 4, "Vendredi"
    SAMEDI = 5, "Samedi"
    DIMANCHE = 6, "Dimanche"


class TypeDemande(models.TextChoices):
    DEMARCHE_EN_LIGNE = "demarche_en_ligne", "Aide aux démarches en ligne"
    ACCOMPAGNEMENT_TECHNIQUE = "accompagnement_technique", "Accompagnement technique"


class Autonomie(models.TextChoices):
    """Niveaux d'autonomie ; les trois premiers correspondent à ceux de la Coop, le dernier les précise."""

    AUTONOME = "autonome", "Autonome"
    PARTIELLEMENT_AUTONOME = "partiellement_autonome", "Partiellement autonome"
    ACCOMPAGNE = "accompagne", "Entièrement accompagné"
    FAIT_A_SA_PLACE = "fait_a_sa_place", "Fait à sa place"


class TrancheAge(models.TextChoices):
    """Tranches d'âge de la Coop de la médiation numérique."""

    MOINS_12 = "moins_12", "Moins de 12 ans"
    DE_12_A_17 = "12_17", "12 à 17 ans"
    DE_18_A_24 = "18_24", "18 à 24 ans"
    DE_25_A_39 = "25_39", "25 à 39 ans"
    DE_40_A_59 = "40_59", "40 à 59 ans"
    DE_60_A_69 = "60_69", "60 à 69 ans"
    PLUS_70 = "70_plus", "70 ans et plus"
    NON_COMMUNIQUE = "non_communique", "Non communiqué"


class Genre(models.TextChoices):
    FEMININ = "feminin", "Féminin"
    MASCULIN = "masculin", "Masculin"
    NON_COMMUNIQUE = "non_communique", "Non communiqué"


class MotifRefus(models.TextChoices):
    COMPLET = "complet", "Permanence complète"
    HORS_HORAIRES = "hors_horaires", "Hors horaires"
    ORIENTE_AILLEURS = "oriente_ailleurs", "Orienté ailleurs"
    AUTRE = "autre", "Autre"


class Service(models.TextChoices):
    CCAS = "ccas", "Médiation numérique (CCAS)"
    ARCS = "arcs", "Informatique publique (ARCS)"


class MotifRendezVous(models.TextChoices):
    TROP_LONG_POUR_PERMANENCE = (
        "trop_long_pour_permanence",
        "Demande trop longue ou complexe pour une permanence",
    )
    FINALISER_DEMARCHE = "finaliser_demarche", "Finaliser une démarche"
    AUTRE = "autre", "Autre"


class StatutRendezVous(models.TextChoices):
    A_RENSEIGNER = "a_renseigner", "À renseigner"
    HONORE = "honore", "Honoré"
    EXCUSE = "excuse", "Excusé"
    ANNULE = "annule", "Annulé"
    ABSENT = "absent", "Absence non excusée"


class Frein(models.TextChoices):
    """Freins à l'autonomie observés par le médiateur (le bilan 2023 cite l'appréhension de l'outil et la
    crainte de la démarche administrative)."""

    APPREHENSION_OUTIL = "appreciation_outil", "Appréhension de l'outil numérique"
    CRAINTE_DEMARCHE = "crainte_demarche", "Crainte de la démarche administrative"
    LANGUE = "langue", "Langue"
    EQUIPEMENT = "equipement", "Pas d'équipement ou de connexion"
    HANDICAP = "handicap", "Handicap"
    AUTRE = "autre", "Autre"
