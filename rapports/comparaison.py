"""Règles de comparaison de deux périodes, appliquées par le moteur : toutes les sorties en héritent.

1. Inconnu n'est pas zéro : une feuille d'une famille non suivie une année, ou suivie mais sans aucun
   enregistrement cette année-là (sauf zéro confirmé par la coordination), vaut null ; une part dont la base est
   vide vaut null. La feuille dit pourquoi : `inconnu` = {"valeur"|"precedent": code de raison}.
2. Les parts changent en points : toute feuille de pourcentage porte `evolution_points` = valeur − précédent.
3. Même périmètre ou pas d'évolution : sinon la feuille porte `comparabilite` (la raison) et ses évolutions sont
   null.
4. Les évolutions imprimées se calculent à partir des valeurs imprimées (arrondies) : quand elles diffèrent de
   l'arrondi de l'évolution exacte, la feuille porte `imprime` = {valeur, precedent, evolution} imprimés.
Chaque règle lit la déclaration de l'indicateur (rapports.definitions : nature, périmètre, famille, table), jamais
la forme du chemin : réorganiser l'arbre du JSON ne peut pas changer les règles en silence.
Les tables sont rangées de façon stable (codes dans leur ordre déclaré, noms par ordre alphabétique) : les mêmes
données donnent le même JSON, octet pour octet.
"""

import unicodedata
from dataclasses import dataclass, field

from permanences.enums import Autonomie, Frein, Genre, TrancheAge, TypeDemande

from .definitions import COMPTE, DECIMALES, DEFINITIONS, PART, definition_de, est_le_noeud_de
from .formats import arrondi_affiche
from .indicateurs._outils import arrondi
from .suivi import NON_SUIVI, PARTIEL

# Pourquoi une valeur est null (clé `inconnu` d'une feuille).
NON_SUIVIE = "non_suivi"  # famille pas encore notée cette année-là
AUCUN_ENREGISTREMENT = "aucun_enregistrement"  # suivie (ou section), mais aucun enregistrement dans l'année
BASE_VIDE = "base_vide"  # part ou moyenne d'une base vide (rien à répartir, à diviser)
RAISONS_INCONNU = (NON_SUIVIE, AUCUN_ENREGISTREMENT, BASE_VIDE)

LISTES_DE_CODES = {
    "type_demande": TypeDemande.values,
    "autonomie": Autonomie.values,
    "tranche_age": TrancheAge.values,
    "genre": Genre.values,
    "frein": Frein.values,
}


def evolution_pct(valeur, precedent):
    """100 × (valeur − précédent) ÷ précédent, à 2 décimales ; None si l'un manque ou si précédent vaut 0."""
    if valeur is None or precedent in (None, 0):
        return None
    return arrondi(100 * (valeur - precedent) / precedent)


def evolution_points(valeur, precedent):
    """valeur − précédent (deux parts en %), à 2 décimales ; None si l'une manque."""
    if valeur is None or precedent is None:
        return None
    return arrondi(valeur - precedent)


def nature_de_definition(definition):
    return definition.nature if definition else COMPTE


def valeurs_imprimees(valeur, precedent, nature):
    """Les deux valeurs telles que les documents les impriment (arrondies selon leur nature) et les évolutions
    calculées à partir d'elles, arrondies une seule fois à la décimale imprimée (17 et 21 : −19,0 %, pas l'arrondi
    de −19,05) : ce que le lecteur retrouve en faisant le calcul sur la page."""
    decimales = DECIMALES[nature]
    v, p = arrondi_affiche(valeur, decimales), arrondi_affiche(precedent, decimales)
    if decimales == 0:
        v, p = int(v), int(p)
    return {
        "valeur": v,
        "precedent": p,
        "evolution_pct": None if p == 0 else arrondi_affiche(round(100 * (v - p) / p, 9), 1),
        "evolution_points": arrondi_affiche(round(v - p, 9), 1),
    }


def est_une_part(definition):
    """Une feuille de pourcentage : son indicateur (ou sa table) est déclaré de nature part."""
    return definition is not None and definition.nature == PART


