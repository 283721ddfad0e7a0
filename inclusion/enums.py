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


class StructureDeRedirection(models.TextChoices):
    """Catégories de structure vers laquelle la Coop de la médiation numérique (ANCT) note une réorientation.

    Source : coop-mediation-numerique, apps/web/src/features/activites/use-cases/cra/individuel/fields/
    structures-redirection.ts (codes de son API publique, libellés de son export).
    """

    OPERATEUR = (
        "operateur_ou_organisme_en_charge",
        "Opérateur ou organisme en charge de la démarche administrative",
    )
    AIDE_AUX_DEMARCHES = (
        "aide_aux_demarches_administratives",
        "Structure d’aide aux démarches administratives (France Services…)",
    )
    ADMINISTRATION = "administration", "Administration (mairie, préfecture…)"
    MEDIATION_NUMERIQUE = "mediation_numerique", "Autre structure de médiation numérique"
    AIDE_SOCIALE = "aide_sociale", "Structure d’aide sociale (maison des solidarités, centre social…)"
    INSERTION_PROFESSIONNELLE = (
        "insertion_professionnelle",
        "Structure d’insertion professionnelle (France Travail, mission locale, chambre de commerce…)",
    )
    AUTRE = "autre", "Autre"


class ThematiqueAtelier(models.TextChoices):
    """Thématiques non administratives de la Coop, pour les ateliers collectifs (nos sessions de formation).

    Source : coop-mediation-numerique, apps/web/src/features/activites/use-cases/cra/fields/thematique.ts.
    """

    DIAGNOSTIC_NUMERIQUE = "diagnostic_numerique", "Diagnostic numérique"
    PRENDRE_EN_MAIN_DU_MATERIEL = "prendre_en_main_du_materiel", "Prendre en main du matériel"
    MAINTENANCE_DE_MATERIEL = "maintenance_de_materiel", "Maintenance de matériel"
    GERE_SES_CONTENUS_NUMERIQUES = "gere_ses_contenus_numeriques", "Gérer ses contenus numériques"
    NAVIGATION_SUR_INTERNET = "navigation_sur_internet", "Navigation sur internet"
    EMAIL = "email", "E-mail"
    BUREAUTIQUE = "bureautique", "Bureautique"
    RESEAUX_SOCIAUX = "reseaux_sociaux", "Réseaux sociaux communication"
    SANTE = "sante", "Santé"
    BANQUE_ET_ACHATS_EN_LIGNE = "banque_et_achats_en_ligne", "Banque et achats en ligne"
    ENTREPRENEURIAT = "entrepreneuriat", "Accompagner un professionnel"
    INSERTION_PROFESSIONNELLE = "insertion_professionnelle", "Insertion professionnelle"
    SECURITE_NUMERIQUE = "securite_numerique", "Prévention en sécurité numérique"
    PARENTALITE = "parentalite", "Parentalité"
    SCOLARITE_ET_NUMERIQUE = "scolarite_et_numerique", "Scolarité et numérique"
    CREER_AVEC_LE_NUMERIQUE = "creer_avec_le_numerique", "Créer avec le numérique"
    CULTURE_NUMERIQUE = "culture_numerique", "Culture numérique"
    INTELLIGENCE_ARTIFICIELLE = "intelligence_artificielle", "Intelligence artificielle (IA)"
    AIDE_AUX_DEMARCHES_ADMINISTRATIVES = (
        "aide_aux_demarches_administratives",
        "Aide aux démarches administratives",
    )
