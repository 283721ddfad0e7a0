"""La table d'export des activités de la Coop de la médiation numérique (ANCT), telle qu'elle est.

La Coop n'importe pas d'activités (elle importe des bénéficiaires ; son API /api/v1/activites est en lecture) :
ce fichier est la même table que son export « Activités » d'une équipe (coop-mediation-numerique,
apps/web/src/features/activites/use-cases/list/export/buildAccompagnementsWorksheet.ts, variante équipe sans
CRA v1), pour qu'un territoire range ses exports de la Coop et le nôtre dans un même tableau croisé. Mêmes
colonnes dans le même ordre, une ligne par personne accompagnée (un atelier : une ligne par participant présent,
« i/N »), autonomie « n/3 », dates jj/mm/aaaa ; le bloc de métadonnées et le tableau Excel « Activités » sont
écrits par echanges.coop_classeur. Chaque valeur vient des listes de la Coop (constantes ci-dessous, avec le
fichier source) ; ce que nous ne notons pas reste vide. La correspondance de nos codes est dans le README
(« Export pour la Coop ») ; depuis avril 2025, la Coop n'a plus de type « démarche administrative » : une
démarche est un accompagnement individuel de thématique « Aide aux démarches administratives », précisée par
l'une de ses 11 thématiques administratives.
"""

import datetime

from django.utils import timezone

from formations.enums import StatutSession
from formations.models import SessionFormation
from inclusion.enums import StructureDeRedirection, Thematique, ThematiqueAtelier
from permanences.enums import Autonomie, Genre, TrancheAge, TypeDemande
from permanences.models import Passage, RendezVous
from rapports.enums import FamilleSuivie
from rapports.suivi import suivi_depuis

# cra/fields/type-activite.ts (typeActiviteLabels)
TYPES = ("Accompagnement individuel", "Atelier collectif")
# cra/fields/type-lieu.ts (typeLieuLabels) : nos permanences et rendez-vous se tiennent dans nos lieux
CANAUX = ("Lieu d’activité", "Autre lieu", "À domicile", "À distance")
# cra/fields/thematique.ts (thematiquesNonAdministrativesLabels, thematiquesAdministrativesLabels)
THEMATIQUES = tuple(ThematiqueAtelier.labels) + tuple(Thematique.labels)
AIDE_AUX_DEMARCHES = ThematiqueAtelier.AIDE_AUX_DEMARCHES_ADMINISTRATIVES.label
PRISE_EN_MAIN = ThematiqueAtelier.PRENDRE_EN_MAIN_DU_MATERIEL.label
# cra/individuel/fields/autonomie.ts (autonomieStars, sur autonomieValues.length = 3) : écrit « n/3 »
AUTONOMIES = {
    Autonomie.AUTONOME: "3/3",
    Autonomie.PARTIELLEMENT_AUTONOME: "2/3",
    Autonomie.ACCOMPAGNE: "1/3",
    Autonomie.FAIT_A_SA_PLACE: "1/3",  # la Coop n'a pas de niveau plus bas que « avec guidage »
}
# cra/collectif/fields/niveau-atelier.ts (niveauAtelierStars) : « 1/3 » débutant … « 3/3 » avancé ; nos
# thèmes de formation n'ont pas de niveau, la cellule d'un atelier reste vide.
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

# buildAccompagnementsWorksheet.ts (« Rôle » : Conseiller Numérique ou Médiateur ; nous ne savons pas qui est
# conseiller numérique)
ROLE_MEDIATEUR = "Médiateur"