def cle_alphabetique(nom):
    """Ordre alphabétique stable, sans tenir compte des accents ni de la casse (puis le nom exact)."""
    sans_accents = "".join(c for c in unicodedata.normalize("NFKD", str(nom)) if not unicodedata.combining(c))
    return (sans_accents.casefold(), str(nom))


@dataclass
class Annee:
    """Ce qu'il faut savoir d'une des deux périodes comparées."""

    libelle: str  # « 2023 » ou « la période du 01/03/2023 au 31/05/2023 »
    libelle_en: str  # « en 2023 » ou « du 01/03/2023 au 31/05/2023 »
    donnees: dict  # section -> l'application a-t-elle des enregistrements ?
    etats: dict  # famille -> EtatSuivi
    declares: set = field(
        default_factory=set
    )  # indicateurs (chemins pointés) remplacés par un chiffre déclaré
    absentes: set = field(
        default_factory=set
    )  # familles suivies sans aucun enregistrement (ni zéro confirmé)

    def famille_inconnue(self, famille):
        """La famille est-elle inconnue cette année-là (non suivie, ou suivie sans aucun enregistrement) ?"""
        return bool(famille) and (not self.etats[famille].connu or famille in self.absentes)

    def raison_inconnu(self, chemin, definition):
        """Le code de raison d'une valeur null de cette année (RAISONS_INCONNU)."""
        famille = definition.famille if definition else ""
        if famille and not self.etats[famille].connu:
            return NON_SUIVIE
        if famille in self.absentes or not self.donnees.get(chemin[0]):
            return AUCUN_ENREGISTREMENT
        nature = definition.nature if definition else COMPTE
        return AUCUN_ENREGISTREMENT if nature == COMPTE else BASE_VIDE


