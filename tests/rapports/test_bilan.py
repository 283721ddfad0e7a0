import datetime
import io
import json
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from rapports.bilan import Periode, bilan_json, comparer_periodes
from rapports.comparaison import evolution_pct
from rapports.definitions import DEFINITIONS, PART
from rapports.formats import valeur_fr
from rapports.models import ChiffreExterne, PointAnalyse
from tests.permanences.factories import CreneauFactory
from tests.rapports.jeu_de_donnees import attendu, construire
from tests.taches import exporter, octets_de, telecharger_le_bilan


@pytest.fixture
def jeu(db):
    lieux, donnees = construire()
    return lieux, donnees, attendu(donnees[2023]), attendu(donnees[2022])


def _evolution(v, p):
    return None if v is None or not p else round(100 * (v - p) / p, 2)


def _verifier_feuille(feuille, valeur, precedent, chemin):
    assert feuille["valeur"] == valeur, (chemin, "valeur", feuille, valeur)
    assert feuille["precedent"] == precedent, (chemin, "precedent", feuille, precedent)
    assert feuille["evolution_pct"] == _evolution(valeur, precedent), chemin


def _verifier(obtenu, courant, precedent, chemin=""):
    if isinstance(courant, dict) or isinstance(precedent, dict):
        courant, precedent = courant or {}, precedent or {}
        cles = set(courant) | set(precedent)
        assert set(obtenu) == cles, (chemin, set(obtenu) ^ cles)
        plate = all(not isinstance(v, dict) for v in [*courant.values(), *precedent.values()])
        for cle in cles:
            defaut = 0 if plate else None
            _verifier(obtenu[cle], courant.get(cle, defaut), precedent.get(cle, defaut), f"{chemin}.{cle}")
    else:
        _verifier_feuille(obtenu, courant, precedent, chemin)


def test_chaque_cle_du_json_contre_un_calcul_independant(jeu):
    _, _, en_2023, en_2022 = jeu
    bilan = bilan_json(2023)
    assert bilan["annee"] == 2023
    for section, indicateurs in en_2023.items():
        for cle, valeur in indicateurs.items():
            _verifier(bilan[section][cle], valeur, en_2022[section][cle], f"{section}.{cle}")
    # Créneaux en vigueur au 31 décembre de chaque année.
    assert bilan["permanences"]["permanences_par_semaine"] == {
        "valeur": 3,
        "precedent": 2,
        "evolution_pct": 50.0,
    }
    total_2023 = (
        en_2023["permanences"]["usagers_recus"]
        + en_2023["rendez_vous"]["realises"]
        + en_2023["arcs"]["rendez_vous_tenus"]
    )
    total_2022 = (
        en_2022["permanences"]["usagers_recus"]
        + en_2022["rendez_vous"]["realises"]
        + en_2022["arcs"]["rendez_vous_tenus"]
    )
    _verifier_feuille(bilan["dispositif"]["personnes_recues"], total_2023, total_2022, "dispositif")
    assert bilan["dispositif"]["personnes_recues_externes"]["valeur"] is None
    # Toutes les clés du contrat sont présentes.
    for chemin in DEFINITIONS:
        section, cle = chemin.split(".")
        assert cle in bilan[section], chemin


def test_chaque_indicateur_a_sa_definition(jeu):
    bilan = bilan_json(2023)
    produits = {
        f"{s}.{k}"
        for s in ("permanences", "rendez_vous", "arcs", "formations", "dispositif")
        for k in bilan[s]
    }
    assert produits == set(DEFINITIONS)


