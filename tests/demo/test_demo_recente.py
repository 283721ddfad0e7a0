"""#29, point 8 : la démonstration de 2024 à aujourd'hui ressemble aux années suivantes d'un vrai dispositif, et ses
Bilans 2024 et 2025 n'ont aucun des défauts relevés (inconnu imprimé comme zéro, coquilles vides, notes répétées,
allure synthétique). Démonstration complète chargée une fois, horloge gelée au mercredi 2 décembre 2026."""

import datetime
import html
import re

import pytest
from django.db.models import Count, F, Q
from freezegun import freeze_time

from demo.donnees.recent import DEBUT
from formations.enums import StatutSession
from formations.models import SessionFormation
from permanences.models import Arrivee, Passage, Permanence
from rapports import analyse
from rapports.bilan import bilan_json
from rapports.models import PointAnalyse
from tests.conftest import donnees_du_module
from tests.demonstration import charger_la_demo

pytestmark = pytest.mark.django_db
AUJOURDHUI = datetime.date(2026, 12, 2)


@pytest.fixture(scope="module")
def bilans(django_db_setup, django_db_blocker):
    def charger():
        with freeze_time("2026-12-02 10:30"):
            charger_la_demo()

    with donnees_du_module(django_db_blocker, charger), django_db_blocker.unblock():
        yield {annee: bilan_json(annee) for annee in (2023, 2024, 2025)}


def feuilles(noeud, chemin=()):
    """Chaque feuille d'indicateur (dict avec « valeur ») du JSON, avec son chemin."""
    if isinstance(noeud, dict):
        if "valeur" in noeud and not isinstance(noeud["valeur"], dict):
            yield chemin, noeud
        for cle, valeur in noeud.items():
            if isinstance(valeur, dict) and cle not in ("imprime", "inconnu"):
                yield from feuilles(valeur, (*chemin, cle))


@pytest.mark.parametrize("annee", [2024, 2025])
def test_aucune_famille_sans_enregistrement_ni_part_d_une_base_vide(bilans, annee):
    """Orientations, freins, quartiers et démarches des rendez-vous continués : aucun « inconnu » dans l'année
    (ni famille sans enregistrement, ni base vide), aucune table de parts toute à zéro."""
    b = bilans[annee]
    inconnus = [".".join(c) for c, f in feuilles(b) if (f.get("inconnu") or {}).get("valeur")]
    assert inconnus == []
    for section in ("permanences", "rendez_vous", "arcs", "formations"):
        for table, contenu in b[section].items():
            if table.endswith("_pct") and "valeur" not in contenu:
                valeurs = [f["valeur"] for f in contenu.values()]
                assert any(valeurs), (section, table)  # une part d'une base vide n'est jamais 0,0 %
    p = b["permanences"]
    assert p["orientations"] and all(f["valeur"] for f in p["orientations"].values())
    assert p["qpv_pct"]["valeur"]
    assert b["rendez_vous"]["demarches_pct"]["prefecture_etrangers"]["valeur"] > 50


@pytest.mark.parametrize("annee", [2024, 2025])
def test_chiffres_declares_des_ere_et_deux_tuiles_differentes(bilans, annee):
    """3 ERE sur 4 en espaces numériques en ESC dès 2024 : leur chiffre est déclaré, « personnes reçues » n'est
    pas réduit aux enregistrements (deux tuiles identiques « 5 923 / 5 923 »)."""
    d = bilans[annee]["dispositif"]
    assert annee in {c["annee"] for c in bilans[annee]["chiffres_declares"]}
    assert d["personnes_recues_externes"]["valeur"] > 3000
    assert d["personnes_recues"]["valeur"] > d["personnes_recues_hors_declares"]["valeur"]
    assert d["personnes_recues"]["evolution_pct"] is not None  # deux années déclarées : comparable


