"""Export XLSX pour la Coop de la médiation numérique (ANCT), dans son modèle d'aujourd'hui.

Une ligne par personne accompagnée (passages, rendez-vous honorés) et une ligne « Atelier collectif » par session
de formation tenue, avec le nombre de participants présents. Les en-têtes sont ceux de l'export des activités de
la Coop (apps/web/src/features/activites/use-cases/list/export/buildAccompagnementsWorksheet.ts) et chaque valeur
vient de ses listes (constantes ci-dessous, avec le fichier source). La correspondance de nos codes est dans le
README (« Export pour la Coop ») ; depuis avril 2025, la Coop n'a plus de type « démarche administrative » :
une démarche est un accompagnement individuel de thématique « Aide aux démarches administratives », précisée
par l'une de ses 11 thématiques administratives.
"""

import datetime

from formations.enums import StatutSession
from formations.models import SessionFormation
from inclusion.enums import StructureDeRedirection, Thematique, ThematiqueAtelier
from permanences.enums import Autonomie, Genre, TrancheAge, TypeDemande
from permanences.models import Passage, RendezVous

from .enums import FamilleSuivie
from .suivi import suivi_depuis

# cra/fields/type-activite.ts (typeActiviteLabels)
TYPES = ("Accompagnement individuel", "Atelier collectif")
# cra/fields/type-lieu.ts (typeLieuLabels) : nos permanences et rendez-vous se tiennent dans nos lieux
CANAUX = ("Lieu d’activité", "Autre lieu", "À domicile", "À distance")
# cra/fields/thematique.ts (thematiquesNonAdministrativesLabels, thematiquesAdministrativesLabels)
THEMATIQUES = tuple(ThematiqueAtelier.labels) + tuple(Thematique.labels)
AIDE_AUX_DEMARCHES = ThematiqueAtelier.AIDE_AUX_DEMARCHES_ADMINISTRATIVES.label
PRISE_EN_MAIN = ThematiqueAtelier.PRENDRE_EN_MAIN_DU_MATERIEL.label
# cra/individuel/fields/autonomie.ts (autonomieLabels)
AUTONOMIES = {
    Autonomie.AUTONOME: "Autonome",
    Autonomie.PARTIELLEMENT_AUTONOME: "Autonome avec guidage en cas de besoin",
    Autonomie.ACCOMPAGNE: "Avec guidage",
    Autonomie.FAIT_A_SA_PLACE: "Avec guidage",  # la Coop n'a pas de niveau plus bas que « avec guidage »
}
# beneficiaire/tranche-age.ts (trancheAgeLabels)
TRANCHES_AGE = {
    TrancheAge.MOINS_12: "Moins de 12 ans",
    TrancheAge.DE_12_A_17: "12 - 17 ans",
    TrancheAge.DE_18_A_24: "18 - 24 ans",
    TrancheAge.DE_25_A_39: "25 - 39 ans",
    TrancheAge.DE_40_A_59: "40 - 59 ans",
    TrancheAge.DE_60_A_69: "60 - 69 ans",
    TrancheAge.PLUS_70: "70 ans et plus",
    TrancheAge.NON_COMMUNIQUE: "Non communiqué",
}
# beneficiaire/beneficiaire.ts (genreLabels, statutSocialLabels)
GENRES = {Genre.MASCULIN: "Masculin", Genre.FEMININ: "Féminin", Genre.NON_COMMUNIQUE: "Non communiqué"}
STATUT_NON_COMMUNIQUE = "Non communiqué ou hétérogène"  # nous ne le notons pas : donnée non nécessaire
# utils/yesNoBooleanOptions.ts
OUI_NON = ("Oui", "Non")
# cra/individuel/fields/structures-redirection.ts (structuresRedirectionLabels)
STRUCTURES_DE_REDIRECTION = tuple(StructureDeRedirection.labels)

ENTETES = (
    "Date",
    "Type",
    "Participants",
    "Canaux d’accompagnement",
    "Nom du lieu",
    "Adresse",
    "Commune",
    "Code postal",
    "Code Insee",
    "Durée (min)",
    "Nom de l’atelier",
    "Thématique(s) d’accompagnement",
    "Nom de la démarche administrative",
    "Niveau d’autonomie (ou de l’atelier)",
    "Bénéficiaire réorienté",
    "Structure de redirection",
    "Genre du bénéficiaire",
    "Tranche d’âge du bénéficiaire",
    "Statut du bénéficiaire",
)
# Les valeurs possibles de chaque colonne tirée d'une liste de la Coop (vide : colonne facultative non remplie).
LISTES = {
    "Type": TYPES,
    "Canaux d’accompagnement": CANAUX,
    "Niveau d’autonomie (ou de l’atelier)": tuple(AUTONOMIES.values()),
    "Bénéficiaire réorienté": OUI_NON,
    "Structure de redirection": STRUCTURES_DE_REDIRECTION,
    "Genre du bénéficiaire": tuple(GENRES.values()),
    "Tranche d’âge du bénéficiaire": tuple(TRANCHES_AGE.values()),
    "Statut du bénéficiaire": (STATUT_NON_COMMUNIQUE,),
}
SAUT_DANS_LA_CELLULE = "\n"  # plusieurs thématiques dans une cellule, comme l'export de la Coop
THEMATIQUES_ADMINISTRATIVES = dict(Thematique.choices)
CATEGORIES = dict(StructureDeRedirection.choices)
CHAMPS_LIEU = ("nom", "adresse", "commune", "code_postal", "code_insee")


