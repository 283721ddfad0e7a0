"""Import et export des enregistrements (CSV / XLSX) : tout ou rien, en flux, rapide.

Les formats (noms de fichiers et colonnes) sont documentés dans le README. rapports possède ces échanges parce
qu'ils couvrent toutes les applications, comme le Bilan ; c'est, avec les données de démonstration, le seul
endroit où rapports écrit dans les autres applications.
"""

import csv
import datetime
import hashlib
import io
import uuid
import zipfile
import zlib
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from formations.enums import Presence, StatutSession
from formations.models import AccompagnementFormation, Inscription, SessionFormation, Theme
from inclusion.cloture import annees_closes, message_annee_close
from inclusion.echanges import (
    CARACTERES_DE_CONTROLE,
    ErreurLigne,
    Rapport,
    cellule_lue,
    index_choix,
    lecteur_csv,
    ligne_sure,
    lire_booleen,
    lire_choix,
    lire_date,
    lire_entier,
    lire_heure,
    lire_liste,
    ouvrir_texte,
    sans_accents,
    verifier_entetes,
)
from inclusion.enums import Fonction
from inclusion.models import Demarche, Intervenant, Lieu, Quartier, Structure
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
from permanences.models import DUREE_MAX_MINUTES, Creneau, Passage, Permanence, Refus, RendezVous

from .analyse import cles_inconnues
from .enums import SectionBilan
from .models import ChiffreExterne, FichierImporte, PointAnalyse
from .services import modifier_point

# Fichiers dans l'ordre des dépendances : (nom, colonnes obligatoires, colonnes facultatives).
FORMATS = {
    "lieux.csv": (["nom"], ["adresse"]),
    "structures.csv": (["nom"], []),
    "quartiers.csv": (["nom"], ["qpv"]),
    "intervenants.csv": (["nom", "structure"], ["fonction", "lieux"]),
    "themes.csv": (["nom"], []),
    "creneaux.csv": (["lieu", "jour", "heure_debut", "heure_fin", "valide_du"], ["valide_au", "mediateurs"]),
    "permanences.csv": (["date", "lieu", "heure_debut", "heure_fin"], ["mediateurs", "annulee"]),
    "passages.csv": (
        ["date", "lieu", "type_demande", "duree_minutes", "autonomie", "tranche_age", "genre"],
        [
            "heure_debut_permanence",
            "demarche",
            "autre_venue_necessaire",
            "attente_minutes",
            "oriente_vers",
            "freins",
            "quartier",
        ],
    ),
    "refus.csv": (["date", "lieu", "nombre"], ["heure_debut_permanence", "motif", "oriente_vers"]),
    "rendez_vous.csv": (
        ["date", "service", "lieu", "intervenant", "tranche_age", "genre", "statut"],
        ["heure", "duree_minutes", "motif", "type_demande", "demarche", "quartier"],
    ),
    "sessions_formation.csv": (
        ["date", "theme", "statut"],
        ["lieu", "heure_debut", "heure_fin", "formateur", "capacite"],
    ),
    "inscriptions.csv": (["date_session", "theme", "structure"], ["nom", "email", "present"]),
    "accompagnements_formation.csv": (["date", "duree_minutes", "structure"], ["theme"]),
    "chiffres_externes.csv": (["annee", "indicateur", "valeur"], ["source"]),
    "analyses.csv": (["annee", "section", "ordre"], ["titre", "texte"]),
}
TAILLE_LOT = 5000
ARCHIVE_ENDOMMAGEE = (zipfile.BadZipFile, zlib.error, EOFError)
MESSAGE_ARCHIVE_ENDOMMAGEE = "archive endommagée : ce fichier ne se décompresse pas"
# La date qui range une ligne dans une année (les années closes refusent leurs lignes).
COLONNE_DATEE = {
    "permanences.csv": "date",
    "passages.csv": "date",
    "refus.csv": "date",
    "rendez_vous.csv": "date",
    "sessions_formation.csv": "date",
    "inscriptions.csv": "date_session",
    "accompagnements_formation.csv": "date",
}

CHOIX = {
    "type_demande": index_choix(TypeDemande.choices),
    "autonomie": index_choix(Autonomie.choices),
    "tranche_age": index_choix(TrancheAge.choices),
    "genre": index_choix(Genre.choices),
    "motif_refus": index_choix(MotifRefus.choices),
    "motif_rdv": index_choix(MotifRendezVous.choices),
    "service": index_choix(Service.choices),
    "statut_rdv": index_choix(StatutRendezVous.choices),
    "statut_session": index_choix(StatutSession.choices),
    "fonction": index_choix(Fonction.choices),
    "frein": index_choix(Frein.choices),
    "jour": {**index_choix([(str(v), lab) for v, lab in JourSemaine.choices])},
    "section_bilan": index_choix(SectionBilan.choices),
}


class Collecte:
    """Lit chaque cellule d'une ligne et garde toutes ses erreurs, pour les signaler toutes à la fois."""

    def __init__(self):
        self.erreurs = []

    def __call__(self, lire, *args, **kwargs):
        try:
            return lire(*args, **kwargs)
        except ErreurLigne as erreur:
            self.erreurs.append(erreur)
            return None

    def verifier(self):
        if self.erreurs:
            raise ErreursLigne(self.erreurs)


class ErreursLigne(Exception):
    def __init__(self, erreurs):
        super().__init__("; ".join(e.message for e in erreurs))
        self.erreurs = erreurs


class ImportRefuse(Exception):
    def __init__(self, rapport):
        super().__init__("\n".join(rapport.lignes()))
        self.rapport = rapport


# --- Sources : dossier, zip ou classeur XLSX -----------------------------------------------------------


