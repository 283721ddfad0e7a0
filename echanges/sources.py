"""Sources d'import : un dossier, une archive zip de fichiers CSV ou un classeur XLSX, avec les garde-fous du
téléversement (taille, chemins, bombes de décompression, classeurs hostiles)."""

import datetime
import hashlib
import io
import zipfile
import zlib
from pathlib import Path

from django.conf import settings

from inclusion.echanges import lecteur_csv, ouvrir_texte

from .formats import FICHIERS

ARCHIVE_ENDOMMAGEE = (zipfile.BadZipFile, zlib.error, EOFError)
MESSAGE_ARCHIVE_ENDOMMAGEE = "archive endommagée : ce fichier ne se décompresse pas"


class TeleversementRefuse(Exception):
    pass


class Source:
    """Donne, pour chaque fichier présent, son empreinte et un lecteur (en-têtes, lignes)."""

    def noms(self):
        raise NotImplementedError

    def empreinte(self, nom):
        raise NotImplementedError

    def lire(self, nom):
        raise NotImplementedError

    def taille(self, nom):
        """Ce qu'il y a à lire dans ce fichier (octets, ou lignes d'une feuille), pour l'avancement."""
        raise NotImplementedError

    def position(self, lecteur, numero):
        """Où en est la lecture (même unité que taille), `numero` étant la ligne en cours."""
        raise NotImplementedError


class SourceFichiers(Source):
    """Dossier ou archive : chaque fichier est relu en flux (une passe pour l'empreinte, une pour les lignes)."""

    def __init__(self, ouvrir, noms, tailles=None):
        self._ouvrir, self._noms, self._tailles = ouvrir, noms, tailles or {}

    @classmethod
    def dossier(cls, chemin):
        chemin = Path(chemin)
        noms = [n for n in FICHIERS if (chemin / n).is_file()]
        return cls(
            lambda nom: open(chemin / nom, "rb"),  # noqa: SIM115
            noms,
            {n: (chemin / n).stat().st_size for n in noms},
        )

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

    def taille(self, nom):
        return self._tailles.get(nom, 0)

    def position(self, lecteur, numero):
        return lecteur.flux.tell() if lecteur is not None else 0


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
        self.feuilles, self._tailles = {}, {}
        for feuille in self.classeur.worksheets:
            nom = feuille.title.strip().lower()
            nom = nom if nom.endswith(".csv") else f"{nom}.csv"
            if nom in FICHIERS:
                self.feuilles[nom] = feuille
                # Dimension déclarée par le fichier : elle peut mentir, elle ne sert qu'à l'avancement affiché.
                self._tailles[nom] = min(feuille.max_row or 0, settings.INCLUSION["IMPORT_LIGNES_MAX"])

    def taille(self, nom):
        return self._tailles.get(nom, 0)

    def position(self, lecteur, numero):
        return numero

    def noms(self):
        return [n for n in FICHIERS if n in self.feuilles]

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


TAILLE_MAX_TELEVERSEMENT = 50 * 1024 * 1024
TAILLE_MAX_DECOMPRESSEE = 500 * 1024 * 1024
TAUX_COMPRESSION_MAX = 200


class _Tenu(io.RawIOBase):
    """Le fichier téléversé lu sans être fermé par la lecture (la source le relit : empreinte, puis lignes)."""

    def __init__(self, fichier):
        self.fichier = fichier

    def readable(self):
        return True

    def seekable(self):
        return True

    def seek(self, position, depart=io.SEEK_SET):
        return self.fichier.seek(position, depart)

    def tell(self):
        return self.fichier.tell()

    def readinto(self, tampon):
        donnees = self.fichier.read(len(tampon))
        tampon[: len(donnees)] = donnees
        return len(donnees)


def _source_csv_seul(fichier, nom):
    """Un fichier CSV téléversé seul : c'est le fichier déclaré de ce nom (passages.csv…), rien d'autre."""
    nom = Path(nom).name.lower()
    if nom not in FICHIERS:
        raise TeleversementRefuse(
            f"Fichier CSV « {nom[:80]} » non reconnu : un fichier CSV seul doit porter le nom d'un des fichiers "
            "déclarés (" + ", ".join(FICHIERS) + "), ou être rangé avec d'autres dans une archive zip."
        )

    def ouvrir(_nom):
        fichier.seek(0)
        return io.BufferedReader(_Tenu(fichier), 1 << 20)

    return SourceFichiers(ouvrir, [nom], {nom: fichier.size})


def source_televersee(fichier, nom=None):
    """Source d'import à partir d'un fichier téléversé (zip des CSV, classeur XLSX, ou un CSV déclaré seul),
    vérifiée. `nom` : le nom du fichier chez la personne qui l'envoie (par défaut, celui du fichier)."""
    nom = nom if nom is not None else getattr(fichier, "name", "") or ""
    if fichier.size > TAILLE_MAX_TELEVERSEMENT:
        raise TeleversementRefuse(
            f"Fichier trop volumineux (au plus {TAILLE_MAX_TELEVERSEMENT // 1024 // 1024} Mo)."
        )
    if not zipfile.is_zipfile(fichier):
        if Path(nom).suffix.lower() == ".csv":
            return _source_csv_seul(fichier, nom)
        raise TeleversementRefuse(
            "Fichier illisible : une archive zip de fichiers CSV, un classeur XLSX, ou un fichier CSV déclaré "
            "(" + ", ".join(FICHIERS) + ") est attendu."
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
    fichiers = {Path(n).name: n for n in noms if not n.endswith("/") and Path(n).name in FICHIERS}
    if not fichiers:
        raise TeleversementRefuse(
            "Aucun fichier reconnu dans l'archive (noms attendus : " + ", ".join(FICHIERS) + ")."
        )
    return SourceFichiers(
        # Lecture des lignes en C (BufferedReader) : celle de ZipExtFile, en Python, coûte 1,5 s par million.
        lambda nom: io.BufferedReader(archive.open(fichiers[nom]), 1 << 20),
        [n for n in FICHIERS if n in fichiers],
        {n: archive.getinfo(fichiers[n]).file_size for n in fichiers},
    )
