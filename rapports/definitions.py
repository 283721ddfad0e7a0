"""Définition écrite de chaque indicateur du Bilan : source unique des libellés, de l'annexe et des règles de
comparaison (les règles de lecture imprimées sont dans rapports.annexe).

Les clés sont celles du Bilan JSON (chemins pointés). Pour chaque indicateur : le libellé imprimé dans les
tableaux, sa définition et sa formule en mots, sa nature (qui fixe l'arrondi affiché et le calcul de
l'évolution : en points pour une part, en % sinon), ce que signifie une hausse (qui fixe la couleur), la famille
d'enregistrements dont il dépend (« suivie depuis » une date) et les indicateurs dont il est calculé (pour savoir
si deux années reposent sur le même périmètre de chiffres déclarés). Un test vérifie que chaque indicateur
produit par le moteur a sa définition ici.

Les règles de comparaison (rapports.comparaison) lisent ces déclarations, jamais la forme des chemins : la nature
(une part change en points), le périmètre (les chiffres déclarés qui peuvent entrer dans l'indicateur : deux
années se comparent si elles en utilisent les mêmes, aucun pour des enregistrements seuls) et la famille suivie.
Un test vérifie que chaque chemin du Bilan JSON d'un jeu de données a sa déclaration.
"""

from dataclasses import dataclass, replace

from .enums import FamilleSuivie

COMPTE, MOYENNE, PART, MINUTES = "compte", "moyenne", "part", "minutes"
# Décimales imprimées selon la nature (rapports.formats) : les évolutions imprimées en découlent.
DECIMALES = {COMPTE: 0, MOYENNE: 1, PART: 1, MINUTES: 0}
FAVORABLE, DEFAVORABLE, NEUTRE = "favorable", "defavorable", "neutre"
SENS_LIBELLES = {
    FAVORABLE: "bonne nouvelle",
    DEFAVORABLE: "mauvaise nouvelle",
    NEUTRE: "ni bonne ni mauvaise en soi",
}


@dataclass(frozen=True)
class Indicateur:
    libelle: str
    definition: str
    formule: str
    nature: str = COMPTE  # des entrées, pour une table
    sens: str = NEUTRE  # ce que signifie une hausse
    famille: str = ""  # FamilleSuivie dont dépend l'indicateur
    composantes: tuple = ()  # autres indicateurs dont il est calculé (chiffres déclarés possibles)
    # Une table a une entrée par code ou par nom : "noms" (ordre alphabétique) ou le nom d'une liste de codes
    # (rapports.comparaison.LISTES_DE_CODES : ordre déclaré).
    table: str = ""
    # Seuil à partir duquel une évolution imprimée compte (couleur et ▲/▼) : en points pour une part, en % sinon.
    # None : 1 point pour une part, 2 % pour un nombre, une durée ou une moyenne.
    seuil: float | None = None
    # Une table de lignes (une par lieu) dont les colonnes sont les indicateurs de même nom de la section.
    colonnes: bool = False
    cle: str = ""  # sa clé dans DEFINITIONS (chemin pointé), remplie ci-dessous

    @property
    def perimetre(self):
        """Les chiffres déclarés qui peuvent entrer dans l'indicateur : le sien et ceux de ses composantes."""
        return (self.cle, *self.composantes)

    @property
    def en_points(self):
        return self.nature == PART

    @property
    def famille_libelle(self):
        return FamilleSuivie(self.famille).label if self.famille else ""

    @property
    def seuil_notable(self):
        if self.seuil is not None:
            return self.seuil
        return 1.0 if self.nature == PART else 2.0

    @property
    def seuil_lisible(self):
        nombre = f"{self.seuil_notable:g}".replace(".", ",")
        return f"{nombre} point{'s' if self.seuil_notable >= 2 else ''}" if self.en_points else f"{nombre} %"


# Listes de codes qui ont un ordre naturel (âges, niveaux d'autonomie) : tableaux et graphiques les impriment dans
# cet ordre ; les autres tables vont de la plus grande valeur à la plus petite.
TABLES_DANS_L_ORDRE = {"tranche_age", "autonomie"}