def test_chiffres_externes_utilises_seulement_sans_enregistrements(jeu):
    ChiffreExterne.objects.create(
        annee=2021, indicateur="permanences.usagers_recus", valeur=Decimal(4000), source="Tableur 2021"
    )
    ChiffreExterne.objects.create(
        annee=2021, indicateur="permanences.permanences_tenues", valeur=Decimal(400), source="Tableur 2021"
    )
    ChiffreExterne.objects.create(
        annee=2022, indicateur="permanences.usagers_recus", valeur=Decimal(1), source="ignoré"
    )
    ChiffreExterne.objects.create(
        annee=2022, indicateur="dispositif.personnes_recues_externes", valeur=Decimal(4151), source="ERE"
    )
    bilan_2022 = bilan_json(2022)
    _, donnees, _, _ = jeu
    usagers_2022 = len(donnees[2022].passages)
    assert bilan_2022["permanences"]["usagers_recus"]["valeur"] == usagers_2022  # les enregistrements priment
    assert (
        bilan_2022["permanences"]["usagers_recus"]["precedent"] == 4000
    )  # 2021 : rien d'enregistré → déclaré
    assert bilan_2022["permanences"]["moyenne_usagers_par_permanence"]["precedent"] == 10.0
    assert bilan_2022["permanences"]["refus"]["precedent"] is None  # inconnu, pas zéro
    assert bilan_2022["dispositif"]["personnes_recues_externes"]["valeur"] == 4151
    declares = {(c["annee"], c["indicateur"]) for c in bilan_2022["chiffres_declares"]}
    assert declares == {
        (2021, "permanences.usagers_recus"),
        (2021, "permanences.permanences_tenues"),
        (2022, "dispositif.personnes_recues_externes"),
    }
    assert bilan_2022["dispositif"]["personnes_recues"]["valeur"] == (
        usagers_2022
        + bilan_2022["rendez_vous"]["realises"]["valeur"]
        + bilan_2022["arcs"]["rendez_vous_tenus"]["valeur"]
        + 4151
    )


def test_evolution():
    assert evolution_pct(5541, 5941) == -6.73
    assert evolution_pct(3, 0) is None
    assert evolution_pct(None, 3) is None


REQUETES_BILAN = (
    32  # 14 par année + chiffres déclarés + suivi des familles + zéros confirmés + ordre des démarches
)


@pytest.mark.parametrize("nb_lieux", [2, 20])
def test_nombre_de_requetes_constant_pour_tout_le_bilan(db, nb_lieux, django_assert_num_queries):
    construire(nb_lieux=nb_lieux)
    with django_assert_num_queries(REQUETES_BILAN):
        bilan_json(2023)


def test_requetes_des_vues_identiques_avec_2_et_20_lieux(client, coordination):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.formations.factories import SessionFormationFactory
    from tests.inclusion.factories import LieuFactory, demarche
    from tests.permanences.factories import PassageFactory, PermanenceFactory, RefusFactory, RendezVousFactory

    client.force_login(coordination)
    construire(nb_lieux=2, graine=1)
    urls = [
        reverse("rapports:bilan_json", args=[2023]),
        reverse("rapports:bilan", args=[2023]),
        reverse("rapports:tableau_de_bord") + "?debut=2023-01-01&fin=2023-12-31",
    ]
    comptes = {}
    for url in urls:
        client.get(
            url
        )  # la première visite du Bilan met son premier rendu en file (écritures faites une fois)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        comptes[url] = len(ctx)
    for i in range(18):
        lieu = LieuFactory(nom=f"Autre lieu {i}")
        permanence = PermanenceFactory(lieu=lieu, date=datetime.date(2023, 5, 2 + i))
        PassageFactory.create_batch(
            2, permanence=permanence, demarche=demarche(["banque", "justice", "retraite"][i % 3])
        )
        RefusFactory(permanence=permanence)
        RendezVousFactory(
            service="arcs", statut="honore", duree_minutes=30, lieu=lieu, date=datetime.date(2023, 6, 1)
        )
        SessionFormationFactory(lieu=lieu, date=datetime.date(2023, 9, 1))
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        assert len(ctx) == comptes[url], url


def _texte_pdf(contenu):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(contenu)).pages)


