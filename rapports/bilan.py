"""Assemble les indicateurs d'une période et de la même période un an plus tôt, avec les chiffres déclarés."""

import datetime
import json
from dataclasses import dataclass, field
from decimal import Decimal

from inclusion.models import Demarche

from .comparaison import Annee, Regles
from .indicateurs import (
    deriver_permanences,
    indicateurs_dispositif,
    indicateurs_formations,
    indicateurs_permanences,
    indicateurs_rendez_vous,
)
from .indicateurs._outils import pct
from .models import ChiffreExterne
from .suivi import etats_suivi, suivi_depuis, zeros_confirmes

SECTIONS = ("permanences", "rendez_vous", "arcs", "formations", "dispositif")
CLE_EXTERNES = "dispositif.personnes_recues_externes"


@dataclass(frozen=True)
class Periode:
    debut: datetime.date
    fin: datetime.date  # exclue

    @classmethod
    def annee(cls, annee):
        return cls(datetime.date(annee, 1, 1), datetime.date(annee + 1, 1, 1))

    def un_an_avant(self):
        return Periode(_moins_un_an(self.debut), _moins_un_an(self.fin))

    @property
    def libelle(self):
        """« 2023 » pour une année civile, sinon « la période du 01/03/2023 au 31/05/2023 »."""
        if self.annee_civile:
            return str(self.annee_civile)
        return f"la période du {self.debut:%d/%m/%Y} au {self.fin - datetime.timedelta(days=1):%d/%m/%Y}"

    @property
    def libelle_en(self):
        """« en 2023 » ou « du 01/03/2023 au 31/05/2023 » (pour une phrase)."""
        if self.annee_civile:
            return f"en {self.annee_civile}"
        return self.libelle.removeprefix("la période ")

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
    declares: list = field(default_factory=list)  # ChiffreExterne utilisés
    presentes: dict = field(default_factory=dict)  # famille -> au moins un enregistrement dans la période ?

    @property
    def cles_declarees(self):
        return {c.indicateur for c in self.declares}


def _nombre(valeur):
    valeur = Decimal(valeur)
    return int(valeur) if valeur == valeur.to_integral_value() else float(valeur)


def _vider(valeur):
    """Même forme, valeurs inconnues : une section sans aucun enregistrement n'affiche pas de zéros trompeurs."""
    if isinstance(valeur, dict):
        return {}
    return None


# Ce qui reste connu d'une section sans aucun enregistrement : les créneaux en vigueur (le planning, pas une saisie).
CONNUS_SANS_ENREGISTREMENT = {"permanences": {"permanences_par_semaine"}}


def calculer_periode(periode, *, lieux=None, intervenants=None, externes=None, suivi=None):
    """Indicateurs bruts d'une période. `externes` : {indicateur: ChiffreExterne} de l'année, ou None ;
    `suivi` : {famille: EtatSuivi} de la période (None : tout est suivi).

    Étapes : les indicateurs des enregistrements ; les sections sans enregistrement vidées ; les chiffres
    déclarés mis à la place de leurs indicateurs ; les indicateurs calculés à partir d'eux recalculés ; le
    dispositif, qui additionne les sections et les personnes reçues déclarées."""
    externes = externes or {}
    sections, donnees, presentes = _indicateurs_enregistres(
        debut=periode.debut, fin=periode.fin, lieux=lieux, intervenants=intervenants, suivi=suivi
    )
    _vider_sections_sans_enregistrement(sections, donnees)
    substitues = _substituer_declares(sections, donnees, externes)
    _recalculer_derives(sections, substitues)
    declares = _avec_personnes_recues_declarees(substitues, externes)
    sections["dispositif"] = _dispositif(sections, externes, declares)
    donnees["dispositif"] = any(donnees.values()) or externes.get(CLE_EXTERNES) is not None
    return ResultatPeriode(sections, donnees, declares, presentes)


def _indicateurs_enregistres(*, suivi, **filtres):
    """Les indicateurs des quatre sections enregistrées, si chacune a des enregistrements, et les familles
    présentes : (sections, donnees, presentes)."""
    permanences, d_perm, presentes = indicateurs_permanences(**filtres, suivi=suivi)
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
    return sections, donnees, presentes


def _vider_sections_sans_enregistrement(sections, donnees):
    """Une section sans aucun enregistrement garde sa forme, valeurs inconnues (sauf CONNUS_SANS_ENREGISTREMENT)."""
    for nom, section in sections.items():
        if not donnees[nom]:
            garder = CONNUS_SANS_ENREGISTREMENT.get(nom, set())
            sections[nom] = {k: (v if k in garder else _vider(v)) for k, v in section.items()}


def _substituer_declares(sections, donnees, externes):
    """Met chaque chiffre déclaré à la place de son indicateur quand sa section n'a aucun enregistrement ;
    renvoie les chiffres utilisés, dans l'ordre des chiffres déclarés."""
    utilises = []
    for cle, chiffre in externes.items():
        nom, _, indicateur = cle.partition(".")
        if nom in sections and not donnees[nom] and indicateur in sections[nom]:
            sections[nom][indicateur] = _nombre(chiffre.valeur)
            utilises.append(chiffre)
    return utilises