# buildAccompagnementsWorksheet.ts, activitesTableHeaders d'une équipe (isSelfExport faux, hasCraV1 faux).
ENTETES = (
    "Date",
    "Enregistré le",
    "Dernière modification le",
    "Prénom du médiateur",
    "Nom du médiateur",
    "Rôle",
    "ID - Conum",
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
    "Matériel numérique utilisé",
    "Thématique(s) d’accompagnement",
    "Tags",
    "Nom de la démarche administrative",
    "Niveau d’autonomie (ou de l’atelier)",
    "Bénéficiaire réorienté",
    "Structure de redirection",
    "Commune du bénéficiaire",
    "Code postal du bénéficiaire",
    "Code Insee du bénéficiaire",
    "Genre du bénéficiaire",
    "Tranche d’âge du bénéficiaire",
    "Statut du bénéficiaire",
    "ID CRA",
)
# Les valeurs possibles de chaque colonne tirée d'une liste de la Coop (vide : colonne facultative non remplie).
LISTES = {
    "Rôle": (ROLE_MEDIATEUR,),
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
COLONNES_LIEU = ("Nom du lieu", "Adresse", "Commune", "Code postal", "Code Insee")


def thematiques(type_demande, thematique_demarche):
    """« Aide aux démarches administratives » et la thématique administrative de la démarche s'il y en a une ;
    « Prendre en main du matériel » pour un accompagnement technique."""
    if type_demande == TypeDemande.ACCOMPAGNEMENT_TECHNIQUE:
        return PRISE_EN_MAIN
    if type_demande != TypeDemande.DEMARCHE_EN_LIGNE:
        return ""
    precision = THEMATIQUES_ADMINISTRATIVES.get(thematique_demarche)
    return SAUT_DANS_LA_CELLULE.join(t for t in (AIDE_AUX_DEMARCHES, precision) if t)


def horodatage(moment):
    """« 06/12/2026 à 09:05 » (heure locale), comme « Enregistré le » de la Coop ; vide si inconnu."""
    return f"{timezone.localtime(moment):%d/%m/%Y à %H:%M}" if moment else ""


def ligne(**valeurs):
    """Une ligne de la table, dans l'ordre des en-têtes ; une colonne non donnée reste vide."""
    return tuple(valeurs.get(colonne, "") for colonne in ENTETES)


def _commun(date, intervenant, lieu, duree, id_cra, *, cree_le=None, modifie_le=None):
    enregistre, modifie = horodatage(cree_le), horodatage(modifie_le)
    # « Prénom du médiateur » et « Nom du médiateur » restent vides : les chiffres d'une personne de l'équipe
    # sont une donnée personnelle qui reste dans l'application (comme pour l'API) ; « Rôle » dit seulement
    # qu'un médiateur a accompagné.
    return {
        "Date": date,
        "Enregistré le": enregistre,
        "Dernière modification le": "" if modifie == enregistre else modifie,
        "Rôle": ROLE_MEDIATEUR if intervenant else "",
        "Canaux d’accompagnement": CANAUX[0] if lieu else CANAUX[1],
        **dict(zip(COLONNES_LIEU, (v or "" for v in lieu or ("",) * 5), strict=True)),
        "Durée (min)": duree if duree is not None else "",
        "ID CRA": id_cra,
    }


def _individuel(commun, demande, autonomie, reoriente, categorie, genre, age):
    type_demande, thematique, demarche = demande
    return ligne(
        **commun,
        Type=TYPES[0],
        Participants=1,
        **{
            "Thématique(s) d’accompagnement": thematiques(type_demande, thematique),
            "Nom de la démarche administrative": demarche or "",
            "Niveau d’autonomie (ou de l’atelier)": AUTONOMIES.get(autonomie, ""),
            "Bénéficiaire réorienté": reoriente,
            "Structure de redirection": CATEGORIES.get(categorie, "") if reoriente == OUI_NON[0] else "",
            "Genre du bénéficiaire": GENRES.get(genre, GENRES[Genre.NON_COMMUNIQUE]),
            "Tranche d’âge du bénéficiaire": TRANCHES_AGE.get(age, TRANCHES_AGE[TrancheAge.NON_COMMUNIQUE]),
            "Statut du bénéficiaire": STATUT_NON_COMMUNIQUE,
        },
    )


DEMANDE = ("type_demande", "demarche__thematique", "demarche__libelle")


def _passages(annee, orientations_depuis):
    lieu = [f"permanence__lieu__{c}" for c in CHAMPS_LIEU]
    champs = ("pk", "date", "cree_le", "modifie_le", "intervenant_id", *lieu, "duree_minutes", *DEMANDE)
    champs += ("autonomie", "oriente_vers_id", "oriente_vers__categorie_redirection", "genre", "tranche_age")
    passages = Passage.objects.de_l_annee(annee).order_by("date", "pk").values_list(*champs)
    for pk, date, cree, modifie, intervenant, *reste in passages.iterator(chunk_size=5000):
        lieu, duree, demande = reste[0:5], reste[5], reste[6:9]
        autonomie, oriente, categorie, genre, age = reste[9:]
        commun = _commun(date, intervenant, lieu, duree, f"passage-{pk}", cree_le=cree, modifie_le=modifie)
        suivi = orientations_depuis is not None and date >= orientations_depuis
        reoriente = (OUI_NON[0] if oriente else OUI_NON[1]) if suivi else ""  # inconnu avant le suivi
        yield _individuel(commun, demande, autonomie, reoriente, categorie, genre, age)


def _rendez_vous(annee):
    lieu = [f"lieu__{c}" for c in CHAMPS_LIEU]
    champs = ("pk", "date", "modifie_le", "intervenant_id", *lieu, "duree_minutes", *DEMANDE, "genre")
    champs += ("tranche_age",)
    rdvs = RendezVous.objects.de_l_annee(annee).honores().order_by("date", "pk").values_list(*champs)
    for pk, date, modifie, intervenant, *reste in rdvs.iterator(chunk_size=5000):
        # Un rendez-vous ne note ni autonomie ni orientation, ni le moment de sa saisie : cellules vides.
        lieu, duree, demande, genre, age = reste[0:5], reste[5], reste[6:9], reste[9], reste[10]
        commun = _commun(date, intervenant, lieu, duree, f"rendez-vous-{pk}", modifie_le=modifie)
        yield _individuel(commun, demande, "", "", "", genre, age)


def _duree(debut, fin):
    if debut is None or fin is None:
        return None
    jour = datetime.date(2000, 1, 1)
    return int(
        (datetime.datetime.combine(jour, fin) - datetime.datetime.combine(jour, debut)).total_seconds() // 60
    )


def _sessions_tenues(annee):
    return SessionFormation.objects.de_l_annee(annee).filter(statut=StatutSession.TENUE).avec_compteurs()


def _ateliers(annee):
    """Une ligne par participant présent, « i/N » (un seul : 1), comme la Coop ; nos participants ne sont
    pas décrits un par un (genre, âge : non communiqués)."""
    sessions = _sessions_tenues(annee).select_related("theme", "lieu").order_by("date", "pk")
    for s in sessions:
        lieu = [getattr(s.lieu, c) for c in CHAMPS_LIEU] if s.lieu else None
        commun = _commun(s.date, s.formateur_id, lieu, _duree(s.heure_debut, s.heure_fin), f"session-{s.pk}")
        for i in range(1, s.nb_presents + 1):
            yield ligne(
                **commun,
                Type=TYPES[1],
                Participants=1 if s.nb_presents == 1 else f"{i}/{s.nb_presents}",
                **{
                    "Nom de l’atelier": s.theme.nom,
                    "Thématique(s) d’accompagnement": ThematiqueAtelier(s.theme.thematique_coop).label,
                    "Genre du bénéficiaire": GENRES[Genre.NON_COMMUNIQUE],
                    "Tranche d’âge du bénéficiaire": TRANCHES_AGE[TrancheAge.NON_COMMUNIQUE],
                    "Statut du bénéficiaire": STATUT_NON_COMMUNIQUE,
                },
            )


def nombre_de_lignes(annee):
    """Le total du bloc de métadonnées (« Total » : une ligne par personne accompagnée), compté avant d'écrire."""
    presents = _sessions_tenues(annee).values_list("nb_presents", flat=True)
    return (
        Passage.objects.de_l_annee(annee).count()
        + RendezVous.objects.de_l_annee(annee).honores().count()
        + sum(presents)
    )


def lignes_coop(annee):
    orientations_depuis = suivi_depuis()[FamilleSuivie.ORIENTATIONS]
    yield from _passages(annee, orientations_depuis)
    yield from _rendez_vous(annee)
    yield from _ateliers(annee)