_P = "permanences."

_DECLARATIONS = {
    # Permanences numériques
    _P + "usagers_recus": Indicateur(
        "Usagers reçus",
        "Personnes reçues et accompagnées par un médiateur lors d'une permanence (passages enregistrés). "
        "À ne pas confondre avec les arrivées pointées à l'accueil.",
        "nombre de passages enregistrés sur les permanences de la période",
    ),
    _P + "permanences_tenues": Indicateur(
        "Permanences tenues",
        "Permanences numériques de la période qui n'ont pas été annulées.",
        "nombre de permanences non annulées",
        sens=FAVORABLE,
    ),
    _P + "permanences_par_semaine": Indicateur(
        "Permanences par semaine (dernier jour de la période)",
        "Créneaux hebdomadaires de permanence en vigueur le dernier jour de la période.",
        "nombre de créneaux en vigueur ce jour-là",
        sens=FAVORABLE,
    ),
    _P + "mediateurs": Indicateur(
        "Médiateurs socio-numériques",
        "Intervenants distincts présents à au moins une permanence tenue de la période.",
        "nombre d'intervenants distincts des permanences tenues",
        sens=FAVORABLE,
    ),
    _P + "moyenne_usagers_par_permanence": Indicateur(
        "Usagers reçus en moyenne par permanence",
        "Charge moyenne d'une permanence.",
        "usagers reçus ÷ permanences tenues",
        nature=MOYENNE,
        composantes=(_P + "usagers_recus", _P + "permanences_tenues"),
    ),
    _P + "refus": Indicateur(
        "Refus (personnes venues et non reçues)",
        "Personnes venues à une permanence et qui n'ont pas pu être reçues, pointées par l'accueil "
        "(pointages annulés exclus).",
        "nombre de refus pointés non annulés",
        sens=DEFAVORABLE,
        famille=FamilleSuivie.REFUS,
    ),
    _P + "personnes_en_demande": Indicateur(
        "Personnes en demande",
        "Personnes venues à une permanence, reçues ou non.",
        "usagers reçus + refus (sur la partie suivie de la période pour les refus)",
        famille=FamilleSuivie.REFUS,
        composantes=(_P + "usagers_recus", _P + "refus"),
    ),
    _P + "taux_sans_reponse_pct": Indicateur(
        "Part sans réponse sur place",
        "Part des personnes en demande qui n'ont pas pu être reçues.",
        "100 × refus ÷ personnes en demande",
        nature=PART,
        sens=DEFAVORABLE,
        famille=FamilleSuivie.REFUS,
        composantes=(_P + "usagers_recus", _P + "refus"),
    ),
    _P + "duree_moyenne_minutes": Indicateur(
        "Durée moyenne d'un accompagnement",
        "Durée d'un passage, notée par le médiateur.",
        "somme des durées des passages ÷ nombre de passages",
        nature=MINUTES,
    ),
    _P + "duree_max_minutes": Indicateur(
        "Durée du plus long accompagnement",
        "Durée du passage le plus long de la période, notée par le médiateur (à lire avec la durée moyenne).",
        "plus grande durée des passages",
        nature=MINUTES,
    ),
    _P + "attente_moyenne_minutes": Indicateur(
        "Attente moyenne",
        "Temps entre l'arrivée pointée à l'accueil et la prise en charge par un médiateur.",
        "moyenne des temps d'attente, sur les passages où il est connu",
        nature=MINUTES,
        sens=DEFAVORABLE,
        famille=FamilleSuivie.ATTENTE,
    ),
    _P + "autre_venue_necessaire_pct": Indicateur(
        "Passages nécessitant une autre venue",
        "Passages pour lesquels le médiateur indique que la personne devra revenir.",
        "100 × passages « autre venue nécessaire » ÷ passages",
        nature=PART,
        sens=DEFAVORABLE,
    ),
    _P + "types_demande_pct": Indicateur(
        "Types de demandes",
        "Répartition des passages par type de demande (démarche en ligne, accompagnement technique).",
        "100 × passages de ce type ÷ passages",
        nature=PART,
        table="type_demande",
    ),
    _P + "demarches": Indicateur(
        "Démarches accompagnées (passages)",
        "Passages « aide aux démarches en ligne », par démarche.",
        "nombre de passages « démarche en ligne » de cette démarche",
        table="demarche",
    ),
    _P + "demarches_pct": Indicateur(
        "Démarches accompagnées (part des démarches en ligne)",
        "Répartition des passages « aide aux démarches en ligne » par démarche.",
        "100 × passages de cette démarche ÷ passages « démarche en ligne »",
        nature=PART,
        table="demarche",
    ),
    _P + "autonomie_pct": Indicateur(
        "Autonomie des usagers",
        "Répartition des passages par niveau d'autonomie de la personne.",
        "100 × passages de ce niveau ÷ passages",
        nature=PART,
        table="autonomie",
    ),
    _P + "tranche_age_pct": Indicateur(
        "Tranches d'âge",
        "Répartition des passages par tranche d'âge (tranches de la Coop).",
        "100 × passages de cette tranche ÷ passages",
        nature=PART,
        table="tranche_age",
    ),
    _P + "genre_pct": Indicateur(
        "Genre",
        "Répartition des passages par genre.",
        "100 × passages de ce genre ÷ passages",
        nature=PART,
        table="genre",
    ),
    _P + "orientations": Indicateur(
        "Orientations vers les partenaires",
        "Orientations vers chaque structure, notées sur les passages et sur les refus non annulés.",
        "nombre de passages et de refus orientés vers cette structure",
        famille=FamilleSuivie.ORIENTATIONS,
        table="noms",
    ),
    _P + "passages_avec_frein": Indicateur(
        "Personnes reçues avec au moins un frein noté",
        "Passages où au moins un frein à l'autonomie est noté : la base des parts de chaque frein.",
        "nombre de passages dont au moins un frein est noté",
        famille=FamilleSuivie.FREINS,
    ),
    _P + "freins_pct": Indicateur(
        "Freins à l'autonomie",
        "Pour chaque frein, part des passages où il est noté, parmi les passages où au moins un frein est "
        "noté (un passage peut en avoir plusieurs : la somme peut dépasser 100 %).",
        "100 × passages avec ce frein ÷ passages avec au moins un frein",
        nature=PART,
        famille=FamilleSuivie.FREINS,
        table="frein",
    ),
    _P + "quartier_pct": Indicateur(
        "Quartiers de résidence",
        "Répartition des passages dont le quartier de résidence est connu (« hors commune » compris).",
        "100 × passages de ce quartier ÷ passages au quartier connu",
        nature=PART,
        famille=FamilleSuivie.QUARTIERS,
        table="noms",
    ),
    _P + "qpv_pct": Indicateur(
        "Passages venant d'un quartier prioritaire (QPV)",
        "Part des passages venant d'un quartier prioritaire de la politique de la ville.",
        "100 × passages d'un QPV ÷ passages au quartier connu",
        nature=PART,
        famille=FamilleSuivie.QUARTIERS,
    ),
    _P + "par_lieu": Indicateur(
        "Par lieu",
        "Pour chaque lieu : usagers reçus, permanences tenues, refus et usagers reçus en moyenne par "
        "permanence (mêmes définitions que pour l'ensemble).",
        "les mêmes calculs, lieu par lieu",
        table="noms",
        colonnes=True,
    ),
    # Rendez-vous individuels CCAS
    "rendez_vous.realises": Indicateur(
        "Rendez-vous réalisés",
        "Rendez-vous individuels des médiateurs (CCAS) dont l'issue est « honoré » ; un rendez-vous sans "
        "issue renseignée ne compte pas.",
        "nombre de rendez-vous CCAS honorés",
    ),
    "rendez_vous.absents": Indicateur(
        "Absences non excusées",
        "Rendez-vous CCAS dont l'issue est « absence non excusée ».",
        "nombre de rendez-vous CCAS « absence non excusée »",
        sens=DEFAVORABLE,
    ),
    "rendez_vous.duree_moyenne_minutes": Indicateur(
        "Durée moyenne d'un rendez-vous",
        "Durée réelle des rendez-vous CCAS honorés.",
        "somme des durées ÷ rendez-vous CCAS honorés",
        nature=MINUTES,
    ),
    "rendez_vous.duree_max_minutes": Indicateur(
        "Durée du plus long rendez-vous",
        "Durée réelle du rendez-vous CCAS honoré le plus long de la période.",
        "plus grande durée des rendez-vous CCAS honorés",
        nature=MINUTES,
    ),
    "rendez_vous.types_demande_pct": Indicateur(
        "Types de demandes des rendez-vous",
        "Répartition des rendez-vous CCAS honorés par type de demande.",
        "100 × rendez-vous honorés de ce type ÷ rendez-vous honorés",
        nature=PART,
        table="type_demande",
    ),
    "rendez_vous.demarches_pct": Indicateur(
        "Démarches des rendez-vous",
        "Répartition des rendez-vous CCAS honorés « aide aux démarches en ligne » par démarche.",
        "100 × rendez-vous de cette démarche ÷ rendez-vous « démarche en ligne »",
        nature=PART,
        table="demarche",
    ),
    # ARCS
    "arcs.rendez_vous_tenus": Indicateur(
        "Rendez-vous ARCS tenus",
        "Rendez-vous des informaticiens publics (ARCS) dont l'issue est « honoré ».",
        "nombre de rendez-vous ARCS honorés",
    ),
    "arcs.par_lieu": Indicateur(
        "Rendez-vous ARCS tenus par lieu",
        "Rendez-vous ARCS honorés, lieu par lieu.",
        "nombre de rendez-vous ARCS honorés dans ce lieu",
        table="noms",
    ),
    "arcs.tranche_age_pct": Indicateur(
        "Personnes accompagnées par âge (ARCS)",
        "Répartition des rendez-vous ARCS honorés par tranche d'âge.",
        "100 × rendez-vous de cette tranche ÷ rendez-vous honorés",
        nature=PART,
        table="tranche_age",
    ),
    "arcs.genre_pct": Indicateur(
        "Personnes accompagnées par genre (ARCS)",
        "Répartition des rendez-vous ARCS honorés par genre.",
        "100 × rendez-vous de ce genre ÷ rendez-vous honorés",
        nature=PART,
        table="genre",
    ),
    # Formations
    "formations.sessions_programmees": Indicateur(
        "Sessions programmées",
        "Sessions de formation de la période, quel que soit leur statut (programmée, tenue, annulée).",
        "nombre de sessions",
    ),
    "formations.sessions_tenues": Indicateur(
        "Sessions réalisées",
        "Sessions marquées « tenue » (au moins deux participants présents).",
        "nombre de sessions tenues",
        sens=FAVORABLE,
    ),
    "formations.sessions_annulees": Indicateur(
        "Sessions annulées",
        "Sessions annulées.",
        "nombre de sessions annulées",
        sens=DEFAVORABLE,
    ),
    "formations.taux_annulation_pct": Indicateur(
        "Taux d'annulation",
        "Part des sessions programmées qui ont été annulées.",
        "100 × sessions annulées ÷ sessions programmées",
        nature=PART,
        sens=DEFAVORABLE,
        composantes=("formations.sessions_annulees", "formations.sessions_programmees"),
    ),
    "formations.inscriptions": Indicateur(
        "Inscriptions",
        "Inscriptions aux sessions de la période, liste d'attente exclue ; les inscriptions aux sessions "
        "annulées comptent.",
        "nombre d'inscriptions hors liste d'attente",
        sens=FAVORABLE,
    ),
    "formations.participants": Indicateur(
        "Participations",
        "Inscriptions marquées présentes (une personne venue à deux sessions compte deux participations).",
        "nombre d'inscriptions présentes",
        sens=FAVORABLE,
    ),
    "formations.themes": Indicateur(
        "Thématiques",
        "Thèmes distincts parmi les sessions de la période.",
        "nombre de thèmes distincts",
    ),
    "formations.inscriptions_par_theme": Indicateur(
        "Formations les plus demandées (inscriptions)",
        "Inscriptions, thème par thème.",
        "nombre d'inscriptions aux sessions de ce thème",
        table="noms",
    ),
    "formations.structures_pct": Indicateur(
        "Participations par structure",
        "Répartition des participations (inscriptions présentes) par structure de la personne.",
        "100 × participations de cette structure ÷ participations",
        nature=PART,
        table="noms",
    ),
    "formations.accompagnements_individuels": Indicateur(
        "Accompagnements individuels",
        "Accompagnements individuels de professionnels par le coordinateur formation.",
        "nombre d'accompagnements individuels",
    ),
    "formations.duree_moyenne_accompagnement_minutes": Indicateur(
        "Durée moyenne d'un accompagnement individuel",
        "Durée des accompagnements individuels de professionnels.",
        "somme des durées ÷ accompagnements individuels",
        nature=MINUTES,
    ),
    # Dispositif
    "dispositif.personnes_recues": Indicateur(
        "Personnes reçues dans le dispositif",
        "Toutes les personnes reçues : usagers des permanences, rendez-vous CCAS et ARCS, et personnes "
        "reçues par d'autres structures du dispositif déclarées par la coordination (Espaces Ressource "
        "Emploi…).",
        "usagers reçus + rendez-vous réalisés + rendez-vous ARCS tenus + personnes reçues déclarées",
        composantes=(
            _P + "usagers_recus",
            "rendez_vous.realises",
            "arcs.rendez_vous_tenus",
            "dispositif.personnes_recues_externes",
        ),
    ),
    "dispositif.personnes_recues_hors_declares": Indicateur(
        "Personnes reçues, enregistrements seuls",
        "Les personnes reçues que l'application a enregistrées, sans aucun chiffre déclaré : le total "
        "comparable d'une année à l'autre.",
        "usagers reçus + rendez-vous réalisés + rendez-vous ARCS tenus, enregistrés",
        composantes=(_P + "usagers_recus", "rendez_vous.realises", "arcs.rendez_vous_tenus"),
    ),
    "dispositif.personnes_recues_externes": Indicateur(
        "dont personnes reçues déclarées (ERE…)",
        "Personnes reçues par d'autres structures du dispositif, déclarées par la coordination avec leur "
        "source (par exemple les Espaces Ressource Emploi).",
        "somme des chiffres déclarés de l'année sous « personnes reçues déclarées »",
    ),
}

DEFINITIONS = {cle: replace(indicateur, cle=cle) for cle, indicateur in _DECLARATIONS.items()}


def definition_de(chemin):
    """La définition d'un nœud du Bilan (tuple de clés), ou None (une section, un chemin inconnu).

    (section, indicateur) → l'indicateur ; (section, table, code) → la table ; dans une table à `colonnes`,
    (section, table, lieu, indicateur) → l'indicateur de même nom de la section (mêmes définitions lieu par lieu).
    """
    if len(chemin) < 2:
        return None
    section, indicateur, *reste = chemin
    definition = DEFINITIONS.get(f"{section}.{indicateur}")
    if definition is not None and definition.colonnes and len(reste) == 2:
        return DEFINITIONS.get(f"{section}.{reste[1]}")
    return definition if len(reste) <= 1 else None


def est_le_noeud_de(definition, chemin):
    """Le chemin est-il celui de l'indicateur lui-même (et non une entrée ou une ligne de sa table) ?"""
    return definition is not None and definition.cle == ".".join(map(str, chemin))


def nature_de(chemin):
    definition = definition_de(chemin)
    return definition.nature if definition else COMPTE
