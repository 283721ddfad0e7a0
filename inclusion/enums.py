from django.db import models


class Role(models.TextChoices):
    ACCUEIL = "accueil", "Accueil"
    MEDIATION = "mediation", "Médiation numérique (CCAS)"
    FORMATION = "formation", "Formation"
    ARCS = "arcs", "Informatique publique (ARCS)"
    COORDINATION = "coordination", "Coordination"


class Fonction(models.TextChoices):
    MEDIATEUR = "mediateur", "Médiateur socio-numérique"
    INFORMATICIEN_PUBLIC = "informaticien_public", "Informaticien public"
    COORDINATEUR = "coordinateur", "Coordinateur du projet"
    COORDINATEUR_FORMATION = "coordinateur_formation", "Coordinateur formation"
    AGENT_ACCUEIL = "agent_accueil", "Agent d'accueil"
    AUTRE = "autre", "Autre"


# L'intitulé de fonction au féminin, pour les personnes qui le choisissent (Intervenant.accord).
FONCTIONS_AU_FEMININ = {
    Fonction.MEDIATEUR: "Médiatrice socio-numérique",
    Fonction.INFORMATICIEN_PUBLIC: "Informaticienne publique",
    Fonction.COORDINATEUR: "Coordinatrice du projet",
    Fonction.COORDINATEUR_FORMATION: "Coordinatrice formation",
    Fonction.AGENT_ACCUEIL: "Agente d'accueil",
    Fonction.AUTRE: "Autre",
}


class Accord(models.TextChoices):
    """Comment chaque personne veut que son intitulé de fonction soit écrit."""

    MASCULIN = "masculin", "Au masculin (médiateur, informaticien…)"
    FEMININ = "feminin", "Au féminin (médiatrice, informaticienne…)"


class Quotite(models.TextChoices):
    TEMPS_PLEIN = "temps_plein", "Temps plein"
    TEMPS_PARTIEL = "temps_partiel", "Temps partiel"


class Thematique(models.TextChoices):
    """Thématiques des démarches administratives de la Coop de la médiation numérique (ANCT)."""

    PAPIERS_ELECTIONS_CITOYENNETE = "papiers_elections_citoyennete", "Papiers - Élections - Citoyenneté"
    FAMILLE_SCOLARITE = "famille_scolarite", "Famille - Scolarité"
    SOCIAL_SANTE = "social_sante", "Social - Santé"
    TRAVAIL_FORMATION_ENTREPRISE = "travail_formation_entreprise", "Travail - Formation - Entreprise"
    LOGEMENT = "logement", "Logement"
    TRANSPORTS_MOBILITE = "transports_mobilite", "Transports - Mobilité"
    ARGENT_IMPOTS = "argent_impots", "Argent - Impôts"
    JUSTICE = "justice", "Justice"
    ETRANGERS_EUROPE = "etrangers_europe", "Étrangers - Europe"
    LOISIRS_SPORTS_CULTURE = "loisirs_sports_culture", "Loisirs - Sports - Culture"
    ASSOCIATIONS = "associations", "Associations"
