"""Les règles de comparaison (#16) : inconnu = null, parts en points, même périmètre, couleur par sens, vide dit."""

import datetime
import html
import io
import re
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from permanences.models import Passage, Refus
from rapports.bilan import Periode, bilan_json, comparer_periodes
from rapports.comparaison import cle_alphabetique
from rapports.definitions import DEFAVORABLE, DEFINITIONS, FAVORABLE, NEUTRE, Indicateur
from rapports.enums import FamilleSuivie
from rapports.lignes import classe_evolution
from rapports.models import ChiffreExterne, SuiviDonnees
from rapports.suivi import suivi_depuis
from tests.rapports.jeu_de_donnees import construire
from tests.taches import exporter, octets_de, telecharger_le_bilan

DERIVES_DES_REFUS = ("refus", "personnes_en_demande", "taux_sans_reponse_pct")


@pytest.fixture
def jeu(db):
    return construire()


def _html(client, coordination, url):
    client.force_login(coordination)
    reponse = client.get(url)
    return reponse, html.unescape(reponse.content.decode())


def _verifier_refus_inconnus_en_2022(bilan):
    p = bilan["permanences"]
    for cle in DERIVES_DES_REFUS:
        assert p[cle]["valeur"] is not None, cle
        assert p[cle]["precedent"] is None, cle
        assert p[cle]["evolution_pct"] is None, cle
        assert "01/01/2023" in p[cle]["comparabilite"], cle
    assert p["taux_sans_reponse_pct"]["evolution_points"] is None
    for lieu, ligne in p["par_lieu"].items():
        assert ligne["refus"]["precedent"] is None, lieu
        assert ligne["refus"]["evolution_pct"] is None, lieu
        assert ligne["usagers_recus"]["precedent"] is not None, lieu  # le reste de la ligne reste connu


def test_refus_non_suivis_par_defaut_avant_le_premier_refus(jeu):
    Refus.objects.filter(date__year=2022).delete()
    assert suivi_depuis()[FamilleSuivie.REFUS] == datetime.date(2023, 1, 1)
    _verifier_refus_inconnus_en_2022(bilan_json(2023))


def test_refus_non_suivis_selon_la_date_fixee_par_la_coordination(jeu, client, coordination):
    SuiviDonnees.objects.create(famille=FamilleSuivie.REFUS, depuis=datetime.date(2023, 1, 1))
    bilan = bilan_json(2023)
    _verifier_refus_inconnus_en_2022(bilan)
    assert bilan["suivi_depuis"]["refus"] == "2023-01-01"
    reponse, page = _html(client, coordination, reverse("rapports:bilan", args=[2023]))
    ligne = re.search(
        r"<th scope=\"row\">Refus \(personnes venues et non reçues\)</th>(.*?)</tr>", page, re.S
    )
    assert ligne and "non suivi" in ligne.group(1)
    assert "Les refus n'étaient pas encore pointés en 2022" in page
    annexe = page[page.index('id="section-methodologie"') :]
    assert "Refus pointés à l'accueil : suivi commencé le 01/01/2023, rien n'est connu pour 2022." in annexe
    from tests.rapports.test_bilan import _texte_pdf

    texte = _texte_pdf(octets_de(telecharger_le_bilan(client, 2023)))
    assert re.search(r"Refus \(personnes venues et non reçues\) [\d\u202f ]+ non suivi", texte)


def test_annee_partiellement_suivie_calculee_sur_la_partie_suivie(jeu):
    _, donnees = jeu
    depuis = datetime.date(2023, 5, 1)
    SuiviDonnees.objects.create(famille=FamilleSuivie.REFUS, depuis=depuis)
    refus = [r for r in donnees[2023].refus if r.permanence.date >= depuis]
    usagers = [p for p in donnees[2023].passages if p.permanence.date >= depuis]
    p = bilan_json(2023)["permanences"]
    assert p["refus"]["valeur"] == len(refus)
    assert p["personnes_en_demande"]["valeur"] == len(usagers) + len(refus)
    assert p["taux_sans_reponse_pct"]["valeur"] == round(100 * len(refus) / (len(usagers) + len(refus)), 2)
    assert p["usagers_recus"]["valeur"] == len(donnees[2023].passages)  # les passages, eux, sont tous suivis
    assert p["refus"]["precedent"] is None and p["refus"]["evolution_pct"] is None
    assert (
        "01/05/2023" in p["refus"]["comparabilite"]
        and "à partir de cette date" in p["refus"]["comparabilite"]
    )