def _recalculer_derives(sections, substitues):
    """Recalcule les indicateurs d'une section calculés à partir d'autres (moyennes, parts) quand un chiffre
    déclaré a remplacé l'un d'eux."""
    modifiees = {c.indicateur.partition(".")[0] for c in substitues}
    if "permanences" in modifiees:
        deriver_permanences(sections["permanences"])
    if "formations" in modifiees:
        f = sections["formations"]
        f["taux_annulation_pct"] = pct(f.get("sessions_annulees"), f.get("sessions_programmees"))


def _avec_personnes_recues_declarees(substitues, externes):
    """Les chiffres déclarés de la période : ceux mis à la place d'un indicateur, puis les personnes reçues
    déclarées (qui ne remplacent rien : le dispositif les ajoute)."""
    chiffre = externes.get(CLE_EXTERNES)
    return substitues + ([chiffre] if chiffre is not None else [])


def _dispositif(sections, externes, declares):
    """La section dispositif, calculée à partir des trois sections des personnes reçues."""
    chiffre = externes.get(CLE_EXTERNES)
    return indicateurs_dispositif(
        permanences=sections["permanences"],
        rendez_vous=sections["rendez_vous"],
        arcs=sections["arcs"],
        externes=_nombre(chiffre.valeur) if chiffre is not None else None,
        declares={c.indicateur for c in declares},
    )


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
    regles: Regles  # ce que le moteur sait de chacune des deux périodes (données, suivi, chiffres déclarés)
    suivi_depuis: dict  # {famille: date ou None}

    @property
    def donnees(self):
        return self.regles.courant.donnees

    @property
    def a_des_donnees(self):
        """La période a-t-elle le moindre enregistrement ou chiffre déclaré ?"""
        return any(self.donnees.values()) or bool(self.regles.courant.declares)


def comparer_periodes(periode, *, lieux=None, intervenants=None):
    """Indicateurs de la période et de la même période un an plus tôt ; chiffres déclarés pour une année civile."""
    avant = periode.un_an_avant()
    annee = periode.annee_civile
    externes = charger_externes([annee, annee - 1]) if annee and not lieux and not intervenants else {}
    depuis = suivi_depuis()
    etats = {p: etats_suivi(depuis, debut=p.debut, fin=p.fin) for p in (periode, avant)}
    courant = calculer_periode(
        periode, lieux=lieux, intervenants=intervenants, externes=externes.get(annee), suivi=etats[periode]
    )
    precedent = calculer_periode(
        avant,
        lieux=lieux,
        intervenants=intervenants,
        externes=externes.get(annee - 1) if annee else None,
        suivi=etats[avant],
    )
    confirmes = zeros_confirmes()
    regles = Regles(
        Annee(
            periode.libelle,
            periode.libelle_en,
            courant.donnees,
            etats[periode],
            courant.cles_declarees,
            absentes=_absentes(courant, etats[periode], confirmes.get(periode.debut.year, set())),
        ),
        Annee(
            avant.libelle,
            avant.libelle_en,
            precedent.donnees,
            etats[avant],
            precedent.cles_declarees,
            absentes=_absentes(precedent, etats[avant], confirmes.get(avant.debut.year, set())),
        ),
        ordre_demarches=list(Demarche.objects.values_list("code", flat=True)),
    )
    indicateurs = {
        nom: regles.comparer(courant.sections[nom], precedent.sections[nom], (nom,)) for nom in SECTIONS
    }
    declares = [(periode.debut.year, c) for c in courant.declares] + [
        (avant.debut.year, c) for c in precedent.declares
    ]
    return Comparaison(periode, indicateurs, declares, regles, depuis)


def _absentes(resultat, etats, confirmees):
    """Familles suivies dans la période mais sans aucun enregistrement : inconnues (null), pas une année de zéros,
    sauf si la coordination a confirmé que le zéro est réel cette année-là."""
    return {
        famille
        for famille, presente in resultat.presentes.items()
        if not presente and etats[famille].connu and famille not in confirmees
    }


VERSION_JSON = 2


def message_aucune_donnee(annee):
    return f"Aucune donnée pour {annee} : aucun enregistrement ni chiffre déclaré, pas de Bilan à produire."


def en_json(comparaison):
    """Le Bilan au format JSON documenté dans le README (contrat versionné, déterministe)."""
    return {
        "version": VERSION_JSON,
        "annee": comparaison.periode.debut.year,
        "suivi_depuis": {
            famille: date.isoformat() if date else None for famille, date in comparaison.suivi_depuis.items()
        },
        **comparaison.indicateurs,
        "chiffres_declares": [
            {"annee": a, "indicateur": c.indicateur, "valeur": _nombre(c.valeur), "source": c.source}
            for a, c in comparaison.declares
        ],
    }


def json_du_bilan(comparaison):
    """Le texte JSON du Bilan, le même pour la page, la commande et la publication (mêmes données, mêmes octets)."""
    return json.dumps(en_json(comparaison), ensure_ascii=False, indent=2)


def bilan_json(annee):
    return en_json(comparer_periodes(Periode.annee(annee)))
