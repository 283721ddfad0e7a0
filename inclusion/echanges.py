"""Lecture tolérante des fichiers tableurs des équipes (CSV ou feuilles XLSX) : sans dépendance aux apps.

- séparateur « , » ou « ; » détecté, UTF-8 avec ou sans BOM, ou Windows-1252 ;
- dates AAAA-MM-JJ ou JJ/MM/AAAA, heures HH:MM, booléens oui/non, 1/0, vrai/faux ;
- listes de choix : le code ou le libellé français, sans tenir compte de la casse ni des accents ;
- lecture en flux : la mémoire ne grandit pas avec le fichier.
"""

import codecs
import csv
import datetime
import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from django.conf import settings

MAX_ERREURS_AFFICHEES = 1000


class ErreurLigne(Exception):
    """Valeur refusée : (colonne, message)."""

    def __init__(self, colonne, message):
        super().__init__(message)
        self.colonne, self.message = colonne, message


@dataclass
class Erreur:
    fichier: str
    ligne: int
    colonne: str
    message: str

    def __str__(self):
        return f"{self.fichier}:{self.ligne}: {self.colonne}: {self.message}"


class Rapport:
    """Erreurs collectées sur tout l'import (toutes à la fois), plafonnées à l'affichage."""

    def __init__(self):
        self.erreurs, self.nombre = [], 0

    def ajouter(self, fichier, ligne, colonne, message):
        self.nombre += 1
        if len(self.erreurs) < MAX_ERREURS_AFFICHEES:
            self.erreurs.append(Erreur(fichier, ligne, colonne, message))

    def __bool__(self):
        return self.nombre > 0

    def lignes(self):
        texte = [str(e) for e in self.erreurs]
        if self.nombre > len(self.erreurs):
            texte.append(f"… et {self.nombre - len(self.erreurs)} autres erreurs.")
        return texte


# Une cellule de tableur qui commence par l'un de ces caractères peut être lue comme une formule (OWASP,
# « CSV injection ») ; les caractères de contrôle (hors tabulation et fins de ligne) cassent un XLSX.
DEBUTS_DE_FORMULE = ("=", "+", "-", "@", "\t", "\r")
_A_NEUTRALISER = re.compile(r"^'*[=+\-@\t\r]")
CARACTERES_DE_CONTROLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def cellule_sure(valeur):
    """Ce qu'on écrit dans une cellule CSV ou XLSX : un texte sans caractère de contrôle et, s'il pouvait être
    lu comme une formule, précédé d'une apostrophe (réversible : voir cellule_lue). Les nombres et les dates
    restent ce qu'ils sont."""
    if not isinstance(valeur, str):
        return valeur
    valeur = CARACTERES_DE_CONTROLE.sub("", valeur)
    return "'" + valeur if _A_NEUTRALISER.match(valeur) else valeur


def cellule_lue(valeur):
    """L'inverse de cellule_sure à l'import : l'apostrophe de neutralisation est retirée, rien d'autre."""
    return valeur[1:] if _A_NEUTRALISER.match(valeur) and valeur.startswith("'") else valeur


def ligne_sure(ligne):
    return [cellule_sure(v) for v in ligne]


@functools.lru_cache(maxsize=1 << 16)
def sans_accents(texte):
    """Le texte sans accents ni casse, espaces répétés réduits à un (comme les noms rangés par
    inclusion.services.nom_propre), pour comparer des noms et des codes (mis en cache : un import relit les mêmes
    codes et les mêmes noms à chaque ligne)."""
    decompose = unicodedata.normalize("NFKD", str(texte))
    return " ".join("".join(c for c in decompose if not unicodedata.combining(c)).casefold().split())


class TexteDecode:
    """Les lignes d'un fichier CSV décodées en UTF-8 (BOM retiré) ou, sinon, en Windows-1252.

    Le choix se fait sur le fichier lui-même, pas sur un échantillon : tant que tout est ASCII (commun aux deux
    encodages), rien n'est décidé ; le premier octet non ASCII tranche (UTF-8 s'il se décode, Windows-1252
    sinon). Un accent à la 10 000e ligne est donc bien lu, où qu'il soit, et même dans une archive.
    """

    def __init__(self, flux_binaire):
        self.flux = flux_binaire
        self.encodage = None
        self.premiere = True

    def _decoder(self, octets):
        if self.premiere:
            self.premiere = False
            octets = octets.removeprefix(codecs.BOM_UTF8)
        if self.encodage is None and not octets.isascii():
            try:
                texte = octets.decode("utf-8")
                self.encodage = "utf-8"
                return texte
            except UnicodeDecodeError:
                self.encodage = "cp1252"
        return octets.decode(self.encodage or "ascii")

    def readline(self):
        return self._decoder(self.flux.readline())

    def __iter__(self):
        for octets in self.flux:
            yield self._decoder(octets)

    def close(self):
        self.flux.close()


