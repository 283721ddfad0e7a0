"""L'export pour la Coop de la médiation numérique : ses colonnes et ses listes de valeurs d'aujourd'hui."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from echanges.coop import ENTETES, LISTES, THEMATIQUES, thematiques
from formations.enums import StatutSession
from formations.models import SessionFormation
from inclusion.models import Demarche, Lieu, Structure
from permanences.models import Passage, RendezVous
from rapports.enums import FamilleSuivie
from rapports.models import SuiviDonnees
from tests.demonstration import charger_la_demo
from tests.inclusion.factories import utilisateur
from tests.rapports.jeu_de_donnees import construire
from tests.taches import exporter, octets_de

# Les en-têtes de l'export des activités de la Coop (buildAccompagnementsWorksheet.ts, export d'une équipe :
# isSelfExport faux, hasCraV1 faux), dans leur ordre, recopiés ici à part : un nom ou un ordre de colonne changé
# dans echanges/coop.py fait échouer ce test.
ENTETES_DE_LA_COOP = [
    "Date", "Enregistré le", "Dernière modification le", "Prénom du médiateur", "Nom du médiateur", "Rôle",
    "ID - Conum", "Type", "Participants", "Canaux d’accompagnement", "Nom du lieu", "Adresse", "Commune",
    "Code postal", "Code Insee", "Durée (min)", "Nom de l’atelier", "Matériel numérique utilisé",
    "Thématique(s) d’accompagnement", "Tags", "Nom de la démarche administrative",
    "Niveau d’autonomie (ou de l’atelier)", "Bénéficiaire réorienté", "Structure de redirection",
    "Commune du bénéficiaire", "Code postal du bénéficiaire", "Code Insee du bénéficiaire", "Genre du bénéficiaire",
    "Tranche d’âge du bénéficiaire", "Statut du bénéficiaire", "ID CRA",
]  # fmt: skip
# addExportMetadata.ts puis addFilters (buildWorksheetHelpers.ts) : la colonne A au-dessus de la table.
METADONNEES_DE_LA_COOP = [
    "Informations export", "Nom", "Prénom", "Rôle", "Total", "Date d'export", "Heure d'export", None, "Filtres",
    "Période", "Source", "Lieux d’accompagnement", "Communes", "Départements", "Type d’accompagnement", "Rôle",
    "Thématiques non administratives", "Thématiques administratives", "Tags", None, None,
]  # fmt: skip

# Les listes de la Coop, recopiées de ses sources (cra/individuel/fields/autonomie.ts, beneficiaire/…) : une
# valeur de echanges/coop.py qui s'en écarte fait échouer le test.
LISTES_DE_LA_COOP = {
    "Type": {"Accompagnement individuel", "Atelier collectif"},
    "Canaux d’accompagnement": {"Lieu d’activité", "Autre lieu", "À domicile", "À distance"},
    # autonomieStars / autonomieValues.length et niveauAtelierStars / niveauAtelierValues.length : « n/3 »
    "Niveau d’autonomie (ou de l’atelier)": {"1/3", "2/3", "3/3"},
    "Rôle": {"Conseiller Numérique", "Médiateur"},
    "Bénéficiaire réorienté": {"Oui", "Non"},
    "Genre du bénéficiaire": {"Masculin", "Féminin", "Non communiqué"},
    "Tranche d’âge du bénéficiaire": {
        "70 ans et plus", "60 - 69 ans", "40 - 59 ans", "25 - 39 ans", "18 - 24 ans", "12 - 17 ans",
        "Moins de 12 ans", "Non communiqué",
    },
    "Statut du bénéficiaire": {"Retraité", "Sans emploi", "En emploi", "Scolarisé", "Non communiqué ou hétérogène"},
    "Structure de redirection": {
        "Administration (mairie, préfecture…)", "Autre structure de médiation numérique",
        "Opérateur ou organisme en charge de la démarche administrative",
        "Structure d’aide sociale (maison des solidarités, centre social…)",
        "Structure d’insertion professionnelle (France Travail, mission locale, chambre de commerce…)",
        "Structure d’aide aux démarches administratives (France Services…)", "Autre",
    },
}  # fmt: skip
THEMATIQUES_ADMINISTRATIVES_DE_LA_COOP = {
    "Papiers - Élections - Citoyenneté", "Famille - Scolarité", "Social - Santé", "Travail - Formation - Entreprise",
    "Logement", "Transports - Mobilité", "Argent - Impôts", "Justice", "Étrangers - Europe",
    "Loisirs - Sports - Culture", "Associations",
}  # fmt: skip


def test_nos_listes_sont_celles_de_la_coop():
    for nom, valeurs in LISTES.items():
        assert set(valeurs) <= LISTES_DE_LA_COOP[nom], nom
    assert set(THEMATIQUES) >= THEMATIQUES_ADMINISTRATIVES_DE_LA_COOP and len(THEMATIQUES) == 19 + 11


def _classeur(client, coordination, annee=2023):
    client.force_login(coordination)
    contenu = octets_de(exporter(client, reverse("rapports:export_coop"), {"annee": annee}))
    return load_workbook(io.BytesIO(contenu))["Activités"]


def table_de(feuille):
    """(en-têtes, lignes) du tableau Excel « Activités » de la feuille, lus par sa référence."""
    tableau = feuille.tables["Activités"]
    entetes, *lignes = ([c.value for c in rangee] for rangee in feuille[tableau.ref])
    return entetes, lignes


def test_chaque_colonne_et_chaque_valeur_sont_celles_de_la_coop(client, coordination):
    construire()
    caf = Structure.objects.create(
        nom="CAF d'Ille-et-Vilaine", categorie_redirection="operateur_ou_organisme_en_charge"
    )
    SuiviDonnees.objects.create(famille=FamilleSuivie.ORIENTATIONS, depuis=datetime.date(2023, 1, 1))
    Passage.objects.filter(
        date__year=2023, pk__in=Passage.objects.filter(date__year=2023).values("pk")[:3]
    ).update(oriente_vers=caf)
    Lieu.objects.update(code_postal="35000", commune="Rennes", code_insee="35238")
    feuille = _classeur(client, coordination)
    entetes, lignes = table_de(feuille)
    assert list(ENTETES) == entetes == ENTETES_DE_LA_COOP
    assert [feuille.cell(n, 1).value for n in range(1, 22)] == METADONNEES_DE_LA_COOP
    assert feuille["B5"].value == len(lignes)  # Total
    assert feuille["B10"].value == "01/01/2023 - 31/12/2023" and feuille["B11"].value == "-"
    colonnes = {nom: i for i, nom in enumerate(entetes)}
    for ligne in lignes:
        for nom, valeurs in LISTES.items():
            assert ligne[colonnes[nom]] in (*valeurs, None), (nom, ligne[colonnes[nom]])
        for thematique in (ligne[colonnes["Thématique(s) d’accompagnement"]] or "").split("\n"):
            assert thematique in THEMATIQUES, thematique
        assert (ligne[colonnes["Code Insee"]], ligne[colonnes["Code postal"]]) == ("35238", "35000")
    individuels = [ligne for ligne in lignes if ligne[colonnes["Type"]] == "Accompagnement individuel"]
    ateliers = [ligne for ligne in lignes if ligne[colonnes["Type"]] == "Atelier collectif"]
    assert len(individuels) == (
        Passage.objects.filter(date__year=2023).count()
        + RendezVous.objects.de_l_annee(2023).honores().count()
    )
    tenues = SessionFormation.objects.de_l_annee(2023).filter(statut=StatutSession.TENUE).avec_compteurs()
    # Une ligne par participant présent, « i/N » (1 s'il est seul), comme la Coop.
    par_session = {}
    for ligne in ateliers:
        par_session.setdefault(ligne[colonnes["ID CRA"]], []).append(ligne[colonnes["Participants"]])
    attendu = {f"session-{s.pk}": s.nb_presents for s in tenues if s.nb_presents}
    assert {cle: len(valeurs) for cle, valeurs in par_session.items()} == attendu
    for cle, valeurs in par_session.items():
        n = attendu[cle]
        assert valeurs == ([1] if n == 1 else [f"{i}/{n}" for i in range(1, n + 1)])
    assert all(isinstance(ligne[0], datetime.datetime) for ligne in lignes)  # une date Excel
    assert {feuille.cell(23, 1).number_format} == {"dd/mm/yyyy"}
    autonomies = {ligne[colonnes["Niveau d’autonomie (ou de l’atelier)"]] for ligne in individuels}
    assert {"1/3", "2/3", "3/3"} <= autonomies
    reorientes = [ligne for ligne in lignes if ligne[colonnes["Bénéficiaire réorienté"]] == "Oui"]
    assert len(reorientes) == Passage.objects.filter(date__year=2023, oriente_vers__isnull=False).count() >= 3
    vers_la_caf = [ligne for ligne in reorientes if ligne[colonnes["Structure de redirection"]] != "Autre"]
    assert len(vers_la_caf) == 3 and {
        ligne[colonnes["Structure de redirection"]] for ligne in vers_la_caf
    } == {"Opérateur ou organisme en charge de la démarche administrative"}


def test_une_orientation_inconnue_reste_vide_et_pas_non(client, coordination):
    construire()
    SuiviDonnees.objects.create(famille=FamilleSuivie.ORIENTATIONS, depuis=datetime.date(2024, 1, 1))
    entetes, lignes = table_de(_classeur(client, coordination))
    colonne = entetes.index("Bénéficiaire réorienté")
    assert {ligne[colonne] for ligne in lignes} == {None}  # 2023 n'était pas suivie : inconnu, pas « Non »


def test_thematiques_d_une_demarche(db):
    assert (
        thematiques("demarche_en_ligne", "etrangers_europe")
        == "Aide aux démarches administratives\nÉtrangers - Europe"
    )
    assert thematiques("demarche_en_ligne", "") == "Aide aux démarches administratives"
    assert thematiques("accompagnement_technique", None) == "Prendre en main du matériel"
    autre = Demarche.objects.get(code="autre")
    retraite = Demarche.objects.get(code="retraite")
    assert autre.thematique == "" and retraite.thematique == "travail_formation_entreprise"


@pytest.mark.une_fois
def test_le_classeur_d_une_demo_fraiche_est_la_table_de_la_coop(client, db):
    # Base encore neuve : la démonstration est recopiée, pas réécrite (tests/demonstration.py).
    charger_la_demo(historique_seul=True)
    coordination = utilisateur("coordination", username="coord", is_staff=True)
    coordination.first_name, coordination.last_name = "Camille", "Durand"
    coordination.save()
    feuille = _classeur(client, coordination)
    entetes, lignes = table_de(feuille)
    assert entetes == ENTETES_DE_LA_COOP
    assert (feuille["B2"].value, feuille["B3"].value, feuille["B4"].value) == (
        "Durand",
        "Camille",
        "Coordinateur",
    )
    assert feuille["B5"].value == len(lignes) > 5541  # passages, rendez-vous honorés, participants
    colonnes = {nom: i for i, nom in enumerate(entetes)}
    for ligne in lignes:
        for nom, valeurs in LISTES_DE_LA_COOP.items():
            assert ligne[colonnes[nom]] in (*valeurs, None), (nom, ligne[colonnes[nom]])
        lieu = [ligne[colonnes[c]] for c in ("Commune", "Code postal", "Code Insee")]
        assert lieu[0] == "Rennes" and lieu[1] in ("35000", "35200", "35700") and lieu[2] == "35238", ligne
    autonomies = {ligne[colonnes["Niveau d’autonomie (ou de l’atelier)"]] for ligne in lignes}
    assert autonomies == {"1/3", "2/3", "3/3", None}
    participants = [
        ligne[colonnes["Participants"]] for ligne in lignes if ligne[colonnes["Type"]] == "Atelier collectif"
    ]
    assert participants and all(p == 1 or "/" in p for p in participants)
    assert len(participants) == 226  # les participants présents aux ateliers de 2023 (Bilan 2023)
    for colonne in ("Prénom du médiateur", "Nom du médiateur"):  # les chiffres d'une personne restent ici
        assert {ligne[colonnes[colonne]] for ligne in lignes} == {None}
