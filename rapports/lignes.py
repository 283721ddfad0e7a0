"""Les lignes des tableaux du Bilan et du tableau de bord, préparées en Python à partir des feuilles comparées.

Chaque ligne porte le libellé de rapports.definitions, les valeurs mises en forme par rapports.formats (« non
suivi » quand la famille d'enregistrements ne l'était pas), l'évolution en % ou en points, la couleur selon ce
que signifie une hausse, et la raison quand les deux périodes ne se comparent pas.
"""

from dataclasses import dataclass, field

from .comparaison import AUCUN_ENREGISTREMENT, BASE_VIDE
from .definitions import DEFINITIONS, FAVORABLE, MINUTES, NEUTRE, TABLES_DANS_L_ORDRE, definition_de
from .formats import FLECHES, arrondi_affiche, ecart_fr, evolution_affichee, evolution_fr, valeur_fr
from .premiere_page import CHIFFRES_CLES, MAXIMUMS

NON_SUIVI = "non suivi"

# Les tableaux d'indicateurs simples de chaque section, dans l'ordre du document.
GROUPES = {
    "permanences": [
        "permanences.usagers_recus",
        "permanences.permanences_tenues",
        "permanences.permanences_par_semaine",
        "permanences.mediateurs",
        "permanences.moyenne_usagers_par_permanence",
        "permanences.refus",
        "permanences.personnes_en_demande",
        "permanences.taux_sans_reponse_pct",
        "permanences.attente_moyenne_minutes",
    ],
    "demandes": [
        "permanences.duree_moyenne_minutes",
        "permanences.duree_max_minutes",
        "permanences.autre_venue_necessaire_pct",
    ],
    "quartiers": ["permanences.qpv_pct"],
    "rendez_vous": [
        "rendez_vous.realises",
        "rendez_vous.absents",
        "rendez_vous.duree_moyenne_minutes",
        "rendez_vous.duree_max_minutes",
    ],
    "formations": [
        "formations.sessions_programmees",
        "formations.sessions_tenues",
        "formations.sessions_annulees",
        "formations.taux_annulation_pct",
        "formations.themes",
        "formations.inscriptions",
        "formations.participants",
        "formations.accompagnements_individuels",
        "formations.duree_moyenne_accompagnement_minutes",
    ],
    "arcs": ["arcs.rendez_vous_tenus"],
    # « dont … déclarées » juste sous le total dont il fait partie, pas sous le total des enregistrements seuls.
    "dispositif": [
        "dispositif.personnes_recues",
        "dispositif.personnes_recues_externes",
        "dispositif.personnes_recues_hors_declares",
    ],
}


def sens_notable(definition, evolution):
    """« hausse », « baisse » ou "" : l'évolution imprimée atteint-elle le seuil de l'indicateur ?"""
    if definition is None or evolution is None:
        return ""
    arrondie = arrondi_affiche(evolution, 1)
    if arrondie == 0 or abs(arrondie) < definition.seuil_notable:
        return ""
    return "hausse" if arrondie > 0 else "baisse"


def classe_evolution(definition, evolution):
    """« favorable », « defavorable » ou "" (neutre, sous le seuil, nulle ou non calculée), d'après l'évolution
    imprimée."""
    sens = sens_notable(definition, evolution)
    if not sens or definition.sens == NEUTRE:
        return ""
    return "favorable" if (sens == "hausse") == (definition.sens == FAVORABLE) else "defavorable"


LECTURES = {"favorable": "bonne nouvelle", "defavorable": "mauvaise nouvelle", "": ""}


def raison_lisible(code, annee_en, definition):
    """La raison d'une valeur inconnue, en une phrase (note sous un tableau, ligne d'un grand chiffre)."""
    if code == AUCUN_ENREGISTREMENT:
        if definition is not None and definition.famille:
            return (
                f"{annee_en.capitalize()}, aucun enregistrement ({definition.famille_libelle.lower()}) : inconnu, "
                "pas zéro (la coordination peut confirmer un zéro réel dans « Suivi des données »)."
            )
        return f"Aucun enregistrement {annee_en}."
    if code == BASE_VIDE:
        return f"Base vide {annee_en} (rien à répartir ou à diviser) : non calculable."
    return ""


@dataclass
class Ligne:
    libelle: str
    valeur: str
    precedent: str
    evolution: str
    classe: str = ""
    note: str = ""
    renvoi: int = 0  # numéro de la note sous le tableau
    stable: bool = False  # évolution calculée, nulle une fois arrondie
    sens: str = ""  # « hausse » ou « baisse » quand l'évolution atteint le seuil de l'indicateur
    court: str = ""  # grand chiffre : son évolution ou sa raison, en une ligne courte (la raison va en note)
    complement: str = ""  # grand chiffre : « jusqu'à 2 h 00 » à côté d'une durée moyenne

    @property
    def dont(self):
        """Une ligne « dont … » : une partie de la ligne du dessus (imprimée en retrait)."""
        return self.libelle.startswith("dont ")

    @property
    def fleche(self):
        return FLECHES.get(self.sens, "")

    @property
    def lecture(self):
        """« en hausse, bonne nouvelle » : ce que disent la flèche et la couleur, en mots."""
        return ", ".join(m for m in (f"en {self.sens}" if self.sens else "", LECTURES[self.classe]) if m)


