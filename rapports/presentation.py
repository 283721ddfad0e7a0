"""Prépare le Bilan pour les personnes : libellés, graphiques, équipe, commentaires, annexe (HTML et PDF)."""

from inclusion.models import Demarche, Intervenant
from permanences.enums import Autonomie, Frein, Genre, TrancheAge, TypeDemande

from . import graphiques
from .definitions import DEFINITIONS, REGLES
from .enums import SectionBilan
from .models import Commentaire

LIBELLES_ENUMS = {
    "types_demande_pct": dict(TypeDemande.choices),
    "autonomie_pct": dict(Autonomie.choices),
    "tranche_age_pct": dict(TrancheAge.choices),
    "genre_pct": dict(Genre.choices),
    "freins_pct": dict(Frein.choices),
}


def graphiques_bilan(indicateurs, annees):
    """Tous les graphiques du Bilan, par section (aucune requête SQL)."""
    demarches = dict(Demarche.objects.values_list("code", "libelle"))
    p, r, a, f = (indicateurs[s] for s in ("permanences", "rendez_vous", "arcs", "formations"))
    par_lieu = p["par_lieu"]
    resultat = {
        "permanences": [
            graphiques.barres(
                "Usagers reçus par lieu",
                list(par_lieu),
                [v["usagers_recus"]["valeur"] for v in par_lieu.values()],
                precedent=[v["usagers_recus"]["precedent"] for v in par_lieu.values()],
                annees=annees,
            ),
            graphiques.barres(
                "Usagers reçus en moyenne par permanence, par lieu",
                list(par_lieu),
                [v["moyenne_usagers_par_permanence"]["valeur"] for v in par_lieu.values()],
                precedent=[v["moyenne_usagers_par_permanence"]["precedent"] for v in par_lieu.values()],
                annees=annees,
            ),
        ],
        "demandes": [
            graphiques.repartition(
                "Types de demandes", p["types_demande_pct"], LIBELLES_ENUMS["types_demande_pct"], annees
            ),
            graphiques.repartition("Démarches accompagnées", p["demarches_pct"], demarches, annees),
        ],
        "orientation": [
            graphiques.barres(
                "Orientations vers les structures partenaires",
                list(p["orientations"]),
                [v["valeur"] for v in p["orientations"].values()],
                precedent=[v["precedent"] for v in p["orientations"].values()],
                annees=annees,
            ),
            graphiques.repartition(
                "Freins à l'autonomie", p["freins_pct"], LIBELLES_ENUMS["freins_pct"], annees
            ),
            graphiques.repartition("Quartiers de résidence", p["quartier_pct"], {}, annees),
        ],
        "public": [
            graphiques.repartition(
                "Autonomie des usagers", p["autonomie_pct"], LIBELLES_ENUMS["autonomie_pct"], annees
            ),
            graphiques.repartition(
                "Âge des usagers", p["tranche_age_pct"], LIBELLES_ENUMS["tranche_age_pct"], annees
            ),
            graphiques.repartition("Genre des usagers", p["genre_pct"], LIBELLES_ENUMS["genre_pct"], annees),
        ],
        "rendez_vous": [
            graphiques.repartition(
                "Rendez-vous : types de demandes",
                r["types_demande_pct"],
                LIBELLES_ENUMS["types_demande_pct"],
                annees,
            ),
            graphiques.repartition("Rendez-vous : démarches", r["demarches_pct"], demarches, annees),
        ],
        "formations": [
            graphiques.barres(
                "Inscriptions par thème",
                list(f["inscriptions_par_theme"]),
                [v["valeur"] for v in f["inscriptions_par_theme"].values()],
                precedent=[v["precedent"] for v in f["inscriptions_par_theme"].values()],
                annees=annees,
            ),
            graphiques.repartition("Structures des participants", f["structures_pct"], {}, annees),
        ],
        "arcs": [
            graphiques.barres(
                "Rendez-vous ARCS tenus par lieu",
                list(a["par_lieu"]),
                [v["valeur"] for v in a["par_lieu"].values()],
                precedent=[v["precedent"] for v in a["par_lieu"].values()],
                annees=annees,
            ),
            graphiques.repartition(
                "Rendez-vous ARCS : âge", a["tranche_age_pct"], LIBELLES_ENUMS["tranche_age_pct"], annees
            ),
            graphiques.repartition(
                "Rendez-vous ARCS : genre", a["genre_pct"], LIBELLES_ENUMS["genre_pct"], annees
            ),
        ],
    }
    return resultat, demarches


def equipe(annee):
    """L'équipe de l'année : intervenants actifs et leurs quotités (2 requêtes)."""
    return list(
        Intervenant.objects.actifs()
        .exclude(fonction="agent_accueil")
        .select_related("structure")
        .prefetch_related("temps_de_travail")
        .order_by("structure__nom", "fonction", "nom")
    )


def commentaires(annee):
    return {c.section: c.texte for c in Commentaire.objects.filter(annee=annee)}


def contexte_bilan(comparaison, *, avec_graphiques=True):
    annee = comparaison.periode.debut.year
    graphes, demarches = (
        graphiques_bilan(comparaison.indicateurs, (annee, annee - 1)) if avec_graphiques else ({}, {})
    )
    ind = comparaison.indicateurs
    return {
        "annee": annee,
        "precedente": annee - 1,
        "ind": ind,
        "graphiques": graphes,
        "libelles_demarches": demarches,
        "libelles": LIBELLES_ENUMS,
        "equipe": equipe(annee),
        "commentaires": commentaires(annee),
        "sections_commentaires": SectionBilan,
        "definitions": DEFINITIONS,
        "regles": REGLES,
        "declares": comparaison.declares,
        "part_prefecture": ind["permanences"]["demarches_pct"].get("prefecture_etrangers"),
        "demarches_prefecture": ind["permanences"]["demarches"].get("prefecture_etrangers"),
    }