def test_chiffre_declare_une_seule_annee_pas_d_evolution_mais_un_total_comparable(jeu):
    _, donnees = jeu
    ChiffreExterne.objects.create(
        annee=2023, indicateur="dispositif.personnes_recues_externes", valeur=Decimal(100), source="ERE"
    )
    d = bilan_json(2023)["dispositif"]
    assert d["personnes_recues"]["evolution_pct"] is None
    assert "2023 comprend le chiffre déclaré" in d["personnes_recues"]["comparabilite"]

    def enregistrees(annee):
        a = donnees[annee]
        return (
            len(a.passages)
            + sum(1 for r in a.rdv if r.service == "ccas" and r.statut == "honore")
            + sum(1 for r in a.rdv if r.service == "arcs" and r.statut == "honore")
        )

    hors = d["personnes_recues_hors_declares"]
    assert (hors["valeur"], hors["precedent"]) == (enregistrees(2023), enregistrees(2022))
    assert hors["evolution_pct"] == round(
        100 * (enregistrees(2023) - enregistrees(2022)) / enregistrees(2022), 2
    )
    assert "comparabilite" not in hors
    assert d["personnes_recues"]["valeur"] == enregistrees(2023) + 100


def _feuilles(noeud, chemin=()):
    for cle, valeur in noeud.items():
        if isinstance(valeur, dict) and "valeur" in valeur:
            yield (*chemin, cle), valeur
        elif isinstance(valeur, dict):
            yield from _feuilles(valeur, (*chemin, cle))


def test_evolution_en_points_pour_chaque_part_et_seulement_pour_elles(jeu):
    bilan = bilan_json(2023)
    parts = 0
    for chemin, f in _feuilles({s: bilan[s] for s in ("permanences", "rendez_vous", "arcs", "formations")}):
        est_part = chemin[1].endswith("_pct") or (len(chemin) == 4 and chemin[3].endswith("_pct"))
        if not est_part:
            assert "evolution_points" not in f, chemin
            continue
        parts += 1
        v, p = f["valeur"], f["precedent"]
        attendu = None if v is None or p is None or f.get("comparabilite") else round(v - p, 2)
        assert f["evolution_points"] == attendu, chemin
    assert parts > 30


@pytest.mark.parametrize(
    ("sens", "evolution", "classe"),
    [
        (DEFAVORABLE, 12.0, "defavorable"),
        (DEFAVORABLE, -25.38, "favorable"),
        (FAVORABLE, 3.0, "favorable"),
        (FAVORABLE, -3.0, "defavorable"),
        (NEUTRE, 57.3, ""),
        (DEFAVORABLE, 0.04, ""),  # affiché « 0,0 » : pas de couleur
        (DEFAVORABLE, None, ""),
    ],
)
def test_couleur_selon_ce_que_signifie_une_hausse(sens, evolution, classe):
    assert classe_evolution(Indicateur("x", "x", "x", sens=sens), evolution) == classe


def test_hausse_d_un_indicateur_defavorable_en_rouge_dans_la_page(jeu, client, coordination):
    from tests.permanences.factories import RendezVousFactory

    RendezVousFactory.create_batch(2, service="ccas", statut="absent", date=datetime.date(2023, 11, 6))
    bilan = bilan_json(2023)
    absents = bilan["rendez_vous"]["absents"]
    assert DEFINITIONS["rendez_vous.absents"].sens == DEFAVORABLE
    assert absents["valeur"] > absents["precedent"], "le jeu de données doit faire monter les absences"
    _, page = _html(client, coordination, reverse("rapports:bilan", args=[2023]))
    ligne = re.search(r"<th scope=\"row\">Absences non excusées</th>(.*?)</tr>", page, re.S).group(1)
    assert 'class="nombre text-end defavorable"' in ligne and "mauvaise nouvelle" in ligne
    usagers = re.search(r"<th scope=\"row\">Usagers reçus</th>(.*?)</tr>", page, re.S).group(1)
    assert "favorable" not in usagers  # neutre : pas de couleur


def test_une_annee_sans_donnee_est_refusee_avec_un_message(jeu, client, coordination):
    client.force_login(coordination)
    for nom in ("rapports:bilan", "rapports:bilan_pdf", "rapports:bilan_json"):
        reponse = client.get(reverse(nom, args=[2030]))
        assert reponse.status_code == 404, nom
        assert reponse["Content-Type"] != "application/pdf"
        assert "Aucune donnée pour 2030" in reponse.content.decode(), nom
    with pytest.raises(CommandError, match="Aucune donnée pour 2030"):
        call_command("bilan", "2030", "--format", "pdf")


