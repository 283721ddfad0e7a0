"""Lecture d'une ligne d'un fichier d'échange : chaque cellule est lue selon la déclaration de sa colonne
(formats.py, `Colonne.lire`), et toutes les erreurs d'une ligne sont gardées pour être signalées à la fois."""

from inclusion.echanges import ErreurLigne, lire_liste


class ErreursLigne(Exception):
    def __init__(self, erreurs):
        super().__init__("; ".join(e.message for e in erreurs))
        self.erreurs = erreurs


class Ligne:
    """Les cellules d'une ligne ; `ligne["duree_minutes"]` rend la valeur lue, ou None si elle est vide ou fausse
    (l'erreur est gardée). `verifier()` lève ErreursLigne s'il y en a."""

    __slots__ = ("colonnes", "valeurs", "references", "erreurs")

    def __init__(self, fichier, valeurs, references):
        self.colonnes, self.valeurs, self.references = fichier.par_nom, valeurs, references
        self.erreurs = []

    def brut(self, nom):
        return self.valeurs.get(nom, "")

    def erreur(self, colonne, message):
        self.erreurs.append(ErreurLigne(colonne, message))

    def verifier(self):
        if self.erreurs:
            raise ErreursLigne(self.erreurs)

    def __getitem__(self, nom):
        colonne = self.colonnes[nom]
        valeur = self.valeurs.get(nom, "")
        try:
            if not valeur:
                if colonne.obligatoire:
                    raise ErreurLigne(nom, "valeur obligatoire manquante")
                return [] if colonne.multiple else None
            if colonne.multiple:
                return [colonne.lire(v, self.references) for v in lire_liste(valeur)]
            return colonne.lire(valeur, self.references)
        except ErreurLigne as erreur:
            self.erreurs.append(erreur)
            return None
