"""Export XLSX dans le vocabulaire de la Coop de la médiation numérique (ANCT).

Correspondances (reprises dans le README) :
- type d'activité : démarche en ligne → « Aide aux démarches administratives » ; accompagnement technique →
  « Accompagnement individuel » ;
- thématique : celle de la démarche (liste de la Coop) ; « Prendre en main du matériel » pour l'aide technique ;
- autonomie : autonome → « Autonome » ; partiellement autonome → « Partiellement autonome » ; entièrement
  accompagné et fait à sa place → « Entièrement accompagné » ;
- tranches d'âge : codes identiques à ceux de la Coop ; durée : en minutes et dans les tranches de la Coop.
"""

from inclusion.enums import Thematique
from permanences.enums import TrancheAge, TypeDemande
from permanences.models import Passage, RendezVous

TYPE_ACTIVITE = {
    TypeDemande.DEMARCHE_EN_LIGNE: "Aide aux démarches administratives",
    TypeDemande.ACCOMPAGNEMENT_TECHNIQUE: "Accompagnement individuel",
}
AUTONOMIE = {
    "autonome": "Autonome",
    "partiellement_autonome": "Partiellement autonome",
    "accompagne": "Entièrement accompagné",
    "fait_a_sa_place": "Entièrement accompagné",
}
THEMATIQUES = dict(Thematique.choices)
AGES = dict(TrancheAge.choices)
GENRES = {"feminin": "Féminin", "masculin": "Masculin", "non_communique": "Non communiqué"}


def tranche_duree(minutes):
    if minutes is None:
        return ""
    if minutes < 30:
        return "Moins de 30 min"
    if minutes <= 60:
        return "30 min à 1 h"
    if minutes <= 120:
        return "1 h à 2 h"
    return "Plus de 2 h"


def _ligne(date, lieu, type_demande, thematique, demarche, duree, autonomie, age, genre):
    return (
        date,
        lieu,
        TYPE_ACTIVITE.get(type_demande, ""),
        THEMATIQUES.get(thematique, "Prendre en main du matériel" if type_demande else ""),
        demarche or "",
        duree,
        tranche_duree(duree),
        AUTONOMIE.get(autonomie, ""),
        AGES.get(age, ""),
        GENRES.get(genre, ""),
    )


ENTETES = (
    "Date",
    "Lieu",
    "Type d'activité",
    "Thématique",
    "Démarche",
    "Durée (min)",
    "Durée (Coop)",
    "Autonomie",
    "Tranche d'âge",
    "Genre",
)


def feuilles_coop(annee):
    """Les feuilles du classeur pour la Coop : {nom: (en-têtes, lignes)}, lues en flux."""
    passages = (
        Passage.objects.de_l_annee(annee)
        .order_by("permanence__date", "pk")
        .values_list(
            "permanence__date",
            "permanence__lieu__nom",
            "type_demande",
            "demarche__thematique",
            "demarche__libelle",
            "duree_minutes",
            "autonomie",
            "tranche_age",
            "genre",
        )
        .iterator(chunk_size=5000)
    )
    rdvs = (
        RendezVous.objects.de_l_annee(annee)
        .honores()
        .order_by("date", "pk")
        .values_list(
            "date",
            "lieu__nom",
            "type_demande",
            "demarche__thematique",
            "demarche__libelle",
            "duree_minutes",
            "tranche_age",
            "genre",
            "service",
        )
        .iterator(chunk_size=5000)
    )
    return {
        "Passages": (ENTETES, (_ligne(*p) for p in passages)),
        "Rendez-vous": (
            (*ENTETES, "Service"),
            (
                (*_ligne(d, lieu, t, th, dem, duree, "", age, g), s)
                for d, lieu, t, th, dem, duree, age, g, s in rdvs
            ),
        ),
    }