class Source:
    """Donne, pour chaque fichier présent, son empreinte et un lecteur (en-têtes, lignes)."""

    def noms(self):
        raise NotImplementedError

    def empreinte(self, nom):
        raise NotImplementedError

    def lire(self, nom):
        raise NotImplementedError


class SourceFichiers(Source):
    """Dossier ou archive : chaque fichier est relu en flux (une passe pour l'empreinte, une pour les lignes)."""

    def __init__(self, ouvrir, noms):
        self._ouvrir, self._noms = ouvrir, noms

    @classmethod
    def dossier(cls, chemin):
        chemin = Path(chemin)
        return cls(lambda nom: open(chemin / nom, "rb"), [n for n in FORMATS if (chemin / n).is_file()])  # noqa: SIM115

    def noms(self):
        return self._noms

    def empreinte(self, nom):
        h = hashlib.sha256()
        with self._ouvrir(nom) as f:
            while bloc := f.read(1 << 20):
                h.update(bloc)
        return h.hexdigest()

    def lire(self, nom):
        flux = self._ouvrir(nom)
        texte = ouvrir_texte(flux)
        entetes, lignes = lecteur_csv(texte)
        return entetes, lignes, texte


class SourceClasseur(Source):
    """Classeur XLSX : une feuille par fichier, nommée comme lui (avec ou sans « .csv »)."""

    def __init__(self, flux):
        from openpyxl import load_workbook

        try:
            self.classeur = load_workbook(flux, read_only=True, data_only=True)
        except Exception as erreur:  # noqa: BLE001 - tout classeur illisible ou hostile (DTD, entités…) est refusé
            raise TeleversementRefuse(
                "Classeur XLSX illisible ou refusé (fichier endommagé, ou qui déclare des entités XML)."
            ) from erreur
        self.feuilles = {}
        for feuille in self.classeur.worksheets:
            nom = feuille.title.strip().lower()
            nom = nom if nom.endswith(".csv") else f"{nom}.csv"
            if nom in FORMATS:
                self.feuilles[nom] = feuille

    def noms(self):
        return [n for n in FORMATS if n in self.feuilles]

    @staticmethod
    def _texte(valeur):
        if valeur is None:
            return ""
        if isinstance(valeur, datetime.datetime):
            return (
                valeur.date().isoformat()
                if valeur.time() == datetime.time()
                else valeur.isoformat(" ", "minutes")
            )
        if isinstance(valeur, datetime.date):
            return valeur.isoformat()
        if isinstance(valeur, datetime.time):
            return valeur.strftime("%H:%M")
        if isinstance(valeur, float) and valeur.is_integer():
            return str(int(valeur))
        return str(valeur)

    def _lignes(self, nom):
        # Les dimensions déclarées par le fichier ne comptent pas (un classeur de 5 Ko peut en annoncer un
        # million de lignes) : seules les lignes réellement écrites sont lues, et au plus une colonne de trop.
        feuille = self.feuilles[nom]
        feuille.reset_dimensions()
        colonnes = settings.INCLUSION["IMPORT_COLONNES_MAX"] + 1
        for ligne in feuille.iter_rows(values_only=True, max_col=colonnes):
            yield [self._texte(v) for v in ligne]

    def empreinte(self, nom):
        h = hashlib.sha256()
        for ligne in self._lignes(nom):
            h.update("\x1f".join(ligne).encode() + b"\x1e")
        return h.hexdigest()

    def lire(self, nom):
        lignes = self._lignes(nom)
        entetes = [e.strip() for e in next(lignes, [])]
        while entetes and not entetes[-1]:
            entetes.pop()
        return entetes, lignes, None


# --- Import -------------------------------------------------------------------------------------------


