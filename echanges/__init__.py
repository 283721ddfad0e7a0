"""Échanges de fichiers (CSV, XLSX) : les formats déclarés une fois (formats.py), les sources et leurs
garde-fous (sources.py), l'import (importeur.py, enregistrements.py, lecture.py) et l'export (exporteur.py).

rapports possède ces échanges parce qu'ils couvrent toutes les applications, comme le Bilan ; il n'écrit dans
les autres applications qu'à travers leurs services.
"""

from .exporteur import archive_zip, ecrire_archive_zip, exporter_dossier, lignes_export
from .formats import FICHIERS
from .importeur import Importeur, ImportRefuse, importer
from .sources import SourceClasseur, SourceFichiers, TeleversementRefuse, source_televersee

__all__ = [
    "FICHIERS",
    "ImportRefuse",
    "Importeur",
    "SourceClasseur",
    "SourceFichiers",
    "TeleversementRefuse",
    "archive_zip",
    "ecrire_archive_zip",
    "exporter_dossier",
    "importer",
    "lignes_export",
    "source_televersee",
]