def test_pdf_et_html_montrent_les_memes_chiffres_et_le_commentaire(client, coordination, jeu):
    _, _, en_2023, _ = jeu
    client.force_login(coordination)
    reponse = client.post(
        reverse("rapports:point_ajouter", args=[2023, "analyse_permanences"]),
        {"titre": "Une attente toujours aussi importante.", "texte": "Deuxième paragraphe."},
    )
    assert reponse.status_code == 302
    assert PointAnalyse.objects.get(annee=2023, section="analyse_permanences").modifie_par == coordination
    html = client.get(reverse("rapports:bilan", args=[2023])).content.decode()
    reponse = telecharger_le_bilan(client, 2023)
    assert reponse["Content-Type"] == "application/pdf"
    pdf = octets_de(reponse)
    texte = _texte_pdf(pdf)
    assert "Une attente toujours aussi importante." in html and "Deuxième paragraphe." in html
    assert "Une attente toujours aussi importante." in texte and "Deuxième paragraphe." in texte
    assert "Annexe méthodologique" in texte and "Page 2 / " in texte

    # La navigation du PDF : ses signets reprennent les titres des sections.
    def titres(signets):
        for signet in signets:
            yield from titres(signet) if isinstance(signet, list) else [signet.title]

    signets = list(titres(PdfReader(io.BytesIO(pdf)).outline))
    assert {"2023 en bref", "Bilan des permanences numériques", "Annexe méthodologique"} <= set(signets)
    usagers = str(en_2023["permanences"]["usagers_recus"])
    taux = valeur_fr(en_2023["permanences"]["taux_sans_reponse_pct"], PART)  # l'arrondi des documents
    for chiffre in (usagers, taux):
        assert chiffre in html, chiffre
        assert (
            chiffre in texte.replace(" ", "\u202f").replace("\u202f%", "\u202f%")
            or chiffre.replace("\u202f", " ") in texte
        ), chiffre
    # Les mêmes nombres, dans le même ordre, dans les tableaux HTML et PDF.
    nombres_html = re.findall(r"<td class=\"nombre text-end[^\"]*\">([^<]+)</td>", html)
    # Le document a ses espaces insécables (« 13 min ») : les nombres se comparent sans elles.
    espaces = str.maketrans({"\u202f": " ", "\u00a0": " "})
    for valeur in nombres_html[:40]:
        assert valeur.translate(espaces) in texte.translate(espaces), valeur
    assert html.count('<img src="data:image/svg+xml;base64,') >= 10
    assert 'alt="Usagers reçus en moyenne par permanence, par lieu\u00a0: ' in html


def test_commentaire_section_inconnue_404_et_reserve_a_la_coordination(client, coordination, db):
    from tests.inclusion.factories import utilisateur

    client.force_login(coordination)
    assert (
        client.post(reverse("rapports:point_ajouter", args=[2023, "inconnue"]), {"texte": "x"}).status_code
        == 404
    )
    client.force_login(utilisateur("mediation"))
    assert (
        client.post(reverse("rapports:point_ajouter", args=[2023, "a_retenir"]), {"texte": "x"}).status_code
        == 403
    )
    assert client.get(reverse("rapports:bilan_json", args=[2023])).status_code == 403
    assert not PointAnalyse.objects.exists()


def test_commande_bilan_json_html_pdf(jeu, tmp_path, capsys):
    call_command("bilan", "2023", "--format", "json")
    sortie = json.loads(capsys.readouterr().out)
    assert sortie == json.loads(json.dumps(bilan_json(2023)))
    call_command("bilan", "2023", "--format", "pdf", "--output", str(tmp_path / "b.pdf"))
    assert "Bilan 2023" in _texte_pdf((tmp_path / "b.pdf").read_bytes()) or "BILAN 2023" in _texte_pdf(
        (tmp_path / "b.pdf").read_bytes()
    )
    call_command("bilan", "2023", "--format", "html", "--output", str(tmp_path / "b.html"))
    page = (tmp_path / "b.html").read_text()
    assert "Annexe méthodologique" in page
    assert "<style>" in page and ".couverture {" in page  # document autonome et mis en forme


