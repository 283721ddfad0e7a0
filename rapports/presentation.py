"""Prépare le Bilan pour les personnes : lignes, phrases, graphiques, équipe, commentaires, annexe (HTML et PDF)."""

import json
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.utils import timezone

from inclusion.enums import Fonction, Quotite
from inclusion.models import ClotureAnnee, Demarche, IdentiteDispositif, Intervenant

from . import analyse, graphiques, phrases
from .a_savoir import a_savoir
from .annexe import REGLES
from .comparaison import cle_alphabetique
from .definitions import DEFINITIONS, NEUTRE, SENS_LIBELLES, TABLES_DANS_L_ORDRE, nature_de
from .enums import FamilleSuivie
from .formats import valeur_fr
from .libelles import LIBELLES_CODES
from .lignes import Lignes
from .models import PointAnalyse, PublicationBilan
from .suivi import NON_SUIVI, PARTIEL

SECTIONS_DU_DOCUMENT = {
    "permanences": "Bilan des permanences numériques",
    "rendez_vous": "Les accompagnements individuels",
    "formations": "Bilan formation",
    "arcs": "Informaticiens publics de l'ARCS",
    "dispositif": "Quelques éléments à retenir",
}
MESSAGES_VIDES = {
    "permanences": "Aucune permanence ni aucun passage enregistré {en}.",
    "rendez_vous": "Aucun rendez-vous individuel des médiateurs enregistré {en}.",
    "arcs": "Aucun rendez-vous ARCS enregistré {en}.",
    "formations": "Aucune session de formation ni aucun accompagnement de professionnel enregistré {en}.",
    "dispositif": "Aucune personne reçue enregistrée ou déclarée {en}.",
}


def _barres_feuilles(titre, table, annees, nature="compte", vide="", demi=True):
    """Barres d'une table {nom: feuille}, de la plus grande valeur à la plus petite."""
    lignes = sorted(table.items(), key=lambda kv: -(kv[1]["valeur"] or 0))
    return graphiques.barres(
        titre,
        [nom for nom, _ in lignes],
        [f["valeur"] for _, f in lignes],
        precedent=[f["precedent"] for _, f in lignes],
        nature=nature,
        annees=annees,
        vide=vide,
        demi=demi,
    )


# Les tables qui ont un graphique, dessiné à côté d'elles ; les autres (deux ou trois parts, types de demandes,
# genre) se lisent dans leur tableau seul : un graphique n'y ajouterait rien.
TABLES_DESSINEES = (
    "permanences.demarches_pct",
    "permanences.autonomie_pct",
    "permanences.tranche_age_pct",
    "permanences.orientations",
    "permanences.freins_pct",
    "permanences.quartier_pct",
    "rendez_vous.demarches_pct",
    "formations.inscriptions_par_theme",
    "formations.structures_pct",
    "arcs.par_lieu",
    "arcs.tranche_age_pct",
)


def graphiques_bilan(lignes, annees):
    """Les graphiques du Bilan, {table (chemin pointé): Graphique}, titrés du libellé de leur table (le même
    partout) ; le graphique par lieu sous le tableau par lieu (aucune requête SQL)."""
    resultat = {}
    for chemin in TABLES_DESSINEES:
        section, cle = chemin.split(".")
        definition = DEFINITIONS[chemin]
        table = lignes.indicateurs[section][cle]
        vide = lignes.message_vide(chemin)
        if definition.en_points:
            libelles = lignes.libelles_codes.get(definition.table, {})
            resultat[chemin] = graphiques.repartition(
                definition.libelle,
                table,
                libelles,
                annees,
                vide=vide,
                ordonne=definition.table in TABLES_DANS_L_ORDRE,
            )
        else:
            resultat[chemin] = _barres_feuilles(definition.libelle, table, annees, vide=vide)
    par_lieu = lignes.indicateurs["permanences"]["par_lieu"]
    resultat["permanences.par_lieu"] = _barres_feuilles(
        f"{DEFINITIONS['permanences.moyenne_usagers_par_permanence'].libelle}, par lieu",
        {k: v["moyenne_usagers_par_permanence"] for k, v in par_lieu.items()},
        annees,
        nature="moyenne",
        demi=False,
    )
    return resultat


@dataclass
class Membre:
    nom: str
    intitule: str
    changements: list  # arrivée, départ, quotité : ce que disent les enregistrements datés de la période