def test_une_session_de_formation_tenue_chaque_trimestre(bilans):
    trimestres = {(a, t) for a in (2024, 2025, 2026) for t in range(4)} - {(2026, 3)}  # jusqu'à aujourd'hui
    tenues = {
        (s.year, (s.month - 1) // 3)
        for s in SessionFormation.objects.filter(date__gte=DEBUT, statut=StatutSession.TENUE).values_list(
            "date", flat=True
        )
    }
    assert trimestres <= tenues
    for annee in (2024, 2025):
        f = bilans[annee]["formations"]
        assert f["sessions_tenues"]["valeur"] >= 20 and f["participants"]["valeur"] >= 100
        assert f["accompagnements_individuels"]["valeur"] > 0


def test_permanences_du_planning_en_demi_journees_du_lundi_au_samedi(bilans):
    permanences = Permanence.objects.filter(date__gte=DEBUT)
    assert permanences.count() > 1000
    assert not [p.date for p in permanences if p.date.weekday() == 6]  # aucune le dimanche
    assert {
        (p.heure_fin.hour * 60 + p.heure_fin.minute) - (p.heure_debut.hour * 60 + p.heure_debut.minute)
        for p in permanences
    } == {180}
    assert permanences.filter(creneau__isnull=True).count() == 0  # toutes viennent du planning
    assert permanences.filter(date__week_day=7).exists()  # le samedi matin ouvert en 2024


def test_chaque_passage_vient_d_une_arrivee_pointee(bilans):
    """Arrivées cohérentes avec les passages : une arrivée prise en charge par passage, attente qui en découle ;
    aucune permanence passée avec des passages et sans arrivée."""
    passages = Passage.objects.filter(date__gte=DEBUT, date__lt=AUJOURDHUI)
    assert passages.count() > 5000
    assert not passages.filter(arrivee__isnull=True).exists()
    for passage in passages.select_related("arrivee")[:300]:
        attente = (passage.arrivee.prise_en_charge_le - passage.arrivee.horodatage).total_seconds() // 60
        assert passage.attente_minutes == attente
        assert passage.arrivee.prise_en_charge_par_id == passage.intervenant_id
    incoherentes = (
        Permanence.objects.filter(date__gte=DEBUT, date__lt=AUJOURDHUI)
        .annotate(p=Count("passages", distinct=True), a=Count("arrivees", distinct=True))
        .exclude(p=F("a"))
    )
    assert not incoherentes.exists()
    assert Arrivee.objects.filter(permanence__date=AUJOURDHUI, prise_en_charge_le__isnull=True).exists()


@pytest.mark.parametrize("annee", [2024, 2025])
def test_rendez_vous_des_deux_types_et_lieux_qui_different(bilans, annee):
    p, r = bilans[annee]["permanences"], bilans[annee]["rendez_vous"]
    assert 70 <= r["types_demande_pct"]["demarche_en_ligne"]["valeur"] <= 95
    assert 5 <= r["types_demande_pct"]["accompagnement_technique"]["valeur"] <= 30
    moyennes = [ligne["moyenne_usagers_par_permanence"]["valeur"] for ligne in p["par_lieu"].values()]
    usagers = [ligne["usagers_recus"]["valeur"] for ligne in p["par_lieu"].values()]
    assert len(moyennes) == 5 and max(moyennes) >= 1.5 * min(moyennes)
    assert max(usagers) >= 1.5 * min(usagers)
    assert p["refus"]["valeur"] > 0 and p["attente_moyenne_minutes"]["valeur"] > 0


@pytest.mark.parametrize("annee", [2024, 2025])
def test_l_analyse_de_l_equipe_cite_des_chiffres_vivants_sans_avertissement(bilans, annee):
    points = list(PointAnalyse.objects.filter(annee=annee))
    assert {p.section for p in points} >= {"analyse_permanences", "analyse_formations", "a_retenir"}
    assert sum(bool(analyse.CITATION.search(p.texte)) for p in points) >= len(points) - 2
    for point in points:
        assert analyse.cles_inconnues(point.texte) == []
        assert "—" not in analyse.rendre(point.texte, bilans[annee]), point.titre
        assert analyse.verifier(point.titre, point.texte, bilans[annee]) == [], point.titre


def test_l_analyse_2025_qui_dit_hausse_serait_signalee_sur_une_baisse(bilans):
    """Le contrôle précédent peut échouer : le même point, confronté aux chiffres de 2024 (baisse), est signalé."""
    point = PointAnalyse.objects.get(annee=2025, titre="Une fréquentation en hausse")
    b = bilans[2025]
    inverse = {
        **b,
        "dispositif": {k: {**v, "valeur": v["precedent"] - 100} for k, v in b["dispositif"].items()},
    }
    for feuille in inverse["dispositif"].values():
        feuille["evolution_pct"] = -1.0 - abs(feuille.get("evolution_pct") or 0)
        feuille.pop("imprime", None)
    assert analyse.verifier(point.titre, point.texte, inverse)


@pytest.mark.parametrize("annee", [2024, 2025])
def test_le_bilan_html_sans_coquille_ni_note_de_2023(bilans, annee, client):
    from django.contrib.auth.models import User

    client.force_login(User.objects.get(username="coordination"))
    page = html.unescape(client.get(f"/rapports/bilan/{annee}/").content.decode())
    coquilles = re.findall(
        r"(?i)aucune donnée en 20\d\d|aucun enregistrement en 20\d\d|: aucune donnée\.", page
    )
    assert coquilles == []
    assert "41,8" not in page and "226 participants" not in page  # les notes de 2023 ne reviennent pas
    assert not re.search(r"0,0\s?%\s+(vs|contre)", page)


def test_le_bilan_2023_n_a_pas_bouge(bilans):
    """Rien de ce que génère 2024 et la suite ne touche aux chiffres 2022-2023 (voir aussi test_demo)."""
    b = bilans[2023]
    assert b["permanences"]["usagers_recus"]["valeur"] == 5541
    assert b["dispositif"]["personnes_recues"]["valeur"] == 10613
    assert b["formations"]["participants"]["valeur"] == 226
    assert b["permanences"]["refus"]["valeur"] == 1545
    assert [c["annee"] for c in b["chiffres_declares"]] == [2023]
    assert Passage.objects.filter(date__lt=DEBUT).filter(Q(arrivee__isnull=False)).count() == 0