def test_une_annee_avec_seulement_des_chiffres_declares_a_un_bilan(db, client, coordination):
    ChiffreExterne.objects.create(annee=2021, indicateur="permanences.usagers_recus", valeur=4000, source="x")
    reponse, page = _html(client, coordination, reverse("rapports:bilan", args=[2021]))
    assert reponse.status_code == 200 and "4\u202f000" in page


def test_sections_et_graphiques_vides_dits_en_une_phrase(db, client, coordination):
    """Une année avec des passages mais ni rendez-vous ni formations : pas d'axes vides, une phrase."""
    from tests.permanences.factories import PassageFactory, PermanenceFactory

    PassageFactory(permanence=PermanenceFactory(date=datetime.date(2025, 3, 4)))
    _, page = _html(client, coordination, reverse("rapports:bilan", args=[2025]))
    assert "Aucun rendez-vous ARCS enregistré en 2025." in page
    assert "Aucun rendez-vous individuel des médiateurs enregistré en 2025." in page
    assert "Soit —" not in page and "personne(s)" not in page
    assert "Orientations vers les partenaires : non suivi en 2025." in page
    images = re.findall(r'<img src="data:image/svg\+xml;base64,([^"]+)"', page)
    import base64

    for image in images:
        svg = base64.b64decode(image).decode()
        assert "−0.04" not in svg and "0.04" not in svg


def test_tableau_de_bord_sans_donnee_sans_graphique_vide(db, client, coordination):
    _, page = _html(
        client, coordination, reverse("rapports:tableau_de_bord") + "?debut=2031-01-01&fin=2031-03-31"
    )
    assert "<img" not in page
    assert "Aucune permanence ni aucun passage enregistré du 01/01/2031 au 31/03/2031." in page


def test_xlsx_du_tableau_de_bord_points_comparabilite_et_libelles(jeu, client, coordination):
    Refus.objects.filter(date__year=2022).delete()
    client.force_login(coordination)
    octets = octets_de(exporter(client, reverse("rapports:export_xlsx") + "?debut=2023-01-01&fin=2023-12-31"))
    feuille = load_workbook(io.BytesIO(octets))["Indicateurs"]
    entetes, *lignes = list(feuille.values)
    assert entetes == (
        "indicateur",
        "libellé",
        "valeur",
        "année précédente",
        "évolution %",
        "évolution (points)",
        "comparabilité",
        "secret statistique",
    )
    par_code = {ligne[0]: ligne for ligne in lignes}
    bilan = bilan_json(2023)
    taux = par_code["formations.taux_annulation_pct"]
    assert taux[1] == "Taux d'annulation"
    assert taux[5] == bilan["formations"]["taux_annulation_pct"]["evolution_points"]
    refus = par_code["permanences.refus"]
    assert refus[3] is None and refus[4] is None and "suivi commencé le 01/01/2023" in refus[6]
    age = par_code["permanences.tranche_age_pct.40_59"]
    assert age[1] == "Tranches d'âge : 40 à 59 ans"


def test_json_deterministe_tables_rangees(jeu):
    """Codes dans leur ordre déclaré, noms par ordre alphabétique : l'ordre des lignes en base ne compte pas."""
    from inclusion.models import Demarche
    from permanences.enums import TrancheAge

    bilan = bilan_json(2023)
    ordre_demarches = list(Demarche.objects.values_list("code", flat=True))
    cles = list(bilan["permanences"]["demarches_pct"])
    assert cles == sorted(cles, key=ordre_demarches.index)
    assert list(bilan["permanences"]["tranche_age_pct"]) == TrancheAge.values
    for chemin in ("permanences.par_lieu", "permanences.orientations", "formations.inscriptions_par_theme"):
        section, cle = chemin.split(".")
        noms = list(bilan[section][cle])
        assert noms == sorted(noms, key=cle_alphabetique), chemin
    assert cle_alphabetique("Éole") < cle_alphabetique("Fougères") < cle_alphabetique("zèbre")


def test_json_identique_quand_les_lignes_sont_reecrites_dans_un_autre_ordre(jeu):
    """Comme une sauvegarde restaurée : mêmes données, autres identifiants, mêmes octets."""
    import json

    avant = json.dumps(bilan_json(2023), ensure_ascii=False)
    passages = list(Passage.objects.order_by("-pk"))
    Passage.objects.all().delete()
    for passage in passages:
        passage.pk = None
    Passage.objects.bulk_create(passages)
    assert json.dumps(bilan_json(2023), ensure_ascii=False) == avant