def _changements(intervenant, debut, fin):
    changements = []
    if intervenant.arrivee_le and debut <= intervenant.arrivee_le < fin:
        changements.append(f"arrivée le {intervenant.arrivee_le:%d/%m/%Y}")
    quotites = list(intervenant.temps_de_travail.all())  # rangées par date
    anterieures = [t for t in quotites if t.depuis < debut]
    if anterieures and anterieures[-1].quotite == Quotite.TEMPS_PARTIEL:
        changements.append(f"temps partiel à {anterieures[-1].pourcentage} %")
    for t in quotites:
        if debut <= t.depuis < fin:
            quotite = t.get_quotite_display().lower()
            detail = (
                f" à {t.pourcentage} %" if t.quotite == Quotite.TEMPS_PARTIEL else ""
            )  # pas de (…) dans (…)
            changements.append(f"passage à {quotite}{detail} le {t.depuis:%d/%m/%Y}")
    if intervenant.depart_le and debut <= intervenant.depart_le < fin:
        changements.append(f"départ le {intervenant.depart_le:%d/%m/%Y}")
    return changements


def equipe(*, debut, fin):
    """L'équipe de la période, par structure : {structure: [Membre]} (3 requêtes).

    Les personnes qui ont travaillé dans la période (Intervenant.objects.de_l_equipe), leur intitulé au féminin
    ou au masculin selon leur choix, et les changements datés de la période (arrivée, départ, quotité).
    """
    ordre = {code: i for i, code in enumerate(Fonction.values)}
    membres = sorted(
        Intervenant.objects.de_l_equipe(debut=debut, fin=fin)
        .select_related("structure")
        .prefetch_related("temps_de_travail"),
        key=lambda i: (cle_alphabetique(i.structure.nom), ordre.get(i.fonction, 99), cle_alphabetique(i.nom)),
    )
    resultat = {}
    for i in membres:
        resultat.setdefault(i.structure.nom, []).append(
            Membre(i.nom, i.intitule, _changements(i, debut, fin))
        )
    return resultat


@dataclass
class Point:
    titre: str
    texte: str  # citations de chiffres rendues
    objet: PointAnalyse
    avertissements: list = field(default_factory=list)  # sens contredit par les chiffres (rapports.analyse)


def analyses(annee, indicateurs):
    """{section: [Point]} : l'analyse de l'équipe, chiffres cités rendus à partir des données (1 requête)."""
    resultat = {}
    for point in PointAnalyse.objects.filter(annee=annee):
        resultat.setdefault(point.section, []).append(
            Point(
                point.titre,
                analyse.rendre(point.texte, indicateurs),
                point,
                analyse.verifier(point.titre, point.texte, indicateurs),
            )
        )
    return resultat


def annexe(comparaison, lignes):
    """L'annexe méthodologique : règles, suivi des familles, notes de comparabilité de l'année, définitions."""
    regles = comparaison.regles
    suivi = [
        {
            "famille": FamilleSuivie(famille).label,
            "depuis": date,
            "courant": _etat_lisible(regles.courant.etats[famille]),
            "precedent": _etat_lisible(regles.precedent.etats[famille]),
        }
        for famille, date in comparaison.suivi_depuis.items()
    ]
    notes = {}
    for chemin, feuille in feuilles_de(comparaison.indicateurs):
        if feuille.get("comparabilite"):
            notes.setdefault(feuille["comparabilite"], []).append(_libelle_regroupe(lignes, chemin))
    definitions = [
        {
            "libelle": d.libelle,
            "definition": d.definition,
            "formule": d.formule,
            "evolution": "en points" if d.en_points else "en %",
            "sens": SENS_LIBELLES[d.sens],
            # Ce qui s'écarte de la règle commune (évolution en %, hausse ni bonne ni mauvaise) : dit une fois.
            "particularites": " ; ".join(
                m
                for m in (
                    "évolution en points" if d.en_points else "",
                    f"une hausse : {SENS_LIBELLES[d.sens]}" if d.sens != NEUTRE else "",
                    f"seuil {d.seuil_lisible}" if d.seuil is not None else "",
                )
                if m
            ),
            "famille": FamilleSuivie(d.famille).label if d.famille else "",
            "section": SECTIONS_DU_DOCUMENT.get(cle.split(".")[0], ""),
        }
        for cle, d in DEFINITIONS.items()
    ]
    return {
        "resume": resume_de_l_annexe(comparaison, notes),
        "regles": REGLES,
        "a_savoir": a_savoir(comparaison.indicateurs),
        "suivi": suivi,
        "notes": [
            {"raison": raison, "indicateurs": list(dict.fromkeys(qui))} for raison, qui in notes.items()
        ],
        "declares": [
            (annee, c, DEFINITIONS[c.indicateur].libelle if c.indicateur in DEFINITIONS else c.indicateur)
            for annee, c in comparaison.declares
        ],
        "definitions": definitions,
    }