class Importeur:
    def __init__(self, source, *, user=None):
        self.source, self.user = source, user
        self.rapport = Rapport()
        self.comptes, self.ignores = {}, []
        self.lieux = {sans_accents(n): pk for pk, n in Lieu.objects.values_list("pk", "nom")}
        self.structures = {sans_accents(n): pk for pk, n in Structure.objects.values_list("pk", "nom")}
        self.themes = {sans_accents(n): pk for pk, n in Theme.objects.values_list("pk", "nom")}
        self.quartiers = {sans_accents(n): pk for pk, n in Quartier.objects.values_list("pk", "nom")}
        self.intervenants = {sans_accents(n): pk for pk, n in Intervenant.objects.values_list("pk", "nom")}
        self.demarches = {}
        for pk, code, libelle in Demarche.objects.values_list("pk", "code", "libelle"):
            self.demarches[sans_accents(code)] = pk
            self.demarches[sans_accents(libelle)] = pk
        self._index_permanences = None
        self._index_sessions = None
        self.annees_closes = annees_closes()

    # Références par nom ---------------------------------------------------------------------------
    def _ref(self, index, valeur, colonne, quoi):
        pk = index.get(sans_accents(valeur))
        if pk is None:
            raise ErreurLigne(
                colonne, f"{quoi} « {valeur[:60]} » inconnu·e (ni dans les fichiers, ni dans la base)"
            )
        return pk

    def permanences(self):
        """(lieu, date) → {heure de début: id} de toutes les permanences, chargé une fois."""
        if self._index_permanences is None:
            self._index_permanences = {}
            for pk, lieu_id, date, heure in Permanence.objects.values_list(
                "pk", "lieu_id", "date", "heure_debut"
            ):
                self._index_permanences.setdefault((lieu_id, date), {})[heure] = pk
        return self._index_permanences

    def _permanence(self, valeurs):
        lieu_id = self._ref(self.lieux, valeurs["lieu"], "lieu", "lieu")
        date = lire_date(valeurs["date"], "date")
        du_jour = self.permanences().get((lieu_id, date), {})
        heure = valeurs.get("heure_debut_permanence", "")
        if heure:
            heure = lire_heure(heure, "heure_debut_permanence")
            if heure not in du_jour:
                raise ErreurLigne(
                    "heure_debut_permanence", f"aucune permanence ce jour-là à {heure:%H:%M} dans ce lieu"
                )
            return du_jour[heure], date
        if not du_jour:
            raise ErreurLigne(
                "date", "aucune permanence ce jour-là dans ce lieu (ajoutez-la dans permanences.csv)"
            )
        if len(du_jour) > 1:
            raise ErreurLigne(
                "heure_debut_permanence", "plusieurs permanences ce jour-là dans ce lieu : précisez l'heure"
            )
        return next(iter(du_jour.values())), date

    # Boucle générale ------------------------------------------------------------------------------
    def importer(self):
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
        obligatoires, facultatives = FORMATS[nom]
        ferme = None
        limites = settings.INCLUSION
        try:
            entetes, lignes, ferme = self.source.lire(nom)
            problemes = verifier_entetes(entetes, obligatoires, facultatives)
            for colonne, message in problemes:
                self.rapport.ajouter(nom, 1, colonne, message)
            if problemes:
                return 0
            traiter = getattr(self, "_" + nom.removesuffix(".csv"))
            n = 0
            lots = []
            for numero, ligne in enumerate(lignes, start=2):
                if numero > limites["IMPORT_LIGNES_MAX"] + 1:
                    self.rapport.ajouter(
                        nom, numero, "(fichier)", f"plus de {limites['IMPORT_LIGNES_MAX']} lignes"
                    )
                    break
                if not any(c.strip() for c in ligne):
                    continue
                if any(CARACTERES_DE_CONTROLE.search(c) for c in ligne):
                    self.rapport.ajouter(
                        nom, numero, "(ligne)", "caractère de contrôle interdit (octet nul…)"
                    )
                    continue
                if any(len(c) > limites["IMPORT_CELLULE_MAX"] for c in ligne):
                    self.rapport.ajouter(
                        nom,
                        numero,
                        "(ligne)",
                        f"cellule de plus de {limites['IMPORT_CELLULE_MAX']} caractères",
                    )
                    continue
                if len(ligne) > len(entetes) and any(c.strip() for c in ligne[len(entetes) :]):
                    self.rapport.ajouter(nom, numero, "(ligne)", "plus de cellules que de colonnes")
                    continue
                valeurs = {
                    e: (cellule_lue(ligne[i].strip()) if i < len(ligne) else "")
                    for i, e in enumerate(entetes)
                }
                try:
                    self._verifier_cloture(nom, valeurs)
                    objet = traiter(valeurs)
                except ErreurLigne as erreur:
                    self.rapport.ajouter(nom, numero, erreur.colonne, erreur.message)
                    continue
                except ErreursLigne as erreurs:
                    for erreur in erreurs.erreurs:
                        self.rapport.ajouter(nom, numero, erreur.colonne, erreur.message)
                    continue
                n += 1
                if objet is not None:
                    lots.append(objet)
                    if len(lots) >= TAILLE_LOT:
                        self._ecrire(nom, lots)
                        lots = []
            if lots:
                self._ecrire(nom, lots)
            self.comptes[nom] = n
            return n
        except UnicodeDecodeError:
            self.rapport.ajouter(nom, 0, "(fichier)", "encodage illisible (UTF-8 ou Windows-1252 attendu)")
            return 0
        except csv.Error as erreur:
            if "field larger than field limit" in str(erreur):
                message = f"une cellule dépasse {limites['IMPORT_CELLULE_MAX']} caractères"
            else:
                message = "CSV illisible (guillemets mal fermés, octet nul ou ligne malformée)"
            self.rapport.ajouter(nom, 0, "(fichier)", message)
            return 0
        except ARCHIVE_ENDOMMAGEE:
            self.rapport.ajouter(nom, 0, "(fichier)", MESSAGE_ARCHIVE_ENDOMMAGEE)
            return 0
        finally:
            if ferme is not None:
                ferme.close()

    def _verifier_cloture(self, nom, valeurs):
        """Une ligne datée d'une année close est refusée (l'import écrit par lots, sans passer par save())."""
        colonne = COLONNE_DATEE.get(nom)
        if not colonne or not self.annees_closes or not valeurs.get(colonne):
            return
        try:
            annee = lire_date(valeurs[colonne], colonne).year
        except ErreurLigne:
            return  # la lecture de la ligne dira pourquoi la date est illisible
        if annee in self.annees_closes:
            raise ErreurLigne(colonne, message_annee_close(annee))

    def _ecrire(self, nom, lots):
        ecrire = getattr(self, "_ecrire_" + nom.removesuffix(".csv"), None)
        if ecrire is not None:
            ecrire(lots)

    @staticmethod
    def _requis(valeurs, colonne):
        if not valeurs.get(colonne):
            raise ErreurLigne(colonne, "valeur obligatoire manquante")
        return valeurs[colonne]

    # Référentiel ----------------------------------------------------------------------------------
    def _lieux(self, v):
        nom = self._requis(v, "nom")[:120]
        if sans_accents(nom) not in self.lieux:
            self.lieux[sans_accents(nom)] = Lieu.objects.create(
                nom=nom, adresse=v.get("adresse", "")[:255]
            ).pk

    def _structures(self, v):
        nom = self._requis(v, "nom")[:120]
        if sans_accents(nom) not in self.structures:
            self.structures[sans_accents(nom)] = Structure.objects.create(nom=nom).pk

    def _themes(self, v):
        nom = self._requis(v, "nom")[:150]
        if sans_accents(nom) not in self.themes:
            self.themes[sans_accents(nom)] = Theme.objects.create(nom=nom).pk

    def _quartiers(self, v):
        nom = self._requis(v, "nom")[:120]
        qpv = lire_booleen(v["qpv"], "qpv") if v.get("qpv") else False
        if sans_accents(nom) not in self.quartiers:
            self.quartiers[sans_accents(nom)] = Quartier.objects.create(nom=nom, qpv=qpv).pk

    def _quartier(self, v):
        """Quartier de la ligne ; vide ou « non communiqué » : inconnu."""
        valeur = v.get("quartier", "")
        if not valeur or sans_accents(valeur) == "non communique":
            return None
        return self._ref(self.quartiers, valeur, "quartier", "quartier")

    def _structure_orientation(self, v):
        return (
            self._ref(self.structures, v["oriente_vers"], "oriente_vers", "structure")
            if v.get("oriente_vers")
            else None
        )

    def _intervenants(self, v):
        nom = self._requis(v, "nom")[:120]
        structure = self._ref(self.structures, self._requis(v, "structure"), "structure", "structure")
        fonction = (
            lire_choix(v["fonction"], "fonction", CHOIX["fonction"])
            if v.get("fonction")
            else Fonction.MEDIATEUR
        )
        lieux = [self._ref(self.lieux, n, "lieux", "lieu") for n in lire_liste(v.get("lieux", ""))]
        if sans_accents(nom) not in self.intervenants:
            intervenant = Intervenant.objects.create(nom=nom, structure_id=structure, fonction=fonction)
            intervenant.lieux.set(lieux)
            self.intervenants[sans_accents(nom)] = intervenant.pk

    def _mediateurs(self, v):
        return [
            self._ref(self.intervenants, n, "mediateurs", "intervenant")
            for n in lire_liste(v.get("mediateurs", ""))
        ]

    def _creneaux(self, v):
        lieu = self._ref(self.lieux, self._requis(v, "lieu"), "lieu", "lieu")
        jour = int(lire_choix(self._requis(v, "jour"), "jour", CHOIX["jour"]))
        debut, fin = lire_heure(v["heure_debut"], "heure_debut"), lire_heure(v["heure_fin"], "heure_fin")
        if fin <= debut:
            raise ErreurLigne("heure_fin", "l'heure de fin doit suivre l'heure de début")
        du = lire_date(v["valide_du"], "valide_du")
        au = lire_date(v["valide_au"], "valide_au") if v.get("valide_au") else None
        if au and au < du:
            raise ErreurLigne("valide_au", "la fin de validité précède le début")
        mediateurs = self._mediateurs(v)
        if (
            not self.rapport
            and not Creneau.objects.filter(
                lieu_id=lieu, jour_semaine=jour, heure_debut=debut, valide_du=du
            ).exists()
        ):
            creneau = Creneau.objects.create(
                lieu_id=lieu, jour_semaine=jour, heure_debut=debut, heure_fin=fin, valide_du=du, valide_au=au
            )
            creneau.intervenants.set(mediateurs)

    def _permanences(self, v):
        lieu = self._ref(self.lieux, self._requis(v, "lieu"), "lieu", "lieu")
        date = lire_date(self._requis(v, "date"), "date")
        debut, fin = lire_heure(v["heure_debut"], "heure_debut"), lire_heure(v["heure_fin"], "heure_fin")
        if fin <= debut:
            raise ErreurLigne("heure_fin", "l'heure de fin doit suivre l'heure de début")
        annulee = lire_booleen(v["annulee"], "annulee") if v.get("annulee") else False
        return (lieu, date, debut, fin, annulee, self._mediateurs(v))

    def _ecrire_permanences(self, lots):
        """Par lots : les permanences déjà présentes (lieu, date, heure de début) sont gardées telles quelles."""
        index = self.permanences()
        nouvelles = {}
        for lieu, date, debut, fin, annulee, mediateurs in lots:
            if debut not in index.get((lieu, date), {}) and (lieu, date, debut) not in nouvelles:
                nouvelles[(lieu, date, debut)] = (
                    Permanence(lieu_id=lieu, date=date, heure_debut=debut, heure_fin=fin, annulee=annulee),
                    mediateurs,
                )
        creees = Permanence.objects.bulk_create([p for p, _ in nouvelles.values()], batch_size=2000)
        Lien = Permanence.intervenants.through
        liens = []
        for (_, mediateurs), creee in zip(nouvelles.values(), creees, strict=True):
            if creee.pk is None:  # SQLite ancien : relire l'identifiant
                creee.pk = Permanence.objects.get(
                    lieu_id=creee.lieu_id, date=creee.date, heure_debut=creee.heure_debut
                ).pk
            index.setdefault((creee.lieu_id, creee.date), {})[creee.heure_debut] = creee.pk
            liens += [Lien(permanence_id=creee.pk, intervenant_id=m) for m in set(mediateurs)]
        Lien.objects.bulk_create(liens, batch_size=5000)

    # Passages et refus ------------------------------------------------------------------------------
    def _passages(self, v):
        c = Collecte()
        permanence = c(self._permanence, v)
        type_demande = c(lire_choix, v["type_demande"], "type_demande", CHOIX["type_demande"])
        demarche = (
            c(self._ref, self.demarches, v["demarche"], "demarche", "démarche") if v.get("demarche") else None
        )
        if type_demande == TypeDemande.DEMARCHE_EN_LIGNE and demarche is None and not v.get("demarche"):
            c.erreurs.append(
                ErreurLigne("demarche", "démarche obligatoire pour une aide aux démarches en ligne")
            )
        if type_demande == TypeDemande.ACCOMPAGNEMENT_TECHNIQUE:
            demarche = None
        ligne = (
            permanence[0] if permanence else None,
            type_demande,
            demarche,
            c(lire_entier, v["duree_minutes"], "duree_minutes", 1, DUREE_MAX_MINUTES),
            c(lire_choix, v["autonomie"], "autonomie", CHOIX["autonomie"]),
            c(lire_choix, v["tranche_age"], "tranche_age", CHOIX["tranche_age"]),
            c(lire_choix, v["genre"], "genre", CHOIX["genre"]),
            c(lire_booleen, v["autre_venue_necessaire"], "autre_venue_necessaire")
            if v.get("autre_venue_necessaire")
            else False,
            c(lire_entier, v["attente_minutes"], "attente_minutes", 0, 24 * 60)
            if v.get("attente_minutes")
            else None,
            permanence[1] if permanence else None,
            c(self._structure_orientation, v),
            Passage.encoder_freins(
                [c(lire_choix, code, "freins", CHOIX["frein"]) for code in lire_liste(v.get("freins", ""))]
            ),
            c(self._quartier, v),
        )
        c.verifier()
        return ligne

    COLONNES_PASSAGE = (
        "permanence_id",
        "type_demande",
        "demarche_id",
        "duree_minutes",
        "autonomie",
        "tranche_age",
        "genre",
        "autre_venue_necessaire",
        "attente_minutes",
        "date",
        "oriente_vers_id",
        "freins",
        "quartier_id",
    )

    def _ecrire_passages(self, lots):
        maintenant = timezone.now()
        if connection.vendor == "postgresql":
            colonnes = ", ".join((*self.COLONNES_PASSAGE, "note", "cree_le"))
            with (
                connection.connection.cursor() as curseur,
                curseur.copy(
                    f"COPY {Passage._meta.db_table} ({colonnes}) FROM STDIN"  # noqa: S608 - table et colonnes du modèle
                ) as copie,
            ):
                for ligne in lots:
                    copie.write_row((*ligne, "", maintenant))
        else:
            Passage.objects.bulk_create(
                [
                    Passage(**dict(zip(self.COLONNES_PASSAGE, ligne, strict=True)), cree_le=maintenant)
                    for ligne in lots
                ],
                batch_size=1000,
            )

    def _refus(self, v):
        permanence, date = self._permanence(v)
        nombre = lire_entier(self._requis(v, "nombre"), "nombre", 1, 1000)
        motif = lire_choix(v["motif"], "motif", CHOIX["motif_refus"]) if v.get("motif") else ""
        heure = v.get("heure_debut_permanence") or "12:00"
        horodatage = timezone.make_aware(
            datetime.datetime.combine(date, lire_heure(heure, "heure_debut_permanence"))
        )
        return [(permanence, horodatage, motif, self._structure_orientation(v), date)] * nombre

    def _ecrire_refus(self, lots):
        Refus.objects.bulk_create(
            [
                Refus(uuid=uuid.uuid4(), permanence_id=p, horodatage=h, motif=m, oriente_vers_id=o, date=d)
                for lot in lots
                for p, h, m, o, d in lot
            ],
            batch_size=2000,
        )

    # Rendez-vous ------------------------------------------------------------------------------------
    def _rendez_vous(self, v):
        statut = lire_choix(v["statut"], "statut", CHOIX["statut_rdv"])
        duree = (
            lire_entier(v["duree_minutes"], "duree_minutes", 1, DUREE_MAX_MINUTES)
            if v.get("duree_minutes")
            else None
        )
        if statut == StatutRendezVous.HONORE and duree is None:
            raise ErreurLigne("duree_minutes", "durée obligatoire pour un rendez-vous honoré")
        type_demande = (
            lire_choix(v["type_demande"], "type_demande", CHOIX["type_demande"])
            if v.get("type_demande")
            else ""
        )
        demarche = (
            self._ref(self.demarches, v["demarche"], "demarche", "démarche") if v.get("demarche") else None
        )
        if type_demande == TypeDemande.DEMARCHE_EN_LIGNE and demarche is None:
            raise ErreurLigne("demarche", "démarche obligatoire pour une aide aux démarches en ligne")
        return RendezVous(
            date=lire_date(self._requis(v, "date"), "date"),
            heure=lire_heure(v["heure"], "heure") if v.get("heure") else None,
            service=lire_choix(v["service"], "service", CHOIX["service"]),
            lieu_id=self._ref(self.lieux, self._requis(v, "lieu"), "lieu", "lieu"),
            intervenant_id=self._ref(
                self.intervenants, self._requis(v, "intervenant"), "intervenant", "intervenant"
            ),
            duree_minutes=duree,
            motif=lire_choix(v["motif"], "motif", CHOIX["motif_rdv"]) if v.get("motif") else "",
            type_demande=type_demande,
            demarche_id=demarche if type_demande != TypeDemande.ACCOMPAGNEMENT_TECHNIQUE else None,
            tranche_age=lire_choix(v["tranche_age"], "tranche_age", CHOIX["tranche_age"]),
            genre=lire_choix(v["genre"], "genre", CHOIX["genre"]),
            statut=statut,
            quartier_id=self._quartier(v),
        )

    def _ecrire_rendez_vous(self, lots):
        RendezVous.objects.bulk_create(lots, batch_size=2000)

    # Formations -------------------------------------------------------------------------------------
    def _sessions_formation(self, v):
        debut = lire_heure(v["heure_debut"], "heure_debut") if v.get("heure_debut") else None
        fin = lire_heure(v["heure_fin"], "heure_fin") if v.get("heure_fin") else None
        if debut and fin and fin <= debut:
            raise ErreurLigne("heure_fin", "l'heure de fin doit suivre l'heure de début")
        session = SessionFormation(
            date=lire_date(self._requis(v, "date"), "date"),
            theme_id=self._ref(self.themes, self._requis(v, "theme"), "theme", "thème"),
            statut=lire_choix(v["statut"], "statut", CHOIX["statut_session"]),
            lieu_id=self._ref(self.lieux, v["lieu"], "lieu", "lieu") if v.get("lieu") else None,
            formateur_id=self._ref(self.intervenants, v["formateur"], "formateur", "intervenant")
            if v.get("formateur")
            else None,
            heure_debut=debut,
            heure_fin=fin,
            capacite=lire_entier(v["capacite"], "capacite", 1, 500) if v.get("capacite") else 12,
        )
        session.save()
        if self._index_sessions is not None:
            self._index_sessions.setdefault((session.theme_id, session.date), []).append(session.pk)
        return None

    def sessions(self):
        if self._index_sessions is None:
            self._index_sessions = {}
            for pk, theme, date in SessionFormation.objects.values_list("pk", "theme_id", "date"):
                self._index_sessions.setdefault((theme, date), []).append(pk)
        return self._index_sessions

    def _inscriptions(self, v):
        theme = self._ref(self.themes, self._requis(v, "theme"), "theme", "thème")
        date = lire_date(self._requis(v, "date_session"), "date_session")
        sessions = self.sessions().get((theme, date), [])
        if not sessions:
            raise ErreurLigne("date_session", "aucune session de ce thème à cette date")
        if len(sessions) > 1:
            raise ErreurLigne("date_session", "plusieurs sessions de ce thème à cette date")
        present = Presence.INCONNUE
        if v.get("present"):
            present = Presence.PRESENT if lire_booleen(v["present"], "present") else Presence.ABSENT
        email = v.get("email", "")[:254]
        if email and "@" not in email:
            raise ErreurLigne("email", f"adresse de courriel invalide « {email[:60]} »")
        return Inscription(
            session_id=sessions[0],
            structure_id=self._ref(self.structures, self._requis(v, "structure"), "structure", "structure"),
            nom=v.get("nom", "")[:150],
            email=email,
            present=present,
        )

    def _ecrire_inscriptions(self, lots):
        Inscription.objects.bulk_create(lots, batch_size=2000)

    def _accompagnements_formation(self, v):
        return AccompagnementFormation(
            date=lire_date(self._requis(v, "date"), "date"),
            duree_minutes=lire_entier(self._requis(v, "duree_minutes"), "duree_minutes", 1, 600),
            structure_id=self._ref(self.structures, self._requis(v, "structure"), "structure", "structure"),
            theme_id=self._ref(self.themes, v["theme"], "theme", "thème") if v.get("theme") else None,
        )

    def _ecrire_accompagnements_formation(self, lots):
        AccompagnementFormation.objects.bulk_create(lots)

    def _chiffres_externes(self, v):
        annee = lire_entier(self._requis(v, "annee"), "annee", 2000, 2100)
        indicateur = self._requis(v, "indicateur")[:100]
        section, _, cle = indicateur.partition(".")
        if not cle or section not in {"permanences", "rendez_vous", "arcs", "formations", "dispositif"}:
            raise ErreurLigne(
                "indicateur", f"indicateur « {indicateur[:60]} » inconnu (chemin du Bilan JSON attendu)"
            )
        try:
            valeur = Decimal(
                self._requis(v, "valeur").replace(",", ".").replace(" ", "").replace("\u202f", "")
            )
        except InvalidOperation:
            raise ErreurLigne("valeur", f"nombre attendu, pas « {v['valeur'][:30]} »") from None
        if not valeur.is_finite() or abs(valeur.quantize(Decimal("0.01"))) >= Decimal("1e10"):
            raise ErreurLigne("valeur", "nombre hors limites (moins de 10 milliards, deux décimales)")
        ChiffreExterne.objects.update_or_create(
            annee=annee,
            indicateur=indicateur,
            defaults={"valeur": valeur, "source": v.get("source", "")[:200]},
        )
        return None

    def _analyses(self, v):
        annee = lire_entier(self._requis(v, "annee"), "annee", 2000, 2100)
        section = lire_choix(self._requis(v, "section"), "section", CHOIX["section_bilan"])
        ordre = lire_entier(self._requis(v, "ordre"), "ordre", 1, 999)
        titre, texte = v.get("titre", ""), v.get("texte", "")
        if len(titre) > 200:
            raise ErreurLigne("titre", "200 caractères au plus")
        if len(texte) > 2000:
            raise ErreurLigne("texte", "2 000 caractères au plus")
        if not titre and not texte:
            raise ErreurLigne("texte", "un point a un titre ou un texte")
        inconnues = cles_inconnues(texte)
        if inconnues:
            raise ErreurLigne("texte", f"clé inconnue : {{{inconnues[0][:60]}}}")
        point = PointAnalyse.objects.filter(annee=annee, section=section, ordre=ordre).first()
        if point is None:
            PointAnalyse.objects.create(
                annee=annee, section=section, ordre=ordre, titre=titre, texte=texte, modifie_par=self.user
            )
        else:
            modifier_point(point, titre=titre, texte=texte, auteur=self.user)
        return None


