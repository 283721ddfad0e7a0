import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from echanges.importeur import ImportRefuse, importer
from echanges.sources import SourceFichiers
from formations.models import AccompagnementFormation, Inscription, SessionFormation, Theme
from inclusion.models import Intervenant, Lieu, Structure
from permanences.models import Arrivee, Creneau, Passage, Permanence, Refus, RendezVous
from rapports.bilan import Periode, comparer_periodes, json_du_bilan
from rapports.models import ChiffreExterne
from tests.rapports.jeu_de_donnees import construire

MODELES = [
    Lieu,
    Structure,
    Intervenant,
    Theme,
    Creneau,
    Permanence,
    Passage,
    Refus,
    RendezVous,
    SessionFormation,
    Inscription,
    AccompagnementFormation,
    ChiffreExterne,
]

# Un jeu complet, en libellés français et dates JJ/MM/AAAA (colonnes dans le désordre) ou en codes et dates ISO.
FICHIERS = {
    "lieux.csv": [["nom", "adresse"], ["ESC Maurepas", "32 rue de la Marbaudais"], ["ESC Cleunay", ""]],
    "structures.csv": [["nom"], ["CCAS"], ["CDAS"], ["ARCS"]],
    "intervenants.csv": [
        ["nom", "structure", "fonction", "lieux"],
        ["Noé Lambert", "CCAS", "Médiateur socio-numérique", "ESC Maurepas|ESC Cleunay"],
        ["Jeanne Le Goff", "ARCS", "informaticien_public", ""],
    ],
    "themes.csv": [["nom"], ["Outils collaboratifs"]],
    "permanences.csv": [
        ["lieu", "date", "heure_debut", "heure_fin", "mediateurs", "annulee"],
        ["ESC Maurepas", "06/03/2023", "09:00", "12:00", "Noé Lambert", "non"],
        ["ESC Cleunay", "2023-03-07", "14:00", "17:00", "", ""],
    ],
    "passages.csv": [
        [
            "date",
            "lieu",
            "type_demande",
            "demarche",
            "duree_minutes",
            "autonomie",
            "tranche_age",
            "genre",
            "autre_venue_necessaire",
            "attente_minutes",
        ],
        [
            "06/03/2023",
            "ESC Maurepas",
            "Aide aux démarches en ligne",
            "Préfecture – droit des étrangers",
            "25",
            "Fait à sa place",
            "25 à 39 ans",
            "Féminin",
            "oui",
            "12",
        ],
        [
            "2023-03-07",
            "esc cleunay",
            "accompagnement_technique",
            "",
            "15",
            "AUTONOME",
            "70_plus",
            "masculin",
            "0",
            "",
        ],
    ],
    "refus.csv": [
        ["date", "lieu", "nombre", "motif"],
        ["06/03/2023", "ESC Maurepas", "3", "Permanence complète"],
    ],
    "rendez_vous.csv": [
        [
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
        ],
        [
            "10/03/2023",
            "14:00",
            "ccas",
            "ESC Maurepas",
            "Noé Lambert",
            "35",
            "finaliser_demarche",
            "demarche_en_ligne",
            "caf",
            "40_59",
            "feminin",
            "Honoré",
        ],
    ],
    "sessions_formation.csv": [
        ["date", "theme", "statut", "capacite"],
        ["2023-05-10", "Outils collaboratifs", "tenue", "8"],
    ],
    "inscriptions.csv": [
        ["date_session", "theme", "structure", "nom", "email", "present"],
        ["10/05/2023", "Outils collaboratifs", "CDAS", "Awa Diallo", "awa@cdas.fr", "vrai"],
        ["10/05/2023", "Outils collaboratifs", "CCAS", "Léo Martin", "", "non"],
    ],
    "accompagnements_formation.csv": [
        ["date", "duree_minutes", "structure", "theme"],
        ["2023-06-01", "132", "CDAS", ""],
    ],
    "chiffres_externes.csv": [
        ["annee", "indicateur", "valeur", "source"],
        ["2023", "dispositif.personnes_recues_externes", "4151", "ERE"],
    ],
}


def ecrire(dossier, fichiers, separateur=",", encodage="utf-8"):
    for nom, lignes in fichiers.items():
        texte = "\r\n".join(separateur.join(cellules) for cellules in lignes) + "\r\n"
        (dossier / nom).write_bytes(texte.encode(encodage))
    return dossier


