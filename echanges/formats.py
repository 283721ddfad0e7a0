"""Chaque fichier d'échange déclaré une fois : ses colonnes, leur sorte, leur caractère obligatoire, leurs listes de
codes, le champ qu'elles lisent à l'export.

L'import (lecture et contrôle de chaque cellule), l'export (en-têtes, ordre et écriture des valeurs), l'aide de
la page d'import et le tableau du README (`python manage.py formats_echanges --readme`, vérifié par un test)
sont tirés de ces déclarations.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cached_property

from formations.enums import Presence, StatutSession
from inclusion.echanges import (
    ErreurLigne,
    index_choix,
    lire_booleen,
    lire_choix,
    lire_date,
    lire_entier,
    lire_heure,
)
from inclusion.enums import Fonction
from permanences.enums import (
    Autonomie,
    Frein,
    Genre,
    JourSemaine,
    MotifRefus,
    MotifRendezVous,
    Service,
    StatutRendezVous,
    TrancheAge,
    TypeDemande,
)
from permanences.models import DUREE_MAX_MINUTES
from rapports.enums import SectionBilan

TEXTE, DATE, HEURE, ENTIER, DECIMAL, BOOLEEN, CHOIX, REFERENCE = (
    "texte",
    "date",
    "heure",
    "entier",
    "decimal",
    "booleen",
    "choix",
    "reference",
)
# Ce que désigne une colonne « référence » : un nom (ou, pour les démarches, un code) déjà en base ou importé.
REFERENCES = {
    "lieu": "lieu",
    "structure": "structure",
    "theme": "thème",
    "quartier": "quartier",
    "intervenant": "intervenant",
    "demarche": "démarche",
}
SEPARATEUR = "|"


@dataclass(frozen=True)
class Colonne:
    nom: str
    sorte: str
    obligatoire: bool = False
    chemin: str = ""  # champ lu à l'export (values_list) ; par défaut, le nom de la colonne
    codes: type | None = None  # liste de choix (TextChoices ou IntegerChoices)
    reference: str = ""  # clé de REFERENCES
    multiple: bool = False  # plusieurs valeurs séparées par « | »
    bornes: tuple | None = None  # (minimum, maximum) d'un entier
    longueur: int | None = None  # longueur maximale d'un texte (au-delà, tronqué)
    aide: str = ""  # précision pour le README et la page d'import

    @property
    def champ(self):
        return self.chemin or self.nom

    @property
    def relation_multiple(self):
        """Plusieurs objets liés (médiateurs d'une permanence) : lus à part à l'export."""
        return self.sorte == REFERENCE and self.multiple

    @cached_property
    def lire(self):
        """La lecture d'une cellule non vide de cette colonne, choisie une fois : lire(texte, références)."""
        nom = self.nom
        if self.sorte == TEXTE:
            longueur = self.longueur
            return (lambda v, _: v[:longueur]) if longueur else (lambda v, _: v)
        if self.sorte == CHOIX:
            index = index_choix([(str(code), libelle) for code, libelle in self.codes.choices])
            if isinstance(self.codes.values[0], int):
                return lambda v, _: int(lire_choix(v, nom, index))
            return lambda v, _: lire_choix(v, nom, index)
        if self.sorte == REFERENCE:
            sorte = self.reference
            return lambda v, references: references(sorte, v, nom)
        if self.sorte == ENTIER:
            minimum, maximum = self.bornes or (None, None)
            return lambda v, _: lire_entier(v, nom, minimum, maximum)
        lecteur = {DATE: lire_date, HEURE: lire_heure, BOOLEEN: lire_booleen, DECIMAL: lire_decimal}[
            self.sorte
        ]
        return lambda v, _: lecteur(v, nom)

    def en_texte(self, valeur):
        """La valeur d'un champ telle qu'elle s'écrit dans le fichier (le format que l'import relit)."""
        if valeur is None or valeur == "":
            return "" if self.sorte != BOOLEEN else "non"
        if self.sorte == DATE:
            return valeur.isoformat()
        if self.sorte == HEURE:
            return valeur.strftime("%H:%M")
        if self.sorte == BOOLEEN and self.codes is not None:
            return valeur if valeur in ("oui", "non") else ""  # présence : oui, non ou inconnue (vide)
        if self.sorte == BOOLEEN:
            return "oui" if valeur else "non"
        if self.sorte == DECIMAL:
            return format(valeur.normalize(), "f")
        if self.sorte == CHOIX and self.multiple:
            return " | ".join(code for code in valeur.split(SEPARATEUR) if code)
        return valeur


def lire_decimal(valeur, colonne):
    try:
        nombre = Decimal(valeur.replace(",", ".").replace(" ", "").replace("\u202f", ""))
    except InvalidOperation:
        raise ErreurLigne(colonne, f"nombre attendu, pas « {valeur[:30]} »") from None
    if not nombre.is_finite() or abs(nombre.quantize(Decimal("0.01"))) >= Decimal("1e10"):
        raise ErreurLigne(colonne, "nombre hors limites (moins de 10 milliards, deux décimales)")
    return nombre


def _colonne(sorte):
    def declarer(nom, obligatoire=False, **details):
        return Colonne(nom, sorte, obligatoire, **details)

    return declarer


texte, date, heure, entier, decimal, booleen, choix, reference = (
    _colonne(s) for s in (TEXTE, DATE, HEURE, ENTIER, DECIMAL, BOOLEEN, CHOIX, REFERENCE)
)


@dataclass(frozen=True)
class Fichier:
    nom: str
    colonnes: tuple
    # La colonne (une date, ou une année) qui range une ligne dans une année (les années closes refusent leurs
    # lignes, même sans date : chiffres déclarés, analyse).
    colonne_datee: str = ""

    @property
    def entetes(self):
        return [c.nom for c in self.colonnes]

    @property
    def obligatoires(self):
        return [c.nom for c in self.colonnes if c.obligatoire]

    @property
    def facultatives(self):
        return [c.nom for c in self.colonnes if not c.obligatoire]

    @cached_property
    def par_nom(self):
        return {c.nom: c for c in self.colonnes}


def _fichier(nom, *colonnes, datee=""):
    return Fichier(nom, colonnes, datee)


NOMS_SEPARES = "noms séparés par `|`"
PASSAGE_OU_REFUS = (  # et arrivées : ce qui désigne la permanence
    date("date", True),
    reference("lieu", True, reference="lieu", chemin="permanence__lieu__nom"),
    heure("heure_debut_permanence", chemin="permanence__heure_debut"),
)
DUREE = {"bornes": (1, DUREE_MAX_MINUTES)}

# Dans l'ordre des dépendances : un fichier ne désigne que des objets des fichiers précédents (ou déjà en base).
FICHIERS = {
    f.nom: f
    for f in (
        _fichier("lieux.csv", texte("nom", True, longueur=120), texte("adresse", longueur=255)),
        _fichier("structures.csv", texte("nom", True, longueur=120)),
        _fichier("quartiers.csv", texte("nom", True, longueur=120), booleen("qpv")),
        _fichier(
            "intervenants.csv",
            texte("nom", True, longueur=120),
            reference("structure", True, reference="structure", chemin="structure__nom"),
            choix("fonction", codes=Fonction),
            reference("lieux", reference="lieu", multiple=True, chemin="lieux__nom", aide=NOMS_SEPARES),
        ),
        _fichier("themes.csv", texte("nom", True, longueur=150)),
        _fichier(
            "creneaux.csv",
            reference("lieu", True, reference="lieu", chemin="lieu__nom"),
            choix("jour", True, codes=JourSemaine, chemin="jour_semaine", aide="0 = lundi, ou « lundi »"),
            heure("heure_debut", True),
            heure("heure_fin", True),
            date("valide_du", True),
            date("valide_au"),
            reference(
                "mediateurs",
                reference="intervenant",
                multiple=True,
                chemin="intervenants__nom",
                aide=NOMS_SEPARES,
            ),
        ),
        _fichier(
            "permanences.csv",
            date("date", True),
            reference("lieu", True, reference="lieu", chemin="lieu__nom"),
            heure("heure_debut", True),
            heure("heure_fin", True),
            reference(
                "mediateurs",
                reference="intervenant",
                multiple=True,
                chemin="intervenants__nom",
                aide=NOMS_SEPARES,
            ),
            booleen("annulee"),
            datee="date",
        ),
        _fichier(
            "passages.csv",
            *PASSAGE_OU_REFUS,
            choix("type_demande", True, codes=TypeDemande),
            reference("demarche", reference="demarche", chemin="demarche__code"),
            entier("duree_minutes", True, **DUREE),
            choix("autonomie", True, codes=Autonomie),
            choix("tranche_age", True, codes=TrancheAge),
            choix("genre", True, codes=Genre),
            booleen("autre_venue_necessaire"),
            entier("attente_minutes", bornes=(0, 24 * 60)),
            reference("oriente_vers", reference="structure", chemin="oriente_vers__nom"),
            choix("freins", codes=Frein, multiple=True, aide="codes séparés par `|`"),
            reference("quartier", reference="quartier", chemin="quartier__nom"),
            datee="date",
        ),
        _fichier(
            "refus.csv",
            *PASSAGE_OU_REFUS,
            entier("nombre", True, bornes=(1, 1000)),
            choix("motif", codes=MotifRefus),
            reference("oriente_vers", reference="structure", chemin="oriente_vers__nom"),
            datee="date",
        ),
        _fichier(
            "arrivees.csv",
            *PASSAGE_OU_REFUS,
            heure("heure", True, aide="heure d'arrivée"),
            choix("tranche_age", codes=TrancheAge),
            choix("genre", codes=Genre),
            booleen("annulee"),
            datee="date",
        ),
        _fichier(
            "rendez_vous.csv",
            date("date", True),
            heure("heure"),
            choix("service", True, codes=Service),
            reference("lieu", True, reference="lieu", chemin="lieu__nom"),
            reference("intervenant", True, reference="intervenant", chemin="intervenant__nom"),
            entier("duree_minutes", **DUREE),
            choix("motif", codes=MotifRendezVous),
            choix("type_demande", codes=TypeDemande),
            reference("demarche", reference="demarche", chemin="demarche__code"),
            choix("tranche_age", True, codes=TrancheAge),
            choix("genre", True, codes=Genre),
            choix("statut", True, codes=StatutRendezVous),
            reference("quartier", reference="quartier", chemin="quartier__nom"),
            datee="date",
        ),
        _fichier(
            "sessions_formation.csv",
            date("date", True),
            reference("theme", True, reference="theme", chemin="theme__nom"),
            reference("lieu", reference="lieu", chemin="lieu__nom"),
            heure("heure_debut"),
            heure("heure_fin"),
            reference("formateur", reference="intervenant", chemin="formateur__nom"),
            entier("capacite", bornes=(1, 500)),
            choix("statut", True, codes=StatutSession),
            datee="date",
        ),
        _fichier(
            "inscriptions.csv",
            date("date_session", True, chemin="session__date"),
            reference("theme", True, reference="theme", chemin="session__theme__nom"),
            reference("structure", True, reference="structure", chemin="structure__nom"),
            texte("nom", longueur=150),
            texte("email", longueur=254),
            booleen("present", codes=Presence),
            datee="date_session",
        ),
        _fichier(
            "accompagnements_formation.csv",
            date("date", True),
            entier("duree_minutes", True, bornes=(1, 600)),
            reference("structure", True, reference="structure", chemin="structure__nom"),
            reference("theme", reference="theme", chemin="theme__nom"),
            datee="date",
        ),
        _fichier(
            "chiffres_externes.csv",
            entier("annee", True, bornes=(2000, 2100)),
            texte("indicateur", True, longueur=100),
            decimal("valeur", True),
            texte("source", longueur=200),
            datee="annee",
        ),
        _fichier(
            "analyses.csv",
            entier("annee", True, bornes=(2000, 2100)),
            choix("section", True, codes=SectionBilan, aide="code ou libellé"),
            entier("ordre", True, bornes=(1, 999)),
            texte("titre"),
            texte("texte", aide="chiffres cités par clé : `{permanences.usagers_recus}`"),
            datee="annee",
        ),
    )
}


def tableau_readme():
    """Le tableau des formats du README, tiré des déclarations."""
    lignes = ["| fichier | colonnes (`?` : facultative) |", "|---|---|"]
    for fichier in FICHIERS.values():
        cellules = []
        for colonne in fichier.colonnes:
            cellule = f"`{colonne.nom}{'' if colonne.obligatoire else '?'}`"
            if colonne.aide:
                cellule += f" ({colonne.aide})"
            cellules.append(cellule)
        colonnes = ", ".join(cellules).replace("`|`", "`\\|`")  # une barre dans un tableau Markdown s'échappe
        lignes.append(f"| `{fichier.nom}` | {colonnes} |")
    return "\n".join(lignes)
