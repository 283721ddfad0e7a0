"""Assemble les indicateurs d'une période et de la même période un an plus tôt, avec les chiffres déclarés."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from .indicateurs import (
    deriver_permanences,
    indicateurs_dispositif,
    indicateurs_formations,
    indicateurs_permanences,
    indicateurs_rendez_vous,
)
from .indicateurs._outils import arrondi, pct
from .models import ChiffreExterne

SECTIONS = ("permanences", "rendez_vous", "arcs", "formations", "dispositif")
CLE_EXTERNES = "dispositif.personnes_recues_externes"


@dataclass
class Periode:
    debut: datetime.date
    fin: datetime.date  # exclue

    @classmethod
    def annee(cls, annee):
        return cls(datetime.date(annee, 1, 1), datetime.date(annee + 1, 1, 1))

    def un_an_avant(self):
        return Periode(_moins_un_an(self.debut), _moins_un_an(self.fin))

    @property
    def annee_civile(self):
        """L'année si la période est exactement une année civile, sinon None."""
        if self.debut.month == self.debut.day == 1 and self.fin == datetime.date(self.debut.year + 1, 1, 1):
            return self.debut.year
        return None


def _moins_un_an(jour):
    try:
        return jour.replace(year=jour.year - 1)
    except ValueError:  # 29 février
        return jour.replace(year=jour.year - 1, day=28)


@dataclass
class ResultatPeriode:
    sections: dict
    donnees: dict  # section -> le logiciel a-t-il des enregistrements ?
    declares: list = field(default_factory=list)


def _nombre(valeur):
    valeur = Decimal(valeur)
    return int(valeur) if valeur == valeur.to_integral_value() else float(valeur)


def _vider(valeur):
    """Même forme, valeurs inconnues : une section sans aucun enregistrement n'affiche pas de zéros trompeurs."""
    if isinstance(valeur, dict):
        return {}
    return None


def calculer_periode(periode, *, lieux=None, intervenants=None, externes=None):
    """Indicateurs bruts d'une période. `externes` : {indicateur: ChiffreExterne} de l'année, ou None."""
    filtres = {"debut": periode.debut, "fin": periode.fin, "lieux": lieux, "intervenants": intervenants}
    permanences, d_perm = indicateurs_permanences(**filtres)
    rendez_vous, arcs, d_rdv = indicateurs_rendez_vous(**filtres)
    formations, d_form = indicateurs_formations(**filtres)
    sections = {
        "permanences": permanences,
        "rendez_vous": rendez_vous,
        "arcs": arcs,
        "formations": formations,
    }
    donnees = {
        "permanences": d_perm,
        "rendez_vous": d_rdv["rendez_vous"],
        "arcs": d_rdv["arcs"],
        "formations": d_form,
    }
    for nom, section in sections.items():
        if not donnees[nom]:
            # Les créneaux en vigueur restent connus même sans permanence saisie.
            garder = {"permanences_par_semaine"} if nom == "permanences" else set()
            sections[nom] = {k: (v if k in garder else _vider(v)) for k, v in section.items()}

    declares = []
    externes = externes or {}
    for cle, chiffre in externes.items():
        nom, _, indicateur = cle.partition(".")
        if nom in sections and not donnees[nom] and indicateur in sections[nom]:
            sections[nom][indicateur] = _nombre(chiffre.valeur)
            declares.append(chiffre)
    if any(c.indicateur.startswith("permanences.") for c in declares):
        deriver_permanences(sections["permanences"])
    if any(c.indicateur.startswith("formations.") for c in declares):
        f = sections["formations"]
        f["taux_annulation_pct"] = pct(f.get("sessions_annulees"), f.get("sessions_programmees"))
    chiffre_ext = externes.get(CLE_EXTERNES)
    if chiffre_ext is not None:
        declares.append(chiffre_ext)
    sections["dispositif"] = indicateurs_dispositif(
        permanences=sections["permanences"],
        rendez_vous=sections["rendez_vous"],
        arcs=sections["arcs"],
        externes=_nombre(chiffre_ext.valeur) if chiffre_ext is not None else None,
    )
    donnees["dispositif"] = any(donnees.values()) or chiffre_ext is not None
    return ResultatPeriode(sections, donnees, declares)


