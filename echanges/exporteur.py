"""Export aux formats de l'import (réimportables tels quels) : chaque fichier est lu par les champs de ses
colonnes déclarées (formats.py), en flux, et chaque valeur écrite comme l'import la relit."""

import csv
import io
import zipfile
from itertools import islice
from pathlib import Path

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q
from django.db.models.functions import TruncTime

from formations.models import AccompagnementFormation, Inscription, SessionFormation, Theme
from inclusion.echanges import ligne_sure
from inclusion.models import Intervenant, Lieu, Quartier, Structure
from permanences.models import Arrivee, Creneau, Passage, Permanence, Refus, RendezVous
from rapports.models import ChiffreExterne, PointAnalyse

from .formats import FICHIERS

TAILLE_LOT = 2000


def _requetes(annee):
    """{fichier: requête ordonnée} des enregistrements exportés (de l'année `annee`, ou de toutes)."""

    def datees(qs):
        return qs if annee is None else qs.de_l_annee(annee)

    def de_l_annee(qs):
        return qs if annee is None else qs.filter(annee=annee)

    refus = [c.champ for c in FICHIERS["refus.csv"].colonnes if c.nom != "nombre"]
    return {
        "lieux.csv": Lieu.objects.all(),
        "structures.csv": Structure.objects.all(),
        "quartiers.csv": Quartier.objects.all(),
        "intervenants.csv": Intervenant.objects.all(),
        "themes.csv": Theme.objects.all(),
        "creneaux.csv": Creneau.objects.order_by("pk"),
        "permanences.csv": datees(Permanence.objects).order_by("date", "heure_debut", "pk"),
        "passages.csv": datees(Passage.objects).order_by("date", "pk"),
        # Les refus d'une même permanence, d'un même motif et d'une même orientation : une ligne et leur nombre.
        "refus.csv": datees(Refus.objects.actifs())
        .values(*refus)
        .annotate(nombre=Count("pk"))
        .order_by(*refus),
        # Les arrivées, annulées comprises (marquées) : leur profil fait le « suivi depuis » du profil à l'accueil.
        "arrivees.csv": (
            Arrivee.objects if annee is None else Arrivee.objects.filter(permanence__date__year=annee)
        )
        .annotate(
            date=F("permanence__date"),
            heure=TruncTime("horodatage"),
            annulee=ExpressionWrapper(Q(annulee_le__isnull=False), output_field=BooleanField()),
        )
        .order_by("permanence__date", "horodatage", "pk"),
        "rendez_vous.csv": datees(RendezVous.objects).order_by("date", "pk"),
        "sessions_formation.csv": datees(SessionFormation.objects).order_by("date", "pk"),
        "inscriptions.csv": datees(Inscription.objects.confirmees()).order_by("session__date", "pk"),
        "accompagnements_formation.csv": datees(AccompagnementFormation.objects).order_by("date", "pk"),
        "chiffres_externes.csv": de_l_annee(ChiffreExterne.objects.all()),
        "analyses.csv": de_l_annee(PointAnalyse.objects.all()),
    }


def _par_lots(iterable, taille):
    iterateur = iter(iterable)
    while lot := list(islice(iterateur, taille)):
        yield lot


def _noms_lies(modele, champ, identifiants):
    """{identifiant: [noms]} d'une relation multiple (médiateurs d'une permanence…), en une requête."""
    noms = {}
    for pk, nom in modele.objects.filter(pk__in=identifiants).order_by("pk", champ).values_list("pk", champ):
        if nom is not None:
            noms.setdefault(pk, []).append(nom)
    return noms


def lignes_du_fichier(fichier, requete):
    """Les lignes d'un fichier, valeurs écrites selon leur colonne ; une requête de plus par lot et par relation
    multiple."""
    relations = [c for c in fichier.colonnes if c.relation_multiple]
    champs = [c.champ for c in fichier.colonnes if not c.relation_multiple]
    if relations:
        champs.insert(0, "pk")
    for lot in _par_lots(requete.values_list(*champs).iterator(chunk_size=TAILLE_LOT), TAILLE_LOT):
        lies = {c.nom: _noms_lies(requete.model, c.champ, [ligne[0] for ligne in lot]) for c in relations}
        for ligne in lot:
            valeurs = iter(ligne[1:] if relations else ligne)
            yield tuple(
                " | ".join(lies[c.nom].get(ligne[0], ()))
                if c.relation_multiple
                else c.en_texte(next(valeurs))
                for c in fichier.colonnes
            )


def lignes_export(annee=None):
    """{fichier: (en-têtes, lignes)} : les mêmes formats qu'à l'import, lus en flux."""
    return {
        nom: (FICHIERS[nom].entetes, lignes_du_fichier(FICHIERS[nom], requete))
        for nom, requete in _requetes(annee).items()
    }


def _ecrire_csv(flux, entetes, lignes):
    ecrivain = csv.writer(flux)
    ecrivain.writerow(ligne_sure(entetes))
    n = 0
    for ligne in lignes:
        ecrivain.writerow(ligne_sure(ligne))
        n += 1
    return n


def exporter_dossier(dossier, annee=None):
    """Écrit les fichiers CSV (UTF-8, séparateur « , ») dans `dossier` ; renvoie {fichier: lignes}."""
    dossier = Path(dossier)
    dossier.mkdir(parents=True, exist_ok=True)
    comptes = {}
    for nom, (entetes, lignes) in lignes_export(annee).items():
        with open(dossier / nom, "w", encoding="utf-8", newline="") as f:
            comptes[nom] = _ecrire_csv(f, entetes, lignes)
    return comptes


def ecrire_archive_zip(flux, annee=None):
    """Écrit les mêmes fichiers dans une archive zip, chacun ligne à ligne (la mémoire ne grandit pas avec le
    nombre d'enregistrements)."""
    with zipfile.ZipFile(flux, "w", zipfile.ZIP_DEFLATED) as archive:
        for nom, (entetes, lignes) in lignes_export(annee).items():
            with (
                archive.open(nom, "w") as fichier,
                io.TextIOWrapper(fichier, encoding="utf-8", newline="") as texte,
            ):
                _ecrire_csv(texte, entetes, lignes)


def archive_zip(annee=None):
    """L'archive en octets (commande, tests) ; la page d'export la sert en flux (ecrire_archive_zip)."""
    tampon = io.BytesIO()
    ecrire_archive_zip(tampon, annee)
    return tampon.getvalue()
