"""Import des fichiers d'échange : tout ou rien, en flux, par lots, à travers les services des applications.

La boucle générale (en-têtes, limites, lignes vides ou hostiles, années closes) vaut pour tous les fichiers ; la
lecture de chaque cellule suit sa déclaration (formats.py) ; une fonction par fichier dit comment une ligne
devient un enregistrement. Les écritures passent par les services (permanences.services_en_masse…), qui tiennent
le journal des modifications.
"""

import csv
from types import MethodType

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from formations.models import Theme
from inclusion.annees_closes import AnneeClose, annees_closes, message_annee_close
from inclusion.echanges import (
    CARACTERES_DE_CONTROLE,
    ErreurLigne,
    Rapport,
    cellule_lue,
    lire_date,
    sans_accents,
    verifier_entetes,
)
from inclusion.models import Demarche, Intervenant, Lieu, Quartier, Structure

from .enregistrements import TRAITEMENTS, Enregistrements
from .formats import ENTIER, FICHIERS, REFERENCES
from .lecture import ErreursLigne, Ligne
from .models import FichierImporte
from .sources import ARCHIVE_ENDOMMAGEE, MESSAGE_ARCHIVE_ENDOMMAGEE

TAILLE_LOT = 5000


class ImportRefuse(Exception):
    def __init__(self, rapport):
        super().__init__("\n".join(rapport.lignes()))
        self.rapport = rapport


def _index(modele):
    return {sans_accents(nom): pk for pk, nom in modele.objects.values_list("pk", "nom")}