def evolution_pct(valeur, precedent):
    if valeur is None or precedent in (None, 0):
        return None
    return arrondi(100 * (valeur - precedent) / precedent)


def _feuille(valeur, precedent):
    return {"valeur": valeur, "precedent": precedent, "evolution_pct": evolution_pct(valeur, precedent)}


def comparer(courant, precedent, donnees_courant=True, donnees_precedent=True):
    """Assemble deux arbres d'indicateurs en feuilles {valeur, precedent, evolution_pct}.

    Dans une table de nombres (démarches, thèmes…), une clé absente d'une année vaut 0 si cette année a des
    enregistrements de ce type, sinon elle est inconnue (null).
    """
    if isinstance(courant, dict) or isinstance(precedent, dict):
        courant = courant if isinstance(courant, dict) else {}
        precedent = precedent if isinstance(precedent, dict) else {}
        cles = list(courant) + [k for k in precedent if k not in courant]
        valeurs = list(courant.values()) + list(precedent.values())
        table_de_nombres = bool(valeurs) and all(not isinstance(v, dict) for v in valeurs)
        defaut_c = 0 if (table_de_nombres and donnees_courant) else None
        defaut_p = 0 if (table_de_nombres and donnees_precedent) else None
        return {
            k: comparer(
                courant.get(k, defaut_c), precedent.get(k, defaut_p), donnees_courant, donnees_precedent
            )
            for k in cles
        }
    return _feuille(courant, precedent)


def charger_externes(annees):
    """Chiffres déclarés des années données, en une requête : {annee: {indicateur: ChiffreExterne}}."""
    resultat = {annee: {} for annee in annees}
    for chiffre in ChiffreExterne.objects.filter(annee__in=annees):
        resultat[chiffre.annee][chiffre.indicateur] = chiffre
    return resultat


@dataclass
class Comparaison:
    periode: Periode
    indicateurs: dict  # {section: arbre de feuilles}
    declares: list  # [(annee, ChiffreExterne)]
    donnees: dict
    donnees_precedent: dict


def comparer_periodes(periode, *, lieux=None, intervenants=None):
    """Indicateurs de la période et de la même période un an plus tôt ; chiffres déclarés pour une année civile."""
    avant = periode.un_an_avant()
    annee = periode.annee_civile
    externes = charger_externes([annee, annee - 1]) if annee and not lieux and not intervenants else {}
    courant = calculer_periode(periode, lieux=lieux, intervenants=intervenants, externes=externes.get(annee))
    precedent = calculer_periode(
        avant, lieux=lieux, intervenants=intervenants, externes=externes.get(annee - 1) if annee else None
    )
    indicateurs = {
        nom: comparer(
            courant.sections[nom], precedent.sections[nom], courant.donnees[nom], precedent.donnees[nom]
        )
        for nom in SECTIONS
    }
    declares = [(periode.debut.year, c) for c in courant.declares] + [
        (avant.debut.year, c) for c in precedent.declares
    ]
    return Comparaison(periode, indicateurs, declares, courant.donnees, precedent.donnees)


def en_json(comparaison):
    """Le Bilan au format JSON documenté dans le README (contrat stable)."""
    return {
        "annee": comparaison.periode.debut.year,
        **comparaison.indicateurs,
        "chiffres_declares": [
            {"annee": a, "indicateur": c.indicateur, "valeur": _nombre(c.valeur), "source": c.source}
            for a, c in comparaison.declares
        ],
    }


def bilan_json(annee):
    return en_json(comparer_periodes(Periode.annee(annee)))