def importer(source, *, user=None, essai=False):
    """Importe une source ; `essai` : tout vérifier puis tout annuler. Renvoie (comptes, fichiers ignorés)."""
    importeur = Importeur(source, user=user)
    if essai:
        try:
            with transaction.atomic():
                importeur.importer()
                raise _Essai
        except _Essai:
            pass
    else:
        importeur.importer()
    return importeur.comptes, importeur.ignores


class _Essai(Exception):
    pass


# --- Export -------------------------------------------------------------------------------------------


def _d(valeur):
    return valeur.isoformat() if valeur else ""


def _h(valeur):
    return valeur.strftime("%H:%M") if valeur else ""


def _oui(valeur):
    return "oui" if valeur else "non"


def lignes_passages(passages):
    """(en-têtes, lignes) des passages au format de passages.csv : pseudonymes (aucun nom), lus en flux."""
    entetes = [
        "date",
        "lieu",
        "heure_debut_permanence",
        "type_demande",
        "demarche",
        "duree_minutes",
        "autonomie",
        "tranche_age",
        "genre",
        "autre_venue_necessaire",
        "attente_minutes",
        "oriente_vers",
        "freins",
        "quartier",
    ]
    valeurs = (
        passages.order_by("date", "pk")
        .values_list(
            "date",
            "permanence__lieu__nom",
            "permanence__heure_debut",
            "type_demande",
            "demarche__code",
            "duree_minutes",
            "autonomie",
            "tranche_age",
            "genre",
            "autre_venue_necessaire",
            "attente_minutes",
            "oriente_vers__nom",
            "freins",
            "quartier__nom",
        )
        .iterator(chunk_size=5000)
    )
    return entetes, (
        (
            _d(d),
            lieu,
            _h(h),
            t,
            dem or "",
            duree,
            a,
            age,
            g,
            _oui(autre),
            "" if att is None else att,
            o or "",
            " | ".join(c for c in f.split("|") if c),
            q or "",
        )
        for d, lieu, h, t, dem, duree, a, age, g, autre, att, o, f, q in valeurs
    )