def resume_de_l_annexe(comparaison, notes):
    """L'annexe en quelques phrases simples, avec les chiffres de l'année (ce qui ne se compare pas, ce qui est
    déclaré) : ce qu'un lecteur pressé doit savoir avant de lire les chiffres."""
    regles = comparaison.regles
    annee, precedente = regles.courant.libelle, regles.precedent.libelle
    declares = [c for a, c in comparaison.declares if str(a) == annee]
    phrases_resume = [
        f"Les chiffres de {annee} sont comptés par l'application à partir de ce que l'équipe a saisi au fil "
        "de l'année : accompagnements, refus à l'accueil, rendez-vous, formations."
        + (
            f" S'y ajoute{'nt' if len(declares) > 1 else ''} {len(declares)} chiffre{'s' if len(declares) > 1 else ''} "
            "que l'application n'enregistre pas, déclaré par la coordination avec sa source (tableau ci-dessous)."
            if declares
            else ""
        ),
        f"Chaque chiffre est comparé à {precedente}, mais seulement quand les deux années sont comptées de la même "
        "façon. "
        + (
            f"Cette année, {len(notes)} raison{'s' if len(notes) > 1 else ''} empêche{'nt' if len(notes) > 1 else ''} "
            "certaines comparaisons (détail ci-dessous) : le Bilan écrit alors « non comparable » plutôt qu'un "
            "chiffre trompeur."
            if notes
            else "Cette année, toutes les comparaisons se font sur la même base."
        ),
        "Un tiret « — » veut dire que le chiffre n'est pas connu : ce n'est jamais un zéro.",
        "Une flèche ▲ ou ▼ signale une évolution assez nette pour compter (au moins 2 %, ou 1 point pour une "
        "part) ; elle est verte quand c'est une bonne nouvelle, rouge quand c'en est une mauvaise, et sans "
        "couleur quand une hausse n'est ni l'une ni l'autre (plus de personnes reçues peut dire plus de besoins).",
        "Les évolutions se calculent sur les chiffres imprimés : chacun peut refaire le calcul sur la page.",
        "Personne n'est nommé : les accompagnements sont enregistrés sans nom.",
    ]
    return phrases_resume


def _libelle_regroupe(lignes, chemin):
    """Le libellé d'une feuille dans les notes de l'annexe : une table ou une colonne par lieu, une seule fois."""
    if len(chemin) == 3:
        return DEFINITIONS[f"{chemin[0]}.{chemin[1]}"].libelle
    if len(chemin) >= 4:
        return f"{DEFINITIONS[f'{chemin[0]}.{chemin[-1]}'].libelle}, par lieu"
    return lignes.libelle_de(chemin)


def _etat_lisible(etat):
    if etat.etat == NON_SUIVI:
        return "non suivi"
    if etat.etat == PARTIEL:
        return f"à partir du {etat.depuis:%d/%m/%Y}"
    return "suivi"


def feuilles_de(noeud, chemin=()):
    """Toutes les feuilles {valeur, precedent…} d'un arbre comparé, avec leur chemin (tuple de clés)."""
    for cle, valeur in noeud.items():
        if isinstance(valeur, dict) and "valeur" in valeur and "precedent" in valeur:
            yield (*chemin, cle), valeur
        elif isinstance(valeur, dict):
            yield from feuilles_de(valeur, (*chemin, cle))


def libelles_codes():
    """{liste de codes: {code: libellé}}, démarches comprises (1 requête)."""
    return {**LIBELLES_CODES, "demarche": dict(Demarche.objects.values_list("code", "libelle"))}