def thematiques(type_demande, thematique_demarche):
    """« Aide aux démarches administratives » et la thématique administrative de la démarche s'il y en a une ;
    « Prendre en main du matériel » pour un accompagnement technique."""
    if type_demande == TypeDemande.ACCOMPAGNEMENT_TECHNIQUE:
        return PRISE_EN_MAIN
    if type_demande != TypeDemande.DEMARCHE_EN_LIGNE:
        return ""
    precision = THEMATIQUES_ADMINISTRATIVES.get(thematique_demarche)
    return SAUT_DANS_LA_CELLULE.join(t for t in (AIDE_AUX_DEMARCHES, precision) if t)


def _lieu(valeurs):
    return (CANAUX[0], *(v or "" for v in valeurs))


def _individuel(date, lieu, duree, demande, autonomie, reoriente, categorie, genre, age):
    type_demande, thematique, demarche = demande
    return (
        date,
        TYPES[0],
        1,
        *lieu,
        duree,
        "",
        thematiques(type_demande, thematique),
        demarche or "",
        AUTONOMIES.get(autonomie, ""),
        reoriente,
        CATEGORIES.get(categorie, "") if reoriente == OUI_NON[0] else "",
        GENRES.get(genre, GENRES[Genre.NON_COMMUNIQUE]),
        TRANCHES_AGE.get(age, TRANCHES_AGE[TrancheAge.NON_COMMUNIQUE]),
        STATUT_NON_COMMUNIQUE,
    )


DEMANDE = ("type_demande", "demarche__thematique", "demarche__libelle")


def _passages(annee, orientations_depuis):
    lieu = [f"permanence__lieu__{c}" for c in CHAMPS_LIEU]
    champs = ("date", *lieu, "duree_minutes", *DEMANDE, "autonomie", "oriente_vers_id")
    champs += ("oriente_vers__categorie_redirection", "genre", "tranche_age")
    passages = Passage.objects.de_l_annee(annee).order_by("date", "pk").values_list(*champs)
    for ligne in passages.iterator(chunk_size=5000):
        date, duree, demande = ligne[0], ligne[6], ligne[7:10]
        autonomie, oriente, categorie, genre, age = ligne[10:]
        suivi = orientations_depuis is not None and date >= orientations_depuis
        reoriente = (OUI_NON[0] if oriente else OUI_NON[1]) if suivi else ""  # inconnu avant le suivi
        yield _individuel(
            date, _lieu(ligne[1:6]), duree, demande, autonomie, reoriente, categorie, genre, age
        )


def _rendez_vous(annee):
    lieu = [f"lieu__{c}" for c in CHAMPS_LIEU]
    champs = ("date", *lieu, "duree_minutes", *DEMANDE, "genre", "tranche_age")
    rdvs = RendezVous.objects.de_l_annee(annee).honores().order_by("date", "pk").values_list(*champs)
    for ligne in rdvs.iterator(chunk_size=5000):
        # Un rendez-vous ne note ni autonomie ni orientation : ces colonnes restent vides (inconnues).
        date, duree, demande, genre, age = ligne[0], ligne[6], ligne[7:10], ligne[10], ligne[11]
        yield _individuel(date, _lieu(ligne[1:6]), duree, demande, "", "", "", genre, age)


def _duree(debut, fin):
    if debut is None or fin is None:
        return ""
    jour = datetime.date(2000, 1, 1)
    return int(
        (datetime.datetime.combine(jour, fin) - datetime.datetime.combine(jour, debut)).total_seconds() // 60
    )


def _ateliers(annee):
    sessions = (
        SessionFormation.objects.de_l_annee(annee)
        .filter(statut=StatutSession.TENUE)
        .avec_compteurs()
        .select_related("theme", "lieu")
        .order_by("date", "pk")
    )
    for s in sessions:
        lieu = _lieu(getattr(s.lieu, c) for c in CHAMPS_LIEU) if s.lieu else (CANAUX[1], "", "", "", "", "")
        yield (
            s.date,
            TYPES[1],
            s.nb_presents,
            *lieu,
            _duree(s.heure_debut, s.heure_fin),
            s.theme.nom,
            ThematiqueAtelier(s.theme.thematique_coop).label,
            "",
            "",
            "",
            "",
            GENRES[Genre.NON_COMMUNIQUE],  # les participants d'un atelier ne sont pas décrits un par un
            TRANCHES_AGE[TrancheAge.NON_COMMUNIQUE],
            STATUT_NON_COMMUNIQUE,
        )


def lignes_coop(annee):
    orientations_depuis = suivi_depuis()[FamilleSuivie.ORIENTATIONS]
    yield from _passages(annee, orientations_depuis)
    yield from _rendez_vous(annee)
    yield from _ateliers(annee)


def feuilles_coop(annee):
    """Le classeur pour la Coop : une feuille « Activités », ses lignes lues en flux."""
    return {"Activités": (ENTETES, lignes_coop(annee))}