def lignes_rendez_vous(rendez_vous):
    """(en-têtes, lignes) des rendez-vous au format de rendez_vous.csv : sans nom ni téléphone."""
    entetes = [
        "date",
        "heure",
        "service",
        "lieu",
        "intervenant",
        "duree_minutes",
        "motif",
        "type_demande",
        "demarche",
        "tranche_age",
        "genre",
        "statut",
        "quartier",
    ]
    return entetes, (
        (
            _d(r.date),
            _h(r.heure),
            r.service,
            r.lieu.nom,
            r.intervenant.nom,
            r.duree_minutes or "",
            r.motif,
            r.type_demande,
            r.demarche.code if r.demarche else "",
            r.tranche_age,
            r.genre,
            r.statut,
            r.quartier.nom if r.quartier else "",
        )
        for r in rendez_vous.select_related("lieu", "intervenant", "demarche", "quartier")
        .order_by("date", "pk")
        .iterator(chunk_size=2000)
    )


def lignes_export(annee=None):
    """{fichier: (en-têtes, lignes)} : les mêmes formats qu'à l'import (lecture en flux des grandes tables)."""

    def de_l_annee(qs, champ="date"):
        if annee is None:
            return qs
        return qs.filter(
            **{f"{champ}__gte": datetime.date(annee, 1, 1), f"{champ}__lt": datetime.date(annee + 1, 1, 1)}
        )

    def mediateurs(objets):
        return (" | ".join(i.nom for i in o.intervenants.all()) for o in objets)

    permanences = de_l_annee(
        Permanence.objects.select_related("lieu").prefetch_related("intervenants")
    ).order_by("date", "heure_debut", "pk")
    creneaux = Creneau.objects.select_related("lieu").prefetch_related("intervenants").order_by("pk")
    refus = (
        de_l_annee(Refus.objects.actifs(), "date")
        .values_list(
            "permanence__date",
            "permanence__lieu__nom",
            "permanence__heure_debut",
            "motif",
            "oriente_vers__nom",
        )
        .order_by(
            "permanence__date",
            "permanence__lieu__nom",
            "permanence__heure_debut",
            "motif",
            "oriente_vers__nom",
        )
    )
    from django.db.models import Count

    return {
        "lieux.csv": (["nom", "adresse"], ((n, a) for n, a in Lieu.objects.values_list("nom", "adresse"))),
        "structures.csv": (["nom"], ((n,) for n in Structure.objects.values_list("nom", flat=True))),
        "quartiers.csv": (
            ["nom", "qpv"],
            ((n, _oui(q)) for n, q in Quartier.objects.values_list("nom", "qpv")),
        ),
        "intervenants.csv": (
            ["nom", "structure", "fonction", "lieux"],
            (
                (i.nom, i.structure.nom, i.fonction, " | ".join(lieu.nom for lieu in i.lieux.all()))
                for i in Intervenant.objects.select_related("structure").prefetch_related("lieux")
            ),
        ),
        "themes.csv": (["nom"], ((n,) for n in Theme.objects.values_list("nom", flat=True))),
        "creneaux.csv": (
            ["lieu", "jour", "heure_debut", "heure_fin", "valide_du", "valide_au", "mediateurs"],
            (
                (
                    c.lieu.nom,
                    c.jour_semaine,
                    _h(c.heure_debut),
                    _h(c.heure_fin),
                    _d(c.valide_du),
                    _d(c.valide_au),
                    m,
                )
                for c, m in zip(creneaux, mediateurs(creneaux), strict=True)
            ),
        ),
        "permanences.csv": (
            ["date", "lieu", "heure_debut", "heure_fin", "mediateurs", "annulee"],
            (
                (_d(p.date), p.lieu.nom, _h(p.heure_debut), _h(p.heure_fin), m, _oui(p.annulee))
                for p, m in zip(permanences, mediateurs(permanences), strict=True)
            ),
        ),
        "passages.csv": lignes_passages(de_l_annee(Passage.objects, "date")),
        "refus.csv": (
            ["date", "lieu", "heure_debut_permanence", "nombre", "motif", "oriente_vers"],
            (
                (_d(d), lieu, _h(h), n, m, o or "")
                for d, lieu, h, m, o, n in refus.annotate(n=Count("pk")).values_list(
                    "permanence__date",
                    "permanence__lieu__nom",
                    "permanence__heure_debut",
                    "motif",
                    "oriente_vers__nom",
                    "n",
                )
            ),
        ),
        "rendez_vous.csv": lignes_rendez_vous(de_l_annee(RendezVous.objects)),
        "sessions_formation.csv": (
            ["date", "theme", "lieu", "heure_debut", "heure_fin", "formateur", "capacite", "statut"],
            (
                (
                    _d(s.date),
                    s.theme.nom,
                    s.lieu.nom if s.lieu else "",
                    _h(s.heure_debut),
                    _h(s.heure_fin),
                    s.formateur.nom if s.formateur else "",
                    s.capacite,
                    s.statut,
                )
                for s in de_l_annee(
                    SessionFormation.objects.select_related("theme", "lieu", "formateur")
                ).order_by("date", "pk")
            ),
        ),
        "inscriptions.csv": (
            ["date_session", "theme", "structure", "nom", "email", "present"],
            (
                (
                    _d(i.session.date),
                    i.session.theme.nom,
                    i.structure.nom,
                    i.nom,
                    i.email,
                    {"oui": "oui", "non": "non"}.get(i.present, ""),
                )
                for i in de_l_annee(Inscription.objects.filter(liste_attente=False), "session__date")
                .select_related("session__theme", "structure")
                .order_by("session__date", "pk")
            ),
        ),
        "accompagnements_formation.csv": (
            ["date", "duree_minutes", "structure", "theme"],
            (
                (_d(a.date), a.duree_minutes, a.structure.nom, a.theme.nom if a.theme else "")
                for a in de_l_annee(
                    AccompagnementFormation.objects.select_related("structure", "theme")
                ).order_by("date", "pk")
            ),
        ),
        "analyses.csv": (
            ["annee", "section", "ordre", "titre", "texte"],
            (
                (p.annee, p.section, p.ordre, p.titre, p.texte)
                for p in (PointAnalyse.objects.filter(annee=annee) if annee else PointAnalyse.objects.all())
            ),
        ),
        "chiffres_externes.csv": (
            ["annee", "indicateur", "valeur", "source"],
            (
                (c.annee, c.indicateur, format(c.valeur.normalize(), "f"), c.source)
                for c in (
                    ChiffreExterne.objects.filter(annee=annee) if annee else ChiffreExterne.objects.all()
                )
            ),
        ),
    }


