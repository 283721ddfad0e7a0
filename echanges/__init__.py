"""Échanges de fichiers (CSV, XLSX, JSON) : les formats déclarés une fois (formats.py), les sources et leurs
garde-fous (sources.py), l'import (importeur.py, enregistrements.py, lecture.py) et l'export (exporteur.py), la
Coop (coop.py, coop_classeur.py), les schémas nationaux (schemas_nationaux.py, standard_lieux.py, import de
l'annuaire data·inclusion dans data_inclusion.py), les chiffres d'un autre dispositif (chiffres_importes.py) et
le registre des fichiers importés (models.FichierImporte).

Ces échanges couvrent toutes les applications ; ils n'écrivent dans les autres qu'à travers leurs services.
"""