def test_libelles_de_graphiques_en_texte_brut(db, client, coordination):
    """Un nom de thème en « $…$ » n'est pas lu comme une formule (l'ancien rendu répondait 500)."""
    from tests.formations.factories import InscriptionFactory, SessionFormationFactory, ThemeFactory

    session = SessionFormationFactory(
        theme=ThemeFactory(nom=r"Atelier $\foo$"), date=datetime.date(2023, 3, 1)
    )
    InscriptionFactory(session=session)
    reponse, page = _html(client, coordination, reverse("rapports:bilan", args=[2023]))
    assert reponse.status_code == 200 and r"Atelier $\foo$" in page
    assert octets_de(telecharger_le_bilan(client, 2023)).startswith(b"%PDF")


def test_la_periode_precedente_d_un_tableau_de_bord_se_dit_en_dates():
    periode = Periode(datetime.date(2023, 3, 1), datetime.date(2023, 6, 1))
    assert periode.un_an_avant().libelle == "la période du 01/03/2022 au 31/05/2022"
    assert Periode.annee(2023).libelle_en == "en 2023"


def test_filtre_par_lieu_sans_chiffre_declare(jeu):
    lieux, _ = jeu
    ChiffreExterne.objects.create(
        annee=2023, indicateur="dispositif.personnes_recues_externes", valeur=9, source="x"
    )
    comparaison = comparer_periodes(Periode.annee(2023), lieux=[lieux[0]])
    assert comparaison.indicateurs["dispositif"]["personnes_recues_externes"]["valeur"] is None
    assert "comparabilite" not in comparaison.indicateurs["dispositif"]["personnes_recues"]


def test_axes_et_etiquettes_des_graphiques_en_format_francais(jeu, client, coordination):
    import base64

    _, page = _html(client, coordination, reverse("rapports:bilan", args=[2023]))
    textes = []
    for image in re.findall(r'<img src="data:image/svg\+xml;base64,([^"]+)"', page):
        textes += re.findall(r"<text[^>]*>([^<]*)</text>", base64.b64decode(image).decode())
    nombres = [t for t in textes if re.search(r"\d", t)]
    assert len(nombres) > 50
    assert not [t for t in nombres if re.search(r"\d\.\d", t)], "point décimal dans un graphique"
    assert any(re.fullmatch(r"\d+,\d\u202f%", t) for t in nombres)  # étiquettes de parts : 41,6 %


@pytest.mark.parametrize(
    ("famille", "depuis", "message"),
    [
        ("refus", "1900-01-01", "Date invalide (entre 2000 et 2100)."),
        ("refus", "2023-02-30", "Saisissez une date valide."),
        ("inconnue", "2023-01-01", "Sélectionnez un choix valide."),
        ("refus", "'; DROP TABLE x; --", "Saisissez une date valide."),
    ],
)
def test_suivi_des_donnees_dans_l_administration_entrees_hostiles(
    client, coordination, famille, depuis, message
):
    client.force_login(coordination)
    reponse = client.post(
        reverse("admin:rapports_suividonnees_add"), {"famille": famille, "depuis": depuis, "commentaire": ""}
    )
    assert reponse.status_code == 200
    assert message in html.unescape(reponse.content.decode())
    assert not SuiviDonnees.objects.exists()


def test_suivi_des_donnees_fixe_par_la_coordination_dans_l_administration(client, coordination):
    client.force_login(coordination)
    reponse = client.post(
        reverse("admin:rapports_suividonnees_add"),
        {"famille": "refus", "depuis": "2023-10-01", "commentaire": "Pointage des refus à partir d'octobre."},
    )
    assert reponse.status_code == 302
    assert suivi_depuis()[FamilleSuivie.REFUS] == datetime.date(2023, 10, 1)


def test_le_tableau_de_bord_s_ouvre_sur_le_dernier_mois_complet_quand_l_annee_est_vide(db):
    from rapports.forms import FiltreForm
    from tests.permanences.factories import PassageFactory, PermanenceFactory

    assert FiltreForm.valeurs_initiales(datetime.date(2027, 1, 5)) == {
        "debut": datetime.date(2026, 12, 1),
        "fin": datetime.date(2026, 12, 31),
    }
    PassageFactory(permanence=PermanenceFactory(date=datetime.date(2027, 1, 4)))
    assert FiltreForm.valeurs_initiales(datetime.date(2027, 1, 5)) == {
        "debut": datetime.date(2027, 1, 1),
        "fin": datetime.date(2027, 1, 5),
    }
