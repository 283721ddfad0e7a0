"""#28, point 2 : une seule règle de sortie pour les petits groupes (rapports.secret_statistique), sur l'API, sur
chaque feuille du classeur du tableau de bord, et contre les différences de deux demandes voisines."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from api.enums import PorteeApi
from api.jetons import creer_jeton
from confidentialite.anonymat import REGROUPE, regrouper
from permanences.enums import Genre, Service, StatutRendezVous, TrancheAge, TypeDemande
from rapports.definitions import DEFINITIONS
from rapports.secret_statistique import HORS_PERSONNES, PERSONNES, SOI, _declaration, proteger
from tests.inclusion.factories import LieuFactory
from tests.permanences.factories import RendezVousFactory
from tests.taches import exporter, octets_de

K = 5
JANVIER = datetime.date(2025, 1, 6)


def _arcs(lieu, nombre, jour=JANVIER, **champs):
    for i in range(nombre):
        RendezVousFactory(
            service=Service.ARCS,
            lieu=lieu,
            statut=StatutRendezVous.HONORE,
            duree_minutes=30,
            date=jour,
            heure=datetime.time(9, i),
            type_demande=TypeDemande.ACCOMPAGNEMENT_TECHNIQUE,
            tranche_age=champs.get("tranche_age", TrancheAge.DE_25_A_39),
            genre=champs.get("genre", Genre.FEMININ),
        )


@pytest.fixture
def api(client, db):
    _, secret = creer_jeton(
        nom="Partenaire",
        portees=list(PorteeApi.values),
        expire_le=timezone.now() + datetime.timedelta(days=30),
    )

    def get(adresse):
        return client.get(adresse, headers={"Authorization": f"Bearer {secret}"})

    return get


def _indicateurs(api, debut, fin, lieux=()):
    adresse = f"/api/v1/indicateurs?debut={debut}&fin={fin}" + "".join(f"&lieux={pk}" for pk in lieux)
    return api(adresse)


def test_chaque_indicateur_dit_s_il_compte_des_personnes():
    """Un indicateur ajouté sans dire sa population et sa base ferait échouer ce test (il sortirait sans règle)."""
    assert set(DEFINITIONS) == set(PERSONNES) | HORS_PERSONNES
    assert not set(PERSONNES) & HORS_PERSONNES


@pytest.mark.parametrize("nombre, masque", [(K - 1, True), (K, False)])
def test_api_un_groupe_de_k_moins_un_est_masque_un_groupe_de_k_sort(api, nombre, masque):
    lieu = LieuFactory()
    _arcs(lieu, nombre)
    reponse = _indicateurs(api, "2025-01-01", "2025-01-31", [lieu.pk])
    assert reponse.status_code == 200
    contenu = reponse.json()
    ind = contenu["indicateurs"]
    cles = ["arcs.rendez_vous_tenus", "arcs.tranche_age_pct.25_39", "arcs.genre_pct.feminin"]
    if masque:
        assert all(ind[c]["valeur"] is None and ind[c]["secret_statistique"] == ["valeur"] for c in cles)
        dits = {m["indicateur"] for m in contenu["secret_statistique"]["masques"] if m["annee"] == "valeur"}
        assert set(cles) <= dits
    else:
        assert [ind[c]["valeur"] for c in cles] == [K, 100.0, 100.0]
        assert "secret_statistique" not in ind["arcs.rendez_vous_tenus"]


def test_api_l_attaque_d_un_seul_jour_ne_donne_rien(api):
    """Avant : debut=fin=un jour et lieux=3 donnait l'âge et le genre d'un rendez-vous à 100 %."""
    lieu = LieuFactory()
    _arcs(lieu, 1)
    reponse = _indicateurs(api, "2025-01-06", "2025-01-06", [lieu.pk])
    assert reponse.status_code == 200
    ind = reponse.json()["indicateurs"]
    assert ind["arcs.rendez_vous_tenus"]["valeur"] is None
    assert all(
        v["valeur"] is None for c, v in ind.items() if c.startswith(("arcs.tranche_age", "arcs.genre"))
    )


def test_api_deux_periodes_qui_different_d_un_jour_ne_donnent_pas_un_petit_groupe(api):
    lieu = LieuFactory()
    _arcs(lieu, 20)
    _arcs(lieu, 1, jour=datetime.date(2025, 1, 31), tranche_age=TrancheAge.PLUS_70)
    mois = _indicateurs(api, "2025-01-01", "2025-01-31").json()["indicateurs"]
    sans_le_dernier_jour = _indicateurs(api, "2025-01-01", "2025-01-30").json()["indicateurs"]
    assert mois["arcs.rendez_vous_tenus"]["valeur"] == 21  # un mois entier : vérifié mois par mois
    # Une période qui n'est pas faite de mois entiers : vérifiée jour par jour sur les mois touchés.
    assert sans_le_dernier_jour["arcs.rendez_vous_tenus"]["valeur"] is None
    assert sans_le_dernier_jour["arcs.tranche_age_pct.70_plus"]["valeur"] is None
    jour_tout_seul = _indicateurs(api, "2025-01-31", "2025-01-31").json()["indicateurs"]
    assert jour_tout_seul["arcs.rendez_vous_tenus"]["valeur"] is None


def test_api_deux_demandes_qui_different_d_un_lieu_ne_donnent_pas_un_petit_groupe(api):
    grand, petit = LieuFactory(nom="Grand"), LieuFactory(nom="Petit")
    _arcs(grand, 20)
    _arcs(petit, 1, tranche_age=TrancheAge.PLUS_70, genre=Genre.MASCULIN)
    demandes = [
        _indicateurs(api, "2025-01-01", "2025-01-31", lieux).json()["indicateurs"]
        for lieux in ([grand.pk], [grand.pk, petit.pk])
    ]
    tout = _indicateurs(api, "2025-01-01", "2025-01-31").json()["indicateurs"]
    for a, b in [(demandes[0], demandes[1]), (demandes[0], tout)]:
        for cle in a:
            if cle.startswith("arcs.") and a[cle]["valeur"] is not None and b[cle]["valeur"] is not None:
                assert a[cle]["valeur"] == b[cle]["valeur"], cle  # sinon la différence désigne le petit lieu
    assert demandes[0]["arcs.rendez_vous_tenus"]["valeur"] is None


def test_api_deux_periodes_qui_different_d_un_mois_ne_donnent_pas_un_petit_groupe(api):
    lieu = LieuFactory()
    _arcs(lieu, 20)
    _arcs(lieu, 1, jour=datetime.date(2025, 2, 3), tranche_age=TrancheAge.PLUS_70)
    janvier = _indicateurs(api, "2025-01-01", "2025-01-31").json()["indicateurs"]
    deux_mois = _indicateurs(api, "2025-01-01", "2025-02-28").json()["indicateurs"]
    assert janvier["arcs.rendez_vous_tenus"]["valeur"] == 20
    assert deux_mois["arcs.rendez_vous_tenus"]["valeur"] is None
    assert deux_mois["arcs.tranche_age_pct.70_plus"]["valeur"] is None


def _feuille(valeur, precedent=None):
    return {"valeur": valeur, "precedent": precedent, "evolution_pct": None}


def test_une_cellule_masquee_ne_se_retrouve_pas_par_difference_dans_la_meme_sortie():
    sections = {
        "permanences": {
            "usagers_recus": _feuille(40),
            "refus": _feuille(3),
            "personnes_en_demande": _feuille(43),
            "taux_sans_reponse_pct": _feuille(6.98),
            "par_lieu": {
                "A": {"usagers_recus": _feuille(30), "refus": _feuille(0)},
                "B": {"usagers_recus": _feuille(2), "refus": _feuille(3)},
                "C": {"usagers_recus": _feuille(8), "refus": _feuille(0)},
            },
        },
        "dispositif": {"personnes_recues": _feuille(43)},
    }
    protege, masques = proteger(sections, k=K)
    p = protege["permanences"]
    caches = {m["indicateur"] for m in masques}
    # moins de k : le lieu B, les refus ; par différence : le lieu C (la somme des lieux est publiée), le total
    # en demande et sa part (usagers + refus).
    assert {"permanences.par_lieu.B.usagers_recus", "permanences.refus"} <= caches
    assert {"permanences.par_lieu.C.usagers_recus", "permanences.personnes_en_demande"} <= caches
    assert (
        p["taux_sans_reponse_pct"]["valeur"] is None and p["par_lieu"]["A"]["usagers_recus"]["valeur"] == 30
    )
    assert p["usagers_recus"]["valeur"] == 40 and protege["dispositif"]["personnes_recues"]["valeur"] == 43


def test_la_ligne_regroupee_compte_k_personnes_au_moins():
    """Avant : la ligne « (regroupé) » comptait 2 personnes (le total des passages est publié ailleurs)."""
    colonnes = ["semaine", "lieu"]
    lignes = regrouper({("s1", "A"): 7, ("s2", "B"): 2}, colonnes, ["lieu", "semaine"], K)
    assert lignes == [((REGROUPE, REGROUPE), 9)]
    assert regrouper({("s1", "A"): 3}, colonnes, ["lieu", "semaine"], K) == []  # moins de k en tout
    assert regrouper({("s1", "A"): 5}, colonnes, ["lieu", "semaine"], K) == [(("s1", "A"), 5)]


FEUILLES = {"Indicateurs", "Passages", "Rendez-vous", "Lisez-moi"}


def test_chaque_feuille_du_classeur_passe_par_la_regle(client, coordination):
    lieu = LieuFactory(nom="ESC")
    _arcs(lieu, K - 1, tranche_age=TrancheAge.PLUS_70)  # ARCS : k − 1
    for i in range(K + 2):  # rendez-vous CCAS : 5 semblables et 2 autres
        RendezVousFactory(
            lieu=lieu,
            date=JANVIER,
            heure=datetime.time(14, i),
            statut=StatutRendezVous.HONORE,
            duree_minutes=20,
            type_demande=TypeDemande.ACCOMPAGNEMENT_TECHNIQUE,
            genre=Genre.FEMININ if i < K else Genre.MASCULIN,
        )
    client.force_login(coordination)
    adresse = reverse("rapports:export_xlsx") + f"?debut=2025-01-01&fin=2025-01-31&lieux={lieu.pk}"
    classeur = load_workbook(io.BytesIO(octets_de(exporter(client, adresse))))
    assert set(classeur.sheetnames) == FEUILLES  # une feuille ajoutée doit être relue ici
    for nom in ("Passages", "Rendez-vous"):
        entetes, *lignes = list(classeur[nom].values)
        assert entetes[-1] == "nombre"
        assert all(ligne[-1] >= K for ligne in lignes), nom  # lignes détaillées et ligne « (regroupé) »
    _, *rdv = list(classeur["Rendez-vous"].values)
    assert sorted(ligne[-1] for ligne in rdv) == [K, K + 1]  # 5 semblables ; 2 CCAS et 4 ARCS regroupés
    entetes, *indicateurs = list(classeur["Indicateurs"].values)
    valeurs = {ligne[0]: ligne for ligne in indicateurs}
    for code, ligne in valeurs.items():
        chemin = tuple(code.split("."))
        declaration = _declaration(chemin)
        if declaration and declaration[1] == SOI and ligne[2] is not None:
            assert not 0 < ligne[2] < K, code
    assert valeurs["arcs.rendez_vous_tenus"][2] is None and "masquée" in valeurs["arcs.rendez_vous_tenus"][-1]
    assert valeurs["arcs.tranche_age_pct.70_plus"][2] is None  # avant : 100 % dans « Indicateurs »
    assert valeurs["rendez_vous.realises"][2] == K + 2
    lisez_moi = " ".join(r[0] for r in classeur["Lisez-moi"].values)
    assert "Masqué : arcs.rendez_vous_tenus (période)" in lisez_moi