@dataclass
class Regles:
    courant: Annee
    precedent: Annee
    ordre_demarches: list = field(default_factory=list)

    def ordonner(self, chemin, cles):
        definition = definition_de(chemin)
        if not est_le_noeud_de(definition, chemin) or not definition.table:
            return cles  # l'ordre du moteur (fixe)
        if definition.table == "noms":
            return sorted(cles, key=cle_alphabetique)
        codes = self.ordre_demarches if definition.table == "demarche" else LISTES_DE_CODES[definition.table]
        rang = {code: i for i, code in enumerate(codes)}
        return sorted(cles, key=lambda c: (rang.get(c, len(rang)), cle_alphabetique(c)))

    def raison(self, chemin):
        """Pourquoi les deux périodes ne se comparent pas pour cette feuille, ou "" si elles se comparent."""
        definition = definition_de(chemin)
        if definition is None:
            return ""
        raisons = []
        if definition.famille:
            raisons.append(self._raison_suivi(definition.famille))
        raisons.append(self._raison_declares(definition.perimetre))
        return " ".join(r for r in raisons if r)

    def _raison_suivi(self, famille):
        c, p = self.courant.etats[famille], self.precedent.etats[famille]
        if c.etat == p.etat and c.etat != NON_SUIVI:
            return ""
        if c.depuis is None:
            return f"{c.libelle} : aucun enregistrement, suivi non commencé."
        debut = f"{c.libelle} : suivi commencé le {c.depuis:%d/%m/%Y}"
        if c.etat == NON_SUIVI:
            return (
                f"{debut}, rien n'est connu ni pour {self.courant.libelle} ni pour {self.precedent.libelle}."
            )
        if p.etat == NON_SUIVI:
            partiel = (
                f" ; {self.courant.libelle} n'est compté qu'à partir de cette date"
                if c.etat == PARTIEL
                else ""
            )
            return f"{debut}, rien n'est connu pour {self.precedent.libelle}{partiel}."
        return f"{debut} ; {self.precedent.libelle} n'est comptée qu'à partir de cette date."

    def _raison_declares(self, cles):
        dc = [k for k in cles if k in self.courant.declares]
        dp = [k for k in cles if k in self.precedent.declares]
        if dc == dp:
            return ""

        def noms(liste):
            return ", ".join(DEFINITIONS[k].libelle.removeprefix("dont ") for k in liste)

        if dc and dp:
            return (
                f"Chiffres déclarés différents en {self.courant.libelle} (« {noms(dc)} ») et en "
                f"{self.precedent.libelle} (« {noms(dp)} ») : périmètres différents."
            )
        avec, sans, liste = (self.courant, self.precedent, dc) if dc else (self.precedent, self.courant, dp)
        return (
            f"{avec.libelle} comprend le chiffre déclaré « {noms(liste)} », pas {sans.libelle} : "
            "périmètres différents."
        )

    def feuille(self, valeur, precedent, chemin):
        definition = definition_de(chemin)
        if definition is not None and definition.famille:
            if self.courant.famille_inconnue(definition.famille):
                valeur = None
            if self.precedent.famille_inconnue(definition.famille):
                precedent = None
        raison = self.raison(chemin)
        resultat = {
            "valeur": valeur,
            "precedent": precedent,
            "evolution_pct": None if raison else evolution_pct(valeur, precedent),
        }
        part = est_une_part(definition)
        if part:
            resultat["evolution_points"] = None if raison else evolution_points(valeur, precedent)
        inconnu = {
            cle: annee.raison_inconnu(chemin, definition)
            for cle, annee, v in (("valeur", self.courant, valeur), ("precedent", self.precedent, precedent))
            if v is None
        }
        if inconnu:
            resultat["inconnu"] = inconnu
        if raison:
            resultat["comparabilite"] = raison
        elif valeur is not None and precedent is not None:
            imprime = valeurs_imprimees(valeur, precedent, PART if part else nature_de_definition(definition))
            cle = "evolution_points" if part else "evolution_pct"
            exacte = resultat[cle]
            if imprime[cle] is not None and (
                exacte is None or arrondi_affiche(exacte, 1) != arrondi_affiche(imprime[cle], 1)
            ):
                resultat["imprime"] = {
                    "valeur": imprime["valeur"],
                    "precedent": imprime["precedent"],
                    cle: imprime[cle],
                }
        return resultat

    @staticmethod
    def _defaut(annee, chemin, table):
        """La valeur d'une clé absente d'une table cette année-là : 0 ou inconnue (None)."""
        definition = definition_de(chemin)
        if not annee.donnees[chemin[0]] or (definition and annee.famille_inconnue(definition.famille)):
            return None
        if definition is not None and definition.colonnes and not est_le_noeud_de(definition, chemin):
            return None  # la ligne d'un lieu absent de l'année : aucun enregistrement dans ce lieu
        if est_une_part(definition) and not any(v is not None for v in table.values()):
            return None  # base vide : rien n'est réparti
        return 0

    def comparer(self, courant, precedent, chemin):
        """Assemble deux arbres d'indicateurs en feuilles {valeur, precedent, evolution_pct…}.

        Dans une table de nombres (démarches, thèmes…), une clé absente d'une année vaut 0 si cette année a des
        enregistrements de la section (et de la famille de la table), sinon elle est inconnue (null) ; dans une
        table de parts, elle vaut 0 seulement si la base de l'année n'est pas vide.
        """
        if not (isinstance(courant, dict) or isinstance(precedent, dict)):
            return self.feuille(courant, precedent, chemin)
        courant = courant if isinstance(courant, dict) else {}
        precedent = precedent if isinstance(precedent, dict) else {}
        cles = self.ordonner(chemin, list(courant) + [k for k in precedent if k not in courant])
        valeurs = [*courant.values(), *precedent.values()]
        table_de_nombres = bool(valeurs) and all(not isinstance(v, dict) for v in valeurs)
        defaut_c = self._defaut(self.courant, chemin, courant) if table_de_nombres else None
        defaut_p = self._defaut(self.precedent, chemin, precedent) if table_de_nombres else None
        return {
            k: self.comparer(courant.get(k, defaut_c), precedent.get(k, defaut_p), (*chemin, k)) for k in cles
        }