def contexte_bilan(comparaison, *, avec_graphiques=True):
    annee = comparaison.periode.debut.year
    regles = comparaison.regles
    libelles = libelles_codes()
    ind = comparaison.indicateurs
    lignes = Lignes(comparaison, libelles)
    graphes = graphiques_bilan(lignes, (annee, annee - 1)) if avec_graphiques else {}
    courant, precedent = regles.courant, regles.precedent
    return {
        "annee": annee,
        "precedente": annee - 1,
        "identite": IdentiteDispositif.actuelle(),
        "edition": f"Édition du {timezone.localdate():%d/%m/%Y}",
        "ind": ind,
        "lignes": lignes,
        "phrases": {
            "a_la_une": phrases.a_la_une(ind, courant, precedent),
            "permanences": phrases.permanences(ind, courant, precedent),
            "par_lieu": phrases.par_lieu(ind, precedent),
            "refus": phrases.refus(ind, courant, precedent),
            "demandes": phrases.demandes(ind, precedent, libelles["demarche"]),
            "formations": phrases.formations(ind, precedent),
            "dispositif": phrases.dispositif(ind, courant, precedent),
        },
        "vides": {
            section: ""
            if (courant.donnees.get(section) or section == "dispositif" and comparaison.a_des_donnees)
            else message.format(en=courant.libelle_en)
            for section, message in MESSAGES_VIDES.items()
        },
        "graphiques": graphes,
        "equipe": equipe(debut=comparaison.periode.debut, fin=comparaison.periode.fin),
        "analyses": analyses(annee, ind),
        # Les parties faites seulement des mots de l'équipe : sans point, absentes du PDF, et la page invite à écrire.
        "sections_a_ecrire": ("analyse_permanences", "analyse_formations"),
        "annexe": annexe(comparaison, lignes),
    }


@dataclass
class Difference:
    libelle: str
    quoi: str  # « 2023 » ou « 2022 »
    publie: str
    actuel: str


def etat_de_publication(comparaison, lignes):
    """Clôture, versions publiées et chiffres qui ont changé depuis la dernière (2 requêtes)."""
    annee = comparaison.periode.debut.year
    publications = list(
        PublicationBilan.objects.filter(annee=annee)
        .select_related("publie_par")
        .defer("pdf")
        .order_by("-version")
    )
    cloture = ClotureAnnee.objects.filter(annee=annee).first()
    differences = _differences(json.loads(publications[0].json), comparaison, lignes) if publications else []
    return {
        "publications": publications,
        "derniere": publications[0] if publications else None,
        "close": bool(cloture and cloture.close),
        "cloture": cloture,
        "differences": differences,
        "publiable": annee < timezone.localdate().year and not (cloture and cloture.close),
    }


def _differences(publie, comparaison, lignes):
    """Les feuilles dont la valeur ou la valeur précédente a changé depuis la publication."""
    courant = {s: comparaison.indicateurs[s] for s in comparaison.indicateurs}
    anciennes = dict(feuilles_de({s: publie.get(s, {}) for s in courant}))
    actuelles = dict(feuilles_de(courant))
    annees = {
        "valeur": str(comparaison.periode.debut.year),
        "precedent": str(comparaison.periode.debut.year - 1),
    }
    resultat = []
    for chemin in [*actuelles, *(c for c in anciennes if c not in actuelles)]:
        avant, maintenant = anciennes.get(chemin, {}), actuelles.get(chemin, {})
        nature = nature_de(chemin)
        for cle, quoi in annees.items():
            if avant.get(cle) != maintenant.get(cle):
                resultat.append(
                    Difference(
                        lignes.libelle_de(chemin),
                        quoi,
                        valeur_fr(avant.get(cle), nature),
                        valeur_fr(maintenant.get(cle), nature),
                    )
                )
    return resultat


def reponse_publiee(publication, format="json"):
    """Le Bilan d'une année close tel qu'il a été publié (JSON ou PDF gardés), avec sa version : l'API et les
    pages servent ces chiffres-là, pas un nouveau calcul."""
    if format == "pdf":
        reponse = HttpResponse(bytes(publication.pdf), content_type="application/pdf")
        reponse["Content-Disposition"] = f'attachment; filename="bilan-{publication.annee}.pdf"'
    else:
        reponse = HttpResponse(publication.json, content_type="application/json")
    reponse["X-Bilan-Version-Publiee"] = str(publication.version)
    reponse["X-Bilan-Publie-Le"] = publication.publie_le.isoformat()
    return reponse