def exporter_dossier(dossier, annee=None):
    """Écrit les fichiers CSV (UTF-8, séparateur « , ») dans `dossier` ; renvoie {fichier: lignes}."""
    dossier = Path(dossier)
    dossier.mkdir(parents=True, exist_ok=True)
    comptes = {}
    for nom, (entetes, lignes) in lignes_export(annee).items():
        with open(dossier / nom, "w", encoding="utf-8", newline="") as f:
            ecrivain = csv.writer(f)
            ecrivain.writerow(ligne_sure(entetes))
            n = 0
            for ligne in lignes:
                ecrivain.writerow(ligne_sure(ligne))
                n += 1
        comptes[nom] = n
    return comptes


def archive_zip(annee=None):
    """Les mêmes fichiers dans une archive zip (téléchargement)."""
    import zipfile

    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as archive:
        for nom, (entetes, lignes) in lignes_export(annee).items():
            texte = io.StringIO()
            ecrivain = csv.writer(texte)
            ecrivain.writerow(ligne_sure(entetes))
            ecrivain.writerows(ligne_sure(ligne) for ligne in lignes)
            archive.writestr(nom, texte.getvalue())
    return tampon.getvalue()


# --- Téléversement : zip ou classeur XLSX, avec garde-fous ---------------------------------------------