class Importeur(Enregistrements):
    """La boucle générale ; chaque fichier est traité par la méthode `_<fichier>` d'Enregistrements."""

    def __init__(self, source, *, user=None, suivi=None):
        """`suivi(nom, lignes, fait, total, erreurs)`, s'il est donné, est appelé tous les TAILLE_LOT lignes et à la
        fin de chaque fichier : de quoi afficher l'avancement (fait / total dans l'unité de source.taille)."""
        self.source, self.user, self.suivi = source, user, suivi
        self.rapport = Rapport()
        self.comptes, self.ignores = {}, []
        self.index = {
            "lieu": _index(Lieu),
            "structure": _index(Structure),
            "theme": _index(Theme),
            "quartier": _index(Quartier),
            "intervenant": _index(Intervenant),
            "demarche": {},
        }
        for pk, code, libelle in Demarche.objects.values_list("pk", "code", "libelle"):
            self.index["demarche"][sans_accents(code)] = pk
            self.index["demarche"][sans_accents(libelle)] = pk
        self._index_permanences = self._index_sessions = None
        self.annees_closes = annees_closes()

    def reference(self, sorte, valeur, colonne):
        """L'identifiant de l'objet nommé (casse et accents ignorés) ; « non communiqué » : quartier inconnu."""
        cle = sans_accents(valeur)
        if sorte == "quartier" and cle == "non communique":
            return None
        pk = self.index[sorte].get(cle)
        if pk is None:
            raise ErreurLigne(
                colonne,
                f"{REFERENCES[sorte]} « {valeur[:60]} » inconnu·e (ni dans les fichiers, ni dans la base)",
            )
        return pk

    # Boucle générale ------------------------------------------------------------------------------
    def tout_importer(self):
        """Importe tout dans une transaction ; lève ImportRefuse (rien n'est écrit) s'il y a la moindre erreur."""
        with transaction.atomic():
            for nom in self.source.noms():
                try:
                    empreinte = self.source.empreinte(nom)
                except ARCHIVE_ENDOMMAGEE:
                    self.rapport.ajouter(nom, 0, "(fichier)", MESSAGE_ARCHIVE_ENDOMMAGEE)
                    continue
                deja = FichierImporte.objects.filter(empreinte=empreinte).first()
                if deja is not None:
                    self.ignores.append(
                        f"{nom} : déjà importé le {timezone.localtime(deja.importe_le):%d/%m/%Y à %H:%M}, ignoré"
                    )
                    continue
                lignes = self._importer_fichier(nom)
                FichierImporte.objects.create(
                    nom=nom, empreinte=empreinte, lignes=lignes, importe_par=self.user
                )
            if self.rapport:
                raise ImportRefuse(self.rapport)
        return self.comptes

    def _importer_fichier(self, nom):
        fichier = FICHIERS[nom]
        ferme = None
        try:
            entetes, lignes, ferme = self.source.lire(nom)
            problemes = verifier_entetes(entetes, fichier.obligatoires, fichier.facultatives)
            for colonne, message in problemes:
                self.rapport.ajouter(nom, 1, colonne, message)
            if problemes:
                return 0
            n = self._importer_lignes(fichier, entetes, lignes, ferme)
            self.comptes[nom] = n
            return n
        except UnicodeDecodeError:
            self.rapport.ajouter(nom, 0, "(fichier)", "encodage illisible (UTF-8 ou Windows-1252 attendu)")
        except csv.Error as erreur:
            if "field larger than field limit" in str(erreur):
                message = f"une cellule dépasse {settings.INCLUSION['IMPORT_CELLULE_MAX']} caractères"
            else:
                message = "CSV illisible (guillemets mal fermés, octet nul ou ligne malformée)"
            self.rapport.ajouter(nom, 0, "(fichier)", message)
        except ARCHIVE_ENDOMMAGEE:
            self.rapport.ajouter(nom, 0, "(fichier)", MESSAGE_ARCHIVE_ENDOMMAGEE)
        finally:
            if ferme is not None:
                ferme.close()
        return 0

    def _probleme_de_ligne(self, ligne, nombre_entetes):
        limites = settings.INCLUSION
        if any(CARACTERES_DE_CONTROLE.search(c) for c in ligne):
            return "caractère de contrôle interdit (octet nul…)"
        if any(len(c) > limites["IMPORT_CELLULE_MAX"] for c in ligne):
            return f"cellule de plus de {limites['IMPORT_CELLULE_MAX']} caractères"
        if len(ligne) > nombre_entetes and any(c.strip() for c in ligne[nombre_entetes:]):
            return "plus de cellules que de colonnes"
        return None

    def _avancer(self, nom, numero, lecteur, fini=False):
        if self.suivi is not None:
            total = self.source.taille(nom)
            fait = total if fini else min(self.source.position(lecteur, numero), total)
            self.suivi(nom, max(numero - 1, 0), fait, total, self.rapport.nombre)

    def _importer_lignes(self, fichier, entetes, lignes, lecteur=None):
        nom, maximum = fichier.nom, settings.INCLUSION["IMPORT_LIGNES_MAX"]
        lire, ecrire_un_lot = TRAITEMENTS[nom]
        traiter = MethodType(lire, self)
        ecrire = MethodType(ecrire_un_lot, self) if ecrire_un_lot else None
        n, lot, numero = 0, [], 1
        for numero, ligne in enumerate(lignes, start=2):  # noqa: B007 - le dernier numéro sert après la boucle
            if numero % TAILLE_LOT == 0:
                self._avancer(nom, numero, lecteur)
            if numero > maximum + 1:
                self.rapport.ajouter(nom, numero, "(fichier)", f"plus de {maximum} lignes")
                break
            if not any(c.strip() for c in ligne):
                continue
            if probleme := self._probleme_de_ligne(ligne, len(entetes)):
                self.rapport.ajouter(nom, numero, "(ligne)", probleme)
                continue
            valeurs = {
                e: (cellule_lue(ligne[i].strip()) if i < len(ligne) else "") for i, e in enumerate(entetes)
            }
            try:
                self._verifier_cloture(fichier, valeurs)
                objet = traiter(Ligne(fichier, valeurs, self.reference))
            except ErreurLigne as erreur:
                self.rapport.ajouter(nom, numero, erreur.colonne, erreur.message)
                continue
            except ErreursLigne as erreurs:
                for erreur in erreurs.erreurs:
                    self.rapport.ajouter(nom, numero, erreur.colonne, erreur.message)
                continue
            except AnneeClose as refus:  # une ligne écrite aussitôt (chiffres, analyse) : la garde du modèle
                self.rapport.ajouter(nom, numero, fichier.colonne_datee or "(ligne)", refus.message)
                continue
            n += 1
            if objet is not None:
                lot.append(objet)
                if len(lot) >= TAILLE_LOT:
                    ecrire(lot)
                    lot = []
        if lot:
            ecrire(lot)
        self._avancer(nom, numero, lecteur, fini=True)
        return n

    def _verifier_cloture(self, fichier, valeurs):
        """Une ligne datée d'une année close est refusée (l'import écrit par lots, sans passer par save())."""
        colonne = fichier.colonne_datee
        if not colonne or not self.annees_closes or not valeurs.get(colonne):
            return
        try:
            if fichier.par_nom[colonne].sorte == ENTIER:  # une année (chiffres déclarés, analyse)
                annee = int(valeurs[colonne])
            else:
                annee = lire_date(valeurs[colonne], colonne).year
        except (ErreurLigne, ValueError):
            return  # la lecture de la ligne dira pourquoi la date est illisible
        if annee in self.annees_closes:
            raise ErreurLigne(colonne, message_annee_close(annee))


class _Essai(Exception):
    pass


def importer(source, *, user=None, essai=False, suivi=None):
    """Importe une source ; `essai` : tout vérifier puis tout annuler. Renvoie (comptes, fichiers ignorés)."""
    importeur = Importeur(source, user=user, suivi=suivi)
    if essai:
        try:
            with transaction.atomic():
                importeur.tout_importer()
                raise _Essai
        except _Essai:
            pass
    else:
        importeur.tout_importer()
    return importeur.comptes, importeur.ignores