def test_tableau_de_bord_filtre_par_lieu_et_export(client, coordination, jeu):
    from openpyxl import load_workbook

    lieux, donnees, _, _ = jeu
    client.force_login(coordination)
    params = f"?debut=2023-01-01&fin=2023-12-31&lieux={lieux[0].pk}"
    comparaison = comparer_periodes(Periode.annee(2023), lieux=[lieux[0]])
    attendu_lieu = sum(1 for p in donnees[2023].passages if p.permanence.lieu_id == lieux[0].pk)
    assert comparaison.indicateurs["permanences"]["usagers_recus"]["valeur"] == attendu_lieu
    page = client.get(reverse("rapports:tableau_de_bord") + params).content.decode()
    assert f">{attendu_lieu}</td>" in page
    classeur = load_workbook(
        io.BytesIO(octets_de(exporter(client, reverse("rapports:export_xlsx") + params)))
    )
    lignes = {r[0]: r for r in classeur["Indicateurs"].values}
    assert lignes["permanences.usagers_recus"][1:3] == ("Usagers reçus", attendu_lieu)
    entetes, *passages = list(classeur["Passages"].values)
    assert sum(ligne[-1] for ligne in passages) == attendu_lieu  # regroupés (colonne « nombre »)
    entetes = next(classeur["Rendez-vous"].values)
    assert "nom_contact" not in entetes and "telephone_contact" not in entetes


def test_tableau_de_bord_periode_invalide(client, coordination):
    client.force_login(coordination)
    reponse = client.get(reverse("rapports:tableau_de_bord") + "?debut=2023-05-01&fin=2023-01-01")
    assert "La fin de la période précède son début." in reponse.content.decode()


def test_format_francais_des_nombres():
    from rapports.formats import evolution_fr, minutes_fr, nombre_fr, pct_fr

    assert nombre_fr(6462) == "6\u202f462"
    assert nombre_fr(10613) == "10\u202f613"
    assert pct_fr(21.8) == "21,8\u202f%"
    assert evolution_fr(-6.73) == "−6,7\u202f%"
    assert evolution_fr(16.5) == "+16,5\u202f%"
    assert evolution_fr(33.47, en_points=True) == "+33,5\u202fpts"
    assert evolution_fr(-0.04, en_points=True) == "0,0\u202fpt"
    assert minutes_fr(132) == "2 h 12"
    assert minutes_fr(21) == "21 min"


@pytest.mark.django_db
def test_une_annee_sans_enregistrement_garde_les_creneaux_en_vigueur():
    """Seul ce que le planning dit (les créneaux en vigueur) reste connu d'une section sans enregistrement."""
    CreneauFactory(valide_du=datetime.date(2020, 1, 1), jour_semaine=1)
    CreneauFactory(valide_du=datetime.date(2020, 1, 1), jour_semaine=3)
    p = bilan_json(2024)["permanences"]
    assert (p["permanences_par_semaine"]["valeur"], p["permanences_par_semaine"]["precedent"]) == (2, 2)
    assert p["usagers_recus"]["valeur"] is None
    assert p["permanences_tenues"]["valeur"] is None
    assert p["par_lieu"] == {}


@pytest.mark.django_db
def test_les_parts_calculees_de_chiffres_declares_sont_recalculees():
    """Sessions déclarées pour une année sans enregistrement : le taux d'annulation en est recalculé."""
    for indicateur, valeur in (("sessions_programmees", 40), ("sessions_annulees", 4)):
        ChiffreExterne.objects.create(
            annee=2021, indicateur=f"formations.{indicateur}", valeur=Decimal(valeur), source="Tableur"
        )
    f = bilan_json(2021)["formations"]
    assert (f["sessions_programmees"]["valeur"], f["sessions_annulees"]["valeur"]) == (40, 4)
    assert f["taux_annulation_pct"]["valeur"] == 10.0