def comptes():
    return [m.objects.count() for m in MODELES]


@pytest.mark.parametrize(
    "separateur,encodage",
    [(",", "utf-8"), (";", "utf-8"), (";", "utf-8-sig"), (",", "cp1252"), (";", "cp1252")],
)
def test_chaque_format_lu_separateurs_et_encodages(db, tmp_path, separateur, encodage):
    comptes_lus, _ = importer(SourceFichiers.dossier(ecrire(tmp_path, FICHIERS, separateur, encodage)))
    assert set(comptes_lus) == set(FICHIERS)
    assert Lieu.objects.get(nom="ESC Maurepas").adresse == "32 rue de la Marbaudais"
    assert set(Intervenant.objects.get(nom="Noé Lambert").lieux.values_list("nom", flat=True)) == {
        "ESC Maurepas",
        "ESC Cleunay",
    }
    p1, p2 = Passage.objects.order_by("permanence__date")
    assert (
        p1.demarche.code,
        p1.autonomie,
        p1.tranche_age,
        p1.autre_venue_necessaire,
        p1.attente_minutes,
    ) == ("prefecture_etrangers", "fait_a_sa_place", "25_39", True, 12)
    assert (p2.type_demande, p2.autonomie, p2.demarche, p2.permanence.lieu.nom) == (
        "accompagnement_technique",
        "autonome",
        None,
        "ESC Cleunay",
    )
    assert Refus.objects.filter(motif="complet").count() == 3
    assert RendezVous.objects.get().statut == "honore"
    assert Inscription.objects.get(nom="Awa Diallo").present == "oui"
    assert Inscription.objects.get(nom="Léo Martin").present == "non"
    assert Permanence.objects.get(lieu__nom="ESC Maurepas").intervenants.get().nom == "Noé Lambert"
    assert ChiffreExterne.objects.get().valeur == 4151


def test_reimporter_ne_duplique_rien(db, tmp_path):
    ecrire(tmp_path, FICHIERS)
    call_command("importer", str(tmp_path), "--sync")
    avant = comptes()
    sortie = io.StringIO()
    call_command("importer", str(tmp_path), "--sync", stdout=sortie)
    assert comptes() == avant
    assert "passages.csv : déjà importé le" in sortie.getvalue()


def test_essai_n_ecrit_rien(db, tmp_path):
    ecrire(tmp_path, FICHIERS)
    avant = comptes()
    sortie = io.StringIO()
    call_command("importer", str(tmp_path), "--sync", "--dry-run", stdout=sortie)
    assert comptes() == avant
    assert "passages.csv : 2 ligne(s) vérifiée(s)" in sortie.getvalue()


