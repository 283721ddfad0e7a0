"""Les documents produits par un travail (exports) : écrits en flux dans un fichier temporaire, puis rangés."""

import tempfile

from django.core.files import File


def enregistrer_document(traitement, ecrire, nom_fichier):
    """Écrit le document dans un fichier temporaire, puis le range dans le stockage du projet (MEDIA_ROOT) : la
    mémoire ne grandit pas avec le nombre d'enregistrements."""
    with tempfile.TemporaryFile() as flux:
        ecrire(flux)
        flux.seek(0)
        traitement.fichier.save(nom_fichier, File(flux), save=False)
    traitement.nom_fichier = nom_fichier
    traitement.resultat = {"octets": traitement.fichier.size}