TAILLE_MAX_TELEVERSEMENT = 50 * 1024 * 1024
TAILLE_MAX_DECOMPRESSEE = 500 * 1024 * 1024
TAUX_COMPRESSION_MAX = 200


class TeleversementRefuse(Exception):
    pass


def source_televersee(fichier):
    """Source d'import à partir d'un fichier téléversé (zip des CSV ou classeur XLSX), vérifiée."""
    import zipfile

    if fichier.size > TAILLE_MAX_TELEVERSEMENT:
        raise TeleversementRefuse(
            f"Fichier trop volumineux (au plus {TAILLE_MAX_TELEVERSEMENT // 1024 // 1024} Mo)."
        )
    if not zipfile.is_zipfile(fichier):
        raise TeleversementRefuse(
            "Fichier illisible : une archive zip de fichiers CSV ou un classeur XLSX est attendu."
        )
    fichier.seek(0)
    archive = zipfile.ZipFile(fichier)
    total = 0
    for info in archive.infolist():
        nom = info.filename
        if nom.startswith(("/", "\\")) or ".." in nom.replace("\\", "/").split("/") or ":" in nom:
            raise TeleversementRefuse(f"Nom de fichier refusé dans l'archive : « {nom[:80]} ».")
        total += info.file_size
        if total > TAILLE_MAX_DECOMPRESSEE:
            raise TeleversementRefuse("Archive refusée : son contenu décompressé est trop volumineux.")
        if info.compress_size and info.file_size / info.compress_size > TAUX_COMPRESSION_MAX:
            raise TeleversementRefuse(
                "Archive refusée : taux de compression anormal (bombe de décompression ?)."
            )
    noms = archive.namelist()
    if "[Content_Types].xml" in noms and any(n.startswith("xl/") for n in noms):
        textes = sum(
            i.file_size for i in archive.infolist() if i.filename.lower().startswith("xl/sharedstrings")
        )
        if textes > settings.INCLUSION["IMPORT_XLSX_TEXTES_MAX_OCTETS"]:
            raise TeleversementRefuse(
                "Classeur refusé : ses textes occupent plus de "
                f"{settings.INCLUSION['IMPORT_XLSX_TEXTES_MAX_OCTETS'] // 1024 // 1024} Mo une fois décompressés ; "
                "importez plutôt une archive zip de fichiers CSV."
            )
        fichier.seek(0)
        return SourceClasseur(fichier)
    fichiers = {Path(n).name: n for n in noms if not n.endswith("/") and Path(n).name in FORMATS}
    if not fichiers:
        raise TeleversementRefuse(
            "Aucun fichier reconnu dans l'archive (noms attendus : " + ", ".join(FORMATS) + ")."
        )
    return SourceFichiers(lambda nom: archive.open(fichiers[nom]), [n for n in FORMATS if n in fichiers])