@dataclass
class Tableau:
    titre: str
    lignes: list = field(default_factory=list)
    message: str = ""
    notes: list = field(default_factory=list)  # raisons de non-comparabilité, numérotées dans les lignes
    base: str = ""  # la base des parts, dite sous la table quand elle ne va pas de soi (freins)

    def __post_init__(self):
        self.numeroter()

    def numeroter(self):
        self.notes = []
        for ligne in self.lignes:
            if ligne.note:
                if ligne.note not in self.notes:
                    self.notes.append(ligne.note)
                ligne.renvoi = self.notes.index(ligne.note) + 1


class Lignes:
    """Accès aux lignes préparées d'une comparaison ; `libelles_codes` : {liste de codes: {code: libellé}}."""

    def __init__(self, comparaison, libelles_codes):
        self.indicateurs = comparaison.indicateurs
        self.regles = comparaison.regles
        self.periode = comparaison.periode
        self.libelles_codes = libelles_codes

    def feuille(self, chemin):
        noeud = self.indicateurs
        for cle in chemin:
            noeud = (noeud or {}).get(cle)
        return noeud

    def suivie(self, definition, annee):
        """La famille de l'indicateur était-elle suivie cette année-là (« courant » ou « precedent ») ?"""
        if definition is None or not definition.famille:
            return True
        return getattr(self.regles, annee).etats[definition.famille].connu

    def _valeur(self, feuille, cle, definition):
        if feuille.get(cle) is None and not self.suivie(
            definition, "courant" if cle == "valeur" else "precedent"
        ):
            return NON_SUIVI
        return valeur_fr(feuille.get(cle), definition.nature if definition else None)

    def raison_inconnu(self, feuille, definition):
        """La raison d'une valeur de l'année inconnue (« — »), en une phrase ; "" si elle est connue. Une entrée
        de table absente (feuille vide : aucun enregistrement à répartir sur la période ou sous ces filtres) a la
        raison d'une base vide (une part) ou d'une absence d'enregistrement (#31 : un « — » dit toujours pourquoi)."""
        if not feuille:
            code = BASE_VIDE if definition is not None and definition.en_points else AUCUN_ENREGISTREMENT
            return raison_lisible(code, self.regles.courant.libelle_en, None)
        code = (feuille.get("inconnu") or {}).get("valeur", "")
        return raison_lisible(code, self.regles.courant.libelle_en, definition)

    @staticmethod
    def _evolution(feuille, evolution, en_points):
        """« non comparable » quand les deux valeurs sont connues mais pas sur le même périmètre ; sinon
        l'évolution, ou « — » (une valeur inconnue se lit déjà « non suivi » ou « — »)."""
        connues = feuille.get("valeur") is not None and feuille.get("precedent") is not None
        if feuille.get("comparabilite") and connues:
            return "non comparable"
        return evolution_fr(evolution, en_points)

    def ligne_de_feuille(self, chemin, feuille, libelle):
        definition = definition_de(chemin)
        evolution, en_points = evolution_affichee(feuille)
        return Ligne(
            libelle=libelle,
            valeur=self._valeur(feuille, "valeur", definition),
            precedent=self._valeur(feuille, "precedent", definition),
            evolution=self._evolution(feuille, evolution, en_points),
            classe=classe_evolution(definition, evolution),
            note=feuille.get("comparabilite", "") or self.raison_inconnu(feuille, definition),
            stable=evolution is not None and arrondi_affiche(evolution, 1) == 0,
            sens=sens_notable(definition, evolution),
        )

    def chiffre(self, chemin_pointe, mots=""):
        """Un grand chiffre : la ligne d'une feuille quelconque (indicateur ou entrée de table), avec ses mots ;
        une entrée absente a sa raison (raison_inconnu)."""
        chemin = tuple(chemin_pointe.split("."))
        return self.ligne_de_feuille(chemin, self.feuille(chemin) or {}, mots or self.libelle_de(chemin))

    def chiffres_cles(self):
        return self.tuiles(CHIFFRES_CLES)

    def tuiles(self, chiffres):
        """Des grands chiffres [(chemin pointé, mots)] : chacun avec son évolution ou sa raison en une ligne
        courte ; les raisons numérotées en notes sous la grille. Deux tuiles identiques (même valeur imprimée dans
        une même section, comme les deux totaux du dispositif d'une année sans chiffre déclaré) ne
        sont jamais imprimées côte à côte : la seconde est omise."""
        grille = Tableau("")
        vues = set()
        for chemin, mots in chiffres:
            ligne = self.chiffre(chemin, mots)
            identite = (chemin.split(".")[0], ligne.valeur)
            if ligne.valeur not in ("—", NON_SUIVI) and identite in vues:
                continue
            vues.add(identite)
            self._resumer(ligne, chemin)
            grille.lignes.append(ligne)
        grille.numeroter()
        return grille

    def _resumer(self, ligne, chemin_pointe):
        """La ligne courte d'un grand chiffre et sa note (raison) ; la durée maximale à côté d'une moyenne."""
        chemin = tuple(chemin_pointe.split("."))
        feuille, definition = self.feuille(chemin) or {}, definition_de(chemin)
        precedente = self.regles.precedent.libelle
        maximum = MAXIMUMS.get(chemin_pointe)
        if maximum and (self.feuille(tuple(maximum.split("."))) or {}).get("valeur") is not None:
            ligne.complement = (
                f"jusqu'à {valeur_fr(self.feuille(tuple(maximum.split('.')))['valeur'], MINUTES)}"
            )
        ligne.note = ""
        if feuille.get("comparabilite"):
            ligne.court, ligne.note = f"pas comparable à {precedente}", feuille["comparabilite"]
            if chemin_pointe == "dispositif.personnes_recues":
                self._a_perimetre_egal(ligne)
        elif feuille.get("valeur") is None:
            ligne.court = "inconnu"
            ligne.note = self.raison_inconnu(feuille, definition)
        elif feuille.get("precedent") is None:
            code = (feuille.get("inconnu") or {}).get("precedent", "")
            ligne.court = f"pas de comparaison avec {precedente}"
            ligne.note = raison_lisible(code, self.regles.precedent.libelle_en, definition)
        elif ligne.stable:
            ligne.court = f"stable par rapport à {precedente}"
        else:
            sens = f"en {ligne.sens} : " if ligne.sens else ""
            ligne.court = f"{sens}{ligne.evolution} par rapport à {precedente}"

    def _a_perimetre_egal(self, ligne):
        """Le total du dispositif compte des personnes déclarées une année et pas l'autre : l'évolution à
        périmètre égal (enregistrements seuls), et la note qui dit pourquoi."""
        hors = self.ligne("dispositif.personnes_recues_hors_declares")
        externes = self.feuille(("dispositif", "personnes_recues_externes")) or {}
        if hors.evolution in ("—", "non comparable"):
            return
        ligne.court = "stable à périmètre égal" if hors.stable else f"{hors.evolution} à périmètre égal"
        ligne.sens, ligne.classe = hors.sens, hors.classe
        avec, sans = self.regles.courant.libelle, self.regles.precedent.libelle
        if externes.get("valeur") is None:
            avec, sans = sans, avec
        ligne.note = (
            f"{avec} compte des personnes reçues déclarées par d'autres structures (ERE…), pas {sans}. À périmètre "
            f"égal, enregistrements seuls : {hors.valeur} contre {hors.precedent} ({hors.evolution})."
        )

    def ligne(self, chemin_pointe):
        chemin = tuple(chemin_pointe.split("."))
        return self.ligne_de_feuille(chemin, self.feuille(chemin) or {}, DEFINITIONS[chemin_pointe].libelle)

    def libelle_de(self, chemin):
        """Le libellé d'une feuille pour une personne : « Démarches accompagnées (passages) : CAF »…"""
        definition = definition_de(chemin)
        if len(chemin) >= 4:
            return f"{definition.libelle} ({chemin[2]})"
        if len(chemin) == 3:
            table = DEFINITIONS[f"{chemin[0]}.{chemin[1]}"]
            return f"{table.libelle} : {self.libelle_code(table, chemin[2])}"
        return definition.libelle if definition else ".".join(chemin)

    def message_vide(self, chemin_pointe):
        """La phrase qui remplace un tableau ou un graphique vide : non suivi, aucun enregistrement, base vide."""
        definition = DEFINITIONS[chemin_pointe]
        en = self.regles.courant.libelle_en
        if not self.suivie(definition, "courant"):
            return f"{definition.libelle} : non suivi {en}."
        table = self.feuille(tuple(chemin_pointe.split("."))) or {}
        codes = {(f.get("inconnu") or {}).get("valeur") for f in table.values() if isinstance(f, dict)}
        section_connue = self.regles.courant.donnees.get(chemin_pointe.split(".")[0])
        famille_absente = definition.famille and definition.famille in self.regles.courant.absentes
        # Une table de parts vide d'une section qui a des enregistrements : la base est vide (aucun rendez-vous
        # « démarche en ligne » à répartir), pas une absence d'enregistrement.
        if (
            section_connue
            and not famille_absente
            and AUCUN_ENREGISTREMENT not in codes
            and (BASE_VIDE in codes or (not codes and definition.en_points))
        ):
            return f"{definition.libelle} : base vide {en}, aucune part à calculer."
        if definition.famille and definition.famille in self.regles.courant.absentes:
            return (
                f"{definition.libelle} : aucun enregistrement {en} (suivi depuis le "
                f"{self.regles.courant.etats[definition.famille].depuis:%d/%m/%Y}) ; inconnu, pas zéro."
            )
        return f"{definition.libelle} : aucun enregistrement {en}."

    def libelle_code(self, definition, code):
        return self.libelles_codes.get(definition.table, {}).get(code, code)

    def table(self, chemin_pointe):
        """Les entrées d'une table qui ont une valeur une des deux années, de la plus grande à la plus petite, ou
        dans l'ordre naturel de ses codes (tranches d'âge, niveaux d'autonomie : TABLES_DANS_L_ORDRE)."""
        chemin = tuple(chemin_pointe.split("."))
        definition = DEFINITIONS[chemin_pointe]
        feuilles = self.feuille(chemin) or {}
        entrees = [(code, f) for code, f in feuilles.items() if f.get("valeur") or f.get("precedent")]
        if definition.table not in TABLES_DANS_L_ORDRE:
            entrees.sort(key=lambda e: -(e[1].get("valeur") or 0))
        tableau = Tableau(definition.libelle)
        tableau.lignes = [
            self.ligne_de_feuille((*chemin, code), f, self.libelle_code(definition, code))
            for code, f in entrees
        ]
        # Aucune valeur connue dans l'année : une phrase, pas une coquille de tableau pleine de « — ».
        if not any(f.get("valeur") is not None for f in feuilles.values()) or not tableau.lignes:
            tableau.lignes = []
            tableau.message = self.message_vide(chemin_pointe)
        elif chemin_pointe == "permanences.freins_pct":
            tableau.base = self.base_des_freins(feuilles)
        tableau.numeroter()
        return tableau

    def base_des_freins(self, feuilles):
        """« Sur 37 personnes reçues avec au moins un frein noté en 2025 (29 en 2024) ; plusieurs freins possibles :
        le total dépasse 100 %. » : la base des parts et pourquoi elles ne font pas 100 %, des chiffres de l'année
        (le total des parts imprimées dit « dépasse » ou « peut dépasser »)."""
        base = self.feuille(("permanences", "passages_avec_frein")) or {}
        total = sum(arrondi_affiche(f["valeur"], 1) for f in feuilles.values() if f.get("valeur"))
        depasse = "dépasse 100 %" if total > 100 else "peut dépasser 100 %"
        if base.get("valeur") is None:  # base masquée (petit groupe) : la règle seule
            return f"Plusieurs freins possibles : le total {depasse}."
        n = base["valeur"]
        texte = (
            f"Sur {valeur_fr(n)} personne{'s' if n > 1 else ''} reçue{'s' if n > 1 else ''} avec au moins un "
        )
        texte += f"frein noté {self.periode.libelle_en}"
        if base.get("precedent") is not None:
            texte += f" ({valeur_fr(base['precedent'])} {self.periode.un_an_avant().libelle_en})"
        return f"{texte} ; plusieurs freins possibles : le total {depasse}."

    def groupe(self, nom):
        """Les indicateurs simples d'une partie ; une ligne inconnue les deux années n'est pas imprimée (un tableau
        sans aucune ligne ne l'est pas non plus)."""
        lignes = [
            self.ligne(chemin) for chemin in GROUPES[nom] if any(v is not None for v in self._valeurs(chemin))
        ]
        return Tableau("", lignes)

    def _valeurs(self, chemin_pointe):
        feuille = self.feuille(tuple(chemin_pointe.split("."))) or {}
        return feuille.get("valeur"), feuille.get("precedent")

    def par_lieu(self):
        """Le tableau par lieu : usagers, permanences, refus, moyenne par permanence et son écart en personnes."""
        lignes = []
        for lieu, f in (self.feuille(("permanences", "par_lieu")) or {}).items():
            cellules = {
                cle: self._valeur(f[cle], "valeur", definition_de(("permanences", "par_lieu", lieu, cle)))
                for cle in ("usagers_recus", "permanences_tenues", "refus", "moyenne_usagers_par_permanence")
            }
            moyenne = f["moyenne_usagers_par_permanence"]
            cellules["moyenne_precedente"] = self._valeur(
                moyenne,
                "precedent",
                definition_de(("permanences", "par_lieu", lieu, "moyenne_usagers_par_permanence")),
            )
            cellules["ecart"] = ecart_fr(moyenne["valeur"], moyenne["precedent"])
            cellules["lieu"] = lieu
            lignes.append(cellules)
        return lignes
