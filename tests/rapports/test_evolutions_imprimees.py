"""Les évolutions concordent avec ce qui est imprimé, la couleur seulement quand l'évolution compte, les mots de
l'équipe vérifiés, pas de titre orphelin, des notes d'annexe de l'année (#29)."""

import html
import re

import pytest

from rapports.comparaison import Annee, Regles
from rapports.definitions import DECIMALES, DEFAVORABLE, FAVORABLE, PART, Indicateur, nature_de
from rapports.formats import arrondi_affiche, ecart_fr, evolution_affichee, evolution_fr
from rapports.lignes import classe_evolution, sens_notable
from rapports.presentation import feuilles_de

SECTIONS = ("permanences", "rendez_vous", "arcs", "formations", "dispositif")


@pytest.fixture
def demo(demo_historique, db):
    """La démonstration 2022-2023, écrite une fois pour le module (chaque test annule ce qu'il y change)."""
    from rapports.bilan import bilan_json

    return bilan_json(2023)


def _regles():
    from rapports.suivi import COMPLET, EtatSuivi

    etats = {
        f: EtatSuivi(f, COMPLET, None) for f in ("refus", "attente", "freins", "quartiers", "orientations")
    }
    donnees = dict.fromkeys(SECTIONS, True)
    return Regles(Annee("2023", "en 2023", donnees, etats), Annee("2022", "en 2022", donnees, etats))


def test_une_evolution_en_points_est_la_difference_des_deux_valeurs_imprimees():
    """37,66 % et 37,94 % s'impriment 37,7 % et 37,9 % : −0,2 pt, et non l'arrondi de −0,28 (−0,3 pt)."""
    f = _regles().feuille(37.66, 37.94, ("permanences", "autonomie_pct", "autonome"))
    assert f["evolution_points"] == -0.28  # le JSON garde l'exact…
    assert f["imprime"] == {"valeur": 37.7, "precedent": 37.9, "evolution_points": -0.2}  # … et l'imprimé
    assert evolution_fr(*evolution_affichee(f)) == "−0,2\u202fpt"
    # Quand l'arrondi de l'exact tombe juste, rien n'est ajouté.
    assert "imprime" not in _regles().feuille(41.59, 8.12, ("formations", "structures_pct", "CDAS"))


def test_un_ecart_de_moyennes_est_la_difference_des_moyennes_imprimees():
    assert ecart_fr(4.24, 5.14) == "−0,9"  # 4,2 − 5,1 (l'écart exact −0,90 aussi) ; pas « −1,0 »
    assert ecart_fr(2.34, 2.86) == "−0,6"  # 2,3 − 2,9, et non l'arrondi de −0,52 (« −0,5 »)
    assert ecart_fr(18.04, 18.06) == "−0,1"  # 18,0 − 18,1, et non « 0,0 »


def _attendue(feuille, chemin):
    """L'évolution recalculée par un lecteur à partir des deux valeurs imprimées."""
    decimales = DECIMALES[PART if "evolution_points" in feuille else nature_de(chemin)]
    v, p = (arrondi_affiche(feuille[c], decimales) for c in ("valeur", "precedent"))
    if "evolution_points" in feuille:
        return arrondi_affiche(v - p, 1)
    return None if p == 0 else arrondi_affiche(round(100 * (v - p) / p, 9), 1)


def test_chaque_evolution_du_bilan_se_retrouve_a_partir_des_valeurs_imprimees(demo):
    verifiees = 0
    for chemin, f in feuilles_de({s: demo[s] for s in SECTIONS}):
        if f.get("comparabilite") or f["valeur"] is None or f["precedent"] is None:
            continue
        evolution, _ = evolution_affichee(f)
        attendue = _attendue(f, chemin)
        imprimee = None if evolution is None else arrondi_affiche(evolution, 1)
        assert imprimee == attendue, (chemin, f)
        verifiees += 1
    assert verifiees > 100


@pytest.mark.parametrize(
    "sens, nature, evolution, classe",
    [
        (FAVORABLE, "compte", 0.21, ""),  # 468 → 469 permanences : +0,2 %, sous le seuil de 2 %
        (DEFAVORABLE, PART, -0.3, ""),  # −0,3 pt, sous le seuil d'un point
        (FAVORABLE, "compte", 2.5, "favorable"),
        (DEFAVORABLE, PART, 1.0, "defavorable"),
    ],
)
def test_couleur_seulement_au_dela_du_seuil_de_l_indicateur(sens, nature, evolution, classe):
    definition = Indicateur("x", "", "", nature=nature, sens=sens)
    assert classe_evolution(definition, evolution) == classe
    assert bool(sens_notable(definition, evolution)) == bool(classe)
    assert classe_evolution(Indicateur("x", "", "", sens=FAVORABLE, seuil=5), 4.0) == ""  # seuil déclaré