def ouvrir_texte(flux_binaire):
    """Flux de lignes décodées (voir TexteDecode) ; lève UnicodeDecodeError si aucun des deux ne convient."""
    return TexteDecode(flux_binaire)


def lecteur_csv(flux_texte):
    """(en-têtes, itérateur de lignes) ; séparateur détecté sur la première ligne.

    Une cellule de plus de IMPORT_CELLULE_MAX caractères lève csv.Error (limite du module csv, réglée ici).
    """
    csv.field_size_limit(settings.INCLUSION["IMPORT_CELLULE_MAX"])
    premiere = flux_texte.readline()
    separateur = ";" if premiere.count(";") > premiere.count(",") else ","
    entetes = next(csv.reader([premiere], delimiter=separateur), [])
    return [e.strip() for e in entetes], csv.reader(flux_texte, delimiter=separateur)


def verifier_entetes(entetes, obligatoires, facultatives):
    """Messages d'erreur pour les colonnes inconnues, manquantes ou en double (en temps linéaire)."""
    maximum = settings.INCLUSION["IMPORT_COLONNES_MAX"]
    if len(entetes) > maximum:
        return [("(en-têtes)", f"{len(entetes)} colonnes : {maximum} au plus")]
    messages = []
    connues = set(obligatoires) | set(facultatives)
    for e in entetes:
        if e not in connues:
            messages.append(
                (e or "(vide)", f"colonne inconnue (colonnes possibles : {', '.join(sorted(connues))})")
            )
    for o in obligatoires:
        if o not in entetes:
            messages.append((o, "colonne obligatoire absente"))
    for e, nombre in Counter(entetes).items():
        if nombre > 1:
            messages.append((e, "colonne en double"))
    return messages


FORMAT_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$|^(\d{1,2})/(\d{1,2})/(\d{4})$")


def lire_date(valeur, colonne):
    m = FORMAT_DATE.match(valeur.strip())
    try:
        if m and m.group(1):
            return datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if m:
            return datetime.date(int(m.group(6)), int(m.group(5)), int(m.group(4)))
    except ValueError:
        pass
    raise ErreurLigne(colonne, f"date invalide « {valeur[:30]} » (AAAA-MM-JJ ou JJ/MM/AAAA attendu)")


def lire_heure(valeur, colonne):
    m = re.match(r"^(\d{1,2})[:h](\d{2})$", valeur.strip())
    if m and int(m.group(1)) < 24 and int(m.group(2)) < 60:
        return datetime.time(int(m.group(1)), int(m.group(2)))
    raise ErreurLigne(colonne, f"heure invalide « {valeur[:30]} » (HH:MM attendu)")


VRAI, FAUX = {"oui", "1", "vrai", "o", "true"}, {"non", "0", "faux", "n", "false"}


def lire_booleen(valeur, colonne):
    v = sans_accents(valeur)
    if v in VRAI:
        return True
    if v in FAUX:
        return False
    raise ErreurLigne(colonne, f"valeur « {valeur[:30]} » invalide (oui ou non attendu)")


def lire_entier(valeur, colonne, minimum=None, maximum=None):
    try:
        nombre = int(valeur.strip())
    except ValueError:
        raise ErreurLigne(colonne, f"nombre entier attendu, pas « {valeur[:30]} »") from None
    if (minimum is not None and nombre < minimum) or (maximum is not None and nombre > maximum):
        raise ErreurLigne(colonne, f"{nombre} hors des limites ({minimum} à {maximum})")
    return nombre


def index_choix(choices):
    """{code ou libellé sans accents ni casse: code} pour des TextChoices."""
    index = {}
    for code, libelle in choices:
        index[sans_accents(code)] = code
        index[sans_accents(libelle)] = code
    return index


def lire_choix(valeur, colonne, index):
    code = index.get(sans_accents(valeur))
    if code is None:
        possibles = ", ".join(dict.fromkeys(index.values()))
        raise ErreurLigne(colonne, f"valeur « {valeur[:40]} » inconnue (valeurs possibles : {possibles})")
    return code


def lire_liste(valeur):
    return [v.strip() for v in valeur.split("|") if v.strip()]
