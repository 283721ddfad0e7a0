"""Le classeur de l'export pour la Coop, disposé comme le sien (buildAccompagnementsWorksheet.ts et
libs/worksheet/addExportMetadata.ts, worksheet/buildWorksheetHelpers.ts addFilters) : une feuille « Activités »,
le bloc « Informations export » puis « Filtres », deux lignes vides, et la table sous forme de tableau Excel
nommé « Activités » (filtres sur chaque colonne), la date au format jj/mm/aaaa. Écrit ligne à ligne (openpyxl
en écriture seule : la mémoire ne grandit pas avec le nombre de lignes)."""

import datetime
import warnings

from django.utils import timezone

from inclusion.echanges import cellule_sure

from .coop import ENTETES, lignes_coop, nombre_de_lignes

FEUILLE = TABLEAU = "Activités"
FORMAT_DATE = "dd/mm/yyyy"
# addFilters : les filtres de la Coop ; notre export n'en a qu'un, l'année.
FILTRES = (
    "Source",
    "Lieux d’accompagnement",
    "Communes",
    "Départements",
    "Type d’accompagnement",
    "Rôle",
    "Thématiques non administratives",
    "Thématiques administratives",
    "Tags",
)
ROLE_COORDINATION = "Coordinateur"  # utils/getUserRoleLabel.ts


def metadonnees(annee, total, *, demande_par=None, maintenant=None):
    """Les lignes au-dessus de la table : (titre en gras ?, valeurs)."""
    maintenant = timezone.localtime(maintenant)
    prenom = cellule_sure(getattr(demande_par, "first_name", "")) or "-"
    nom = cellule_sure(getattr(demande_par, "last_name", "")) or "-"
    periode = f"{datetime.date(annee, 1, 1):%d/%m/%Y} - {datetime.date(annee, 12, 31):%d/%m/%Y}"
    return [
        (True, ["Informations export"]),
        (False, ["Nom", nom]),
        (False, ["Prénom", prenom]),
        (False, ["Rôle", ROLE_COORDINATION]),
        (False, ["Total", total]),
        (False, ["Date d'export", f"{maintenant:%d/%m/%Y}"]),
        (False, ["Heure d'export", f"{maintenant:%H:%M}"]),
        (False, []),
        (True, ["Filtres"]),
        (False, ["Période", periode]),
        *((False, [filtre, "-"]) for filtre in FILTRES),
        (False, []),
        (False, [""]),  # la ligne de séparation avant la table
    ]


def _colonne(n):
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


def ecrire_classeur_coop(annee, flux, *, demande_par=None, maintenant=None):
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.worksheet.filters import AutoFilter
    from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

    classeur = Workbook(write_only=True)
    classeur.properties.creator = classeur.properties.lastModifiedBy = "inclusion"
    feuille = classeur.create_sheet(title=FEUILLE)
    gras = Font(bold=True)
    numero = 0
    for en_gras, valeurs in metadonnees(
        annee, nombre_de_lignes(annee), demande_par=demande_par, maintenant=maintenant
    ):
        cellules = [WriteOnlyCell(feuille, value=v) for v in valeurs]  # « - » est le texte de la Coop
        if en_gras:
            cellules[0].font = gras
        feuille.append(cellules)
        numero += 1
    entete = numero + 1
    feuille.append(list(ENTETES))
    derniere = entete
    for ligne in lignes_coop(annee):
        date = WriteOnlyCell(feuille, value=ligne[0])
        date.number_format = FORMAT_DATE
        feuille.append([date, *(cellule_sure(v) for v in ligne[1:])])
        derniere += 1
    if derniere == entete:  # un tableau Excel a au moins une ligne sous ses en-têtes
        feuille.append([""])
        derniere += 1
    ref = f"A{entete}:{_colonne(len(ENTETES))}{derniere}"
    tableau = Table(
        displayName=TABLEAU,
        name=TABLEAU,
        ref=ref,
        autoFilter=AutoFilter(ref=ref),  # un bouton de filtre sur chaque colonne
        tableStyleInfo=TableStyleInfo(name="TableStyleMedium2", showRowStripes=True),
    )
    # En écriture seule, les colonnes du tableau sont données ici (openpyxl ne peut pas relire les en-têtes).
    tableau.tableColumns = [TableColumn(id=i, name=nom) for i, nom in enumerate(ENTETES, start=1)]
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "In write-only mode you must add table columns manually")
        feuille.add_table(tableau)
    classeur.save(flux)