def test_toute_evolution_coloree_porte_une_fleche_et_des_mots_dans_la_page_et_le_pdf(demo, client):
    from django.contrib.auth.models import User

    from tests.rapports.test_inconnu import _texte_pdf
    from tests.taches import octets_de, telecharger_le_bilan

    client.force_login(User.objects.get(username="coordination"))
    page = html.unescape(client.get("/rapports/bilan/2023/").content.decode())
    colorees = re.findall(r'<td class="nombre text-end (?:favorable|defavorable)">(.*?)</td>', page, re.S)
    assert colorees
    for cellule in colorees:
        assert re.match(r'<span aria-hidden="true">[▲▼]', cellule), cellule
        assert re.search(r"\(en (hausse|baisse), (bonne|mauvaise) nouvelle\)", cellule), cellule
    texte = _texte_pdf(octets_de(telecharger_le_bilan(client, 2023)))
    assert "▼ −25,4 pts" in texte  # taux d'annulation
    assert re.search(r"[▲▼] en (hausse|baisse) : ", texte)  # un grand chiffre, en mots
    assert "+0,2 %" not in re.sub(r"[▲▼] ", "", texte) or "▲ +0,2 %" not in texte


def test_les_trois_contradictions_de_l_analyse_2023_sont_signalees(demo, client):
    from django.contrib.auth.models import User

    from rapports.analyse import verifier
    from rapports.bilan import Periode, comparer_periodes
    from rapports.models import PointAnalyse

    indicateurs = comparer_periodes(Periode.annee(2023)).indicateurs
    signales = {
        p.titre for p in PointAnalyse.objects.filter(annee=2023) if verifier(p.titre, p.texte, indicateurs)
    }
    assert signales == {
        "Des permanences de plus en plus sollicitées",
        "Une dématérialisation grandissante",
        "Une belle progression du ratio d'inscriptions par formation",
    }
    client.force_login(User.objects.get(username="coordination"))
    page = html.unescape(client.get("/rapports/bilan/2023/").content.decode())
    assert page.count("À vérifier avant publication") == 3
    assert "264/65 = 4,06 contre 196/48 = 4,08" in page
    assert "Personnes reçues, enregistrements seuls : 6\u202f462 contre 6\u202f747 (−4,2\u202f%)" in page
    from tests.taches import octets_de, telecharger_le_bilan

    document = octets_de(telecharger_le_bilan(client, 2023, "html")).decode()
    assert "Une dématérialisation grandissante" in html.unescape(document)
    assert "À vérifier avant publication" not in html.unescape(
        document
    )  # le document ne montre pas les avertissements


@pytest.mark.parametrize(
    "titre, texte, contredit",
    [
        ("Des usagers de plus en plus nombreux", "", True),  # usagers −6,7 %
        ("Une baisse des usagers reçus", "", False),
        ("Un taux d'annulation stable", "{formations.taux_annulation_pct}", True),  # −25,4 pts
        ("Beaucoup moins d'annulations", "", False),
        ("La part du CDAS progresse", "{formations.structures_pct.CDAS}", False),
        ("Un constat", "Rien à signaler.", False),
    ],
)
def test_le_sens_d_une_phrase_est_confronte_a_l_indicateur_dont_elle_parle(demo, titre, texte, contredit):
    from rapports.analyse import verifier
    from rapports.bilan import Periode, comparer_periodes

    indicateurs = comparer_periodes(Periode.annee(2023)).indicateurs
    assert bool(verifier(titre, texte, indicateurs)) == contredit


def test_les_notes_de_l_annexe_viennent_des_donnees_de_l_annee(demo):
    from rapports.a_savoir import a_savoir
    from rapports.bilan import Periode, comparer_periodes

    notes_2023 = " ".join(a_savoir(comparer_periodes(Periode.annee(2023)).indicateurs))
    assert "sur 226 participations" in notes_2023 and "16 annulées sur 65 font 24,6\u202f%" in notes_2023


def test_une_valeur_masquee_par_la_regle_des_petits_groupes_ne_sort_pas_par_imprime(db, monkeypatch):
    from rapports import secret_statistique

    chemin = ("permanences", "autonomie_pct", "autonome")
    feuille = _regles().feuille(37.66, 37.94, chemin)
    assert "imprime" in feuille
    # La cellule est déclarée petit groupe d'un côté (la règle elle-même est testée avec le secret statistique).
    monkeypatch.setattr(
        secret_statistique, "_masques_d_un_cote", lambda valeurs, petites, k: {chemin: "petit"}
    )
    sections, masques = secret_statistique.proteger(
        {"permanences": {"autonomie_pct": {"autonome": feuille}}}, k=5
    )
    protegee = sections["permanences"]["autonomie_pct"]["autonome"]
    assert masques and protegee["valeur"] is None and "imprime" not in protegee
