"""Écritures du référentiel : lieux, structures, quartiers, intervenants.

L'import, l'annuaire national (data·inclusion) et la démonstration créent leurs lignes par ici ; l'administration
écrit par ses formulaires sur les mêmes modèles, sous les mêmes contraintes de la base (noms uniques sans
distinction de casse). Un nom est rangé sans espaces en trop : « ESC  Maurepas » et « ESC Maurepas » ne font
pas deux lieux.
"""

from .models import Intervenant, Lieu, Quartier, Structure


def nom_propre(nom):
    """Le nom tel qu'il est rangé : espaces de début et de fin ôtés, espaces répétés réduits à un."""
    return " ".join(str(nom).split())


def creer_lieu(*, nom, **champs):
    return Lieu.objects.create(nom=nom_propre(nom), **champs)


def creer_structure(*, nom, **champs):
    return Structure.objects.create(nom=nom_propre(nom), **champs)


def creer_quartier(*, nom, qpv=False):
    return Quartier.objects.create(nom=nom_propre(nom), qpv=qpv)


def creer_intervenant(*, nom, structure, fonction, lieux=(), **champs):
    """Un intervenant, sa structure (objet ou identifiant) et les lieux où il intervient."""
    cle = "structure_id" if isinstance(structure, int) else "structure"
    intervenant = Intervenant.objects.create(
        nom=nom_propre(nom), fonction=fonction, **{cle: structure}, **champs
    )
    if lieux:
        intervenant.lieux.set(lieux)
    return intervenant