ERREURS = [
    (
        "passages.csv",
        ["date", "lieu", "type_demande", "duree_minutes", "autonomie", "tranche_age", "genre", "couleur"],
        [
            "06/03/2023",
            "ESC Maurepas",
            "accompagnement_technique",
            "10",
            "autonome",
            "70_plus",
            "masculin",
            "bleu",
        ],
        "passages.csv:1: couleur: colonne inconnue",
    ),
    (
        "passages.csv",
        ["date", "lieu", "type_demande", "duree_minutes", "autonomie", "tranche_age"],
        ["06/03/2023", "ESC Maurepas", "accompagnement_technique", "10", "autonome", "70_plus"],
        "passages.csv:1: genre: colonne obligatoire absente",
    ),
    (
        "passages.csv",
        ["date", "lieu", "type_demande", "duree_minutes", "autonomie", "tranche_age", "genre"],
        ["31/02/2023", "ESC Maurepas", "accompagnement_technique", "10", "autonome", "70_plus", "masculin"],
        "passages.csv:2: date: date invalide « 31/02/2023 »",
    ),
    (
        "passages.csv",
        ["date", "lieu", "type_demande", "duree_minutes", "autonomie", "tranche_age", "genre"],
        ["06/03/2023", "ESC Maurepas", "accompagnement_technique", "481", "autonome", "70_plus", "masculin"],
        "passages.csv:2: duree_minutes: 481 hors des limites (1 à 480)",
    ),
    (
        "passages.csv",
        ["date", "lieu", "type_demande", "duree_minutes", "autonomie", "tranche_age", "genre"],
        ["06/03/2023", "ESC Maurepas", "demarche_en_ligne", "10", "autonome", "70_plus", "masculin"],
        "passages.csv:2: demarche: démarche obligatoire",
    ),
    (
        "passages.csv",
        ["date", "lieu", "type_demande", "duree_minutes", "autonomie", "tranche_age", "genre"],
        ["06/03/2023", "ESC Inconnu", "accompagnement_technique", "10", "autonome", "70_plus", "masculin"],
        "passages.csv:2: lieu: lieu « ESC Inconnu » inconnu·e",
    ),
    (
        "passages.csv",
        ["date", "lieu", "type_demande", "duree_minutes", "autonomie", "tranche_age", "genre"],
        ["08/03/2023", "ESC Maurepas", "accompagnement_technique", "10", "autonome", "70_plus", "masculin"],
        "passages.csv:2: date: aucune permanence ce jour-là dans ce lieu",
    ),
    (
        "passages.csv",
        ["date", "lieu", "type_demande", "duree_minutes", "autonomie", "tranche_age", "genre"],
        [
            "06/03/2023",
            "ESC Maurepas",
            "accompagnement_technique",
            "10",
            "très autonome",
            "70_plus",
            "masculin",
        ],
        "passages.csv:2: autonomie: valeur « très autonome » inconnue",
    ),
    (
        "refus.csv",
        ["date", "lieu", "nombre"],
        ["06/03/2023", "ESC Maurepas", "trois"],
        "refus.csv:2: nombre: nombre entier attendu, pas « trois »",
    ),
    (
        "rendez_vous.csv",
        ["date", "service", "lieu", "intervenant", "tranche_age", "genre", "statut"],
        ["10/03/2023", "ccas", "ESC Maurepas", "Noé Lambert", "40_59", "feminin", "honore"],
        "rendez_vous.csv:2: duree_minutes: durée obligatoire pour un rendez-vous honoré",
    ),
    (
        "inscriptions.csv",
        ["date_session", "theme", "structure"],
        ["11/05/2023", "Outils collaboratifs", "CDAS"],
        "inscriptions.csv:2: date_session: aucune session de ce thème à cette date",
    ),
    (
        "permanences.csv",
        ["date", "lieu", "heure_debut", "heure_fin"],
        ["06/03/2023", "ESC Maurepas", "9h", "12:00"],
        "permanences.csv:2: heure_debut: heure invalide « 9h »",
    ),
    (
        "chiffres_externes.csv",
        ["annee", "indicateur", "valeur"],
        ["2023", "ere", "4151"],
        "chiffres_externes.csv:2: indicateur: indicateur « ere » inconnu",
    ),
]


@pytest.mark.parametrize("fichier,entetes,ligne,attendu", ERREURS)
def test_chaque_erreur_avec_fichier_ligne_colonne_et_rien_d_ecrit(
    db, tmp_path, fichier, entetes, ligne, attendu
):
    fichiers = dict(FICHIERS)
    fichiers[fichier] = [entetes, ligne]
    ecrire(tmp_path, fichiers)
    avant = comptes()
    with pytest.raises(ImportRefuse) as refus:
        importer(SourceFichiers.dossier(tmp_path))
    assert any(ligne.startswith(attendu) for ligne in refus.value.rapport.lignes()), (
        refus.value.rapport.lignes()
    )
    assert comptes() == avant


def test_toutes_les_erreurs_a_la_fois_et_code_de_sortie(db, tmp_path):
    fichiers = dict(FICHIERS)
    fichiers["passages.csv"] = [
        FICHIERS["passages.csv"][0],
        ["xx", "ESC Maurepas", "a", "", "0", "b", "c", "d", "e", "f"],
    ]
    ecrire(tmp_path, fichiers)
    erreurs = io.StringIO()
    with pytest.raises(CommandError, match="rien n'a été écrit"):
        call_command("importer", str(tmp_path), "--sync", stderr=erreurs)
    assert len(erreurs.getvalue().splitlines()) >= 6  # date, type, durée, autonomie, âge, genre… d'un coup
    assert Lieu.objects.count() == 0


