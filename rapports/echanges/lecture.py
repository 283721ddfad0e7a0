"""Lecture d'une ligne d'un fichier d'échange : chaque cellule est lue selon la déclaration de sa colonne
(formats.py), et toutes les erreurs d'une ligne sont gardées pour être signalées à la fois."""

import functools
from decimal import Decimal, InvalidOperation

from inclusion.echanges import (
    ErreurLigne,
    index_choix,
    lire_booleen,
    lire_choix,
    lire_date,
    lire_entier,
    lire_heure,
    lire_liste,
)

from .formats import BOOLEEN, CHOIX, DATE, DECIMAL, ENTIER, HEURE, REFERENCE, TEXTE


class ErreursLigne(Exception):
    def __init__(self, erreurs):
        super().__init__("; ".join(e.message for e in erreurs))
        self.erreurs = erreurs


@functools.cache
def _index(codes):
    return index_choix([(str(code), libelle) for code, libelle in codes.choices])


def lire_decimal(valeur, colonne):
    try:
        nombre = Decimal(valeur.replace(",", ".").replace(" ", "").replace("\u202f", ""))
    except InvalidOperation:
        raise ErreurLigne(colonne, f"nombre attendu, pas « {valeur[:30]} »") from None
    if not nombre.is_finite() or abs(nombre.quantize(Decimal("0.01"))) >= Decimal("1e10"):
        raise ErreurLigne(colonne, "nombre hors limites (moins de 10 milliards, deux décimales)")
    return nombre


class Ligne:
    """Les cellules d'une ligne ; `ligne["duree_minutes"]` rend la valeur lue, ou None si elle est vide ou fausse
    (l'erreur est gardée). `verifier()` lève ErreursLigne s'il y en a."""

    def __init__(self, fichier, valeurs, references):
        self.fichier, self.valeurs, self.references = fichier, valeurs, references
        self.erreurs = []

    def brut(self, nom):
        return self.valeurs.get(nom, "")

    def erreur(self, colonne, message):
        self.erreurs.append(ErreurLigne(colonne, message))

    def verifier(self):
        if self.erreurs:
            raise ErreursLigne(self.erreurs)

    def __getitem__(self, nom):
        colonne = self.fichier.par_nom[nom]
        valeur = self.valeurs.get(nom, "")
        try:
            if not valeur:
                if colonne.obligatoire:
                    raise ErreurLigne(nom, "valeur obligatoire manquante")
                return [] if colonne.multiple else None
            if colonne.multiple:
                return [self._lire(colonne, v) for v in lire_liste(valeur)]
            return self._lire(colonne, valeur)
        except ErreurLigne as erreur:
            self.erreurs.append(erreur)
            return None

    def _lire(self, colonne, valeur):
        sorte, nom = colonne.sorte, colonne.nom
        if sorte == TEXTE:
            return valeur[: colonne.longueur] if colonne.longueur else valeur
        if sorte == CHOIX:
            code = lire_choix(valeur, nom, _index(colonne.codes))
            return int(code) if isinstance(colonne.codes.values[0], int) else code
        if sorte == REFERENCE:
            return self.references(colonne.reference, valeur, nom)
        if sorte == ENTIER:
            return lire_entier(valeur, nom, *(colonne.bornes or (None, None)))
        if sorte == DATE:
            return lire_date(valeur, nom)
        if sorte == HEURE:
            return lire_heure(valeur, nom)
        if sorte == BOOLEEN:
            return lire_booleen(valeur, nom)
        if sorte == DECIMAL:
            return lire_decimal(valeur, nom)
        raise AssertionError(sorte)