def test_plusieurs_permanences_le_meme_jour(db, tmp_path):
    fichiers = dict(FICHIERS)
    fichiers["permanences.csv"] = FICHIERS["permanences.csv"] + [
        ["ESC Maurepas", "06/03/2023", "14:00", "17:00", "", ""]
    ]
    ecrire(tmp_path, fichiers)
    with pytest.raises(ImportRefuse) as refus:
        importer(SourceFichiers.dossier(tmp_path))
    assert any("plusieurs permanences ce jour-là" in ligne for ligne in refus.value.rapport.lignes())
    passages = [
        FICHIERS["passages.csv"][0] + ["heure_debut_permanence"],
        FICHIERS["passages.csv"][1] + ["14:00"],
    ]
    fichiers["passages.csv"] = passages
    fichiers["refus.csv"] = [
        ["date", "lieu", "nombre", "heure_debut_permanence"],
        ["06/03/2023", "ESC Maurepas", "2", "09:00"],
    ]
    ecrire(tmp_path, fichiers)
    importer(SourceFichiers.dossier(tmp_path))
    assert Passage.objects.get().permanence.heure_debut.hour == 14


def test_aller_retour_export_import_meme_bilan(db, tmp_path):
    construire()
    ChiffreExterne.objects.create(
        annee=2023, indicateur="dispositif.personnes_recues_externes", valeur=4151, source="ERE"
    )
    avant = json_du_bilan(comparer_periodes(Periode.annee(2023)))  # les octets tels que produits, sans tri
    call_command("exporter", str(tmp_path), stdout=io.StringIO())
    # Une base vidée comme une base neuve, pas une suppression de l'application : les arrivées ne se suppriment
    # jamais (inclusion.cloture), on les efface donc sans passer par leur QuerySet.
    Arrivee.objects.all()._raw_delete(Arrivee.objects.db)
    for modele in [
        Passage,
        Refus,
        RendezVous,
        Inscription,
        AccompagnementFormation,
        SessionFormation,
        ChiffreExterne,
    ]:
        modele.objects.all().delete()
    Permanence.intervenants.through.objects.all().delete()
    Permanence.objects.all().delete()
    Creneau.objects.all().delete()
    for modele in [Intervenant, Theme, Lieu, Structure]:
        modele.objects.all().delete()
    call_command("importer", str(tmp_path), "--sync", stdout=io.StringIO())
    assert json_du_bilan(comparer_periodes(Periode.annee(2023))) == avant


def test_colonnes_orientation_freins_quartier(db, tmp_path):
    fichiers = dict(FICHIERS)
    fichiers["quartiers.csv"] = [["nom", "qpv"], ["Maurepas", "oui"]]
    fichiers["passages.csv"] = [
        FICHIERS["passages.csv"][0] + ["oriente_vers", "freins", "quartier"],
        FICHIERS["passages.csv"][1] + ["CAF", "Langue | crainte_demarche", "maurepas"],
        FICHIERS["passages.csv"][2] + ["", "", "Non communiqué"],
    ]
    fichiers["structures.csv"] = FICHIERS["structures.csv"] + [["CAF"]]
    fichiers["refus.csv"] = [
        ["date", "lieu", "nombre", "motif", "oriente_vers"],
        ["06/03/2023", "ESC Maurepas", "2", "oriente_ailleurs", "CAF"],
    ]
    ecrire(tmp_path, fichiers)
    importer(SourceFichiers.dossier(tmp_path))
    p1, p2 = Passage.objects.order_by("date")
    assert (p1.oriente_vers.nom, p1.liste_freins, p1.quartier.nom, p1.quartier.qpv) == (
        "CAF",
        ["crainte_demarche", "langue"],
        "Maurepas",
        True,
    )
    assert (p2.oriente_vers, p2.freins, p2.quartier) == (None, "", None)
    assert Refus.objects.filter(oriente_vers__nom="CAF").count() == 2
    fichiers["passages.csv"][2][-2] = "peur"
    (tmp_path / "passages.csv").unlink()
    ecrire(tmp_path, {"passages.csv": fichiers["passages.csv"]})
    with pytest.raises(ImportRefuse) as refus:
        importer(SourceFichiers.dossier(tmp_path))
    assert any(
        ligne.startswith("passages.csv:3: freins: valeur « peur » inconnue")
        for ligne in refus.value.rapport.lignes()
    )
