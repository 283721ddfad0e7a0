"""#29, point 9 : n'importe quelles données font un document crédible. Des jeux tirés par hypothesis
(tests/rapports/jeux_generes.py : une famille absente, une année partielle, sans formation, un seul lieu, des
chiffres déclarés seuls, une seule année, 0 et 1 enregistrement dans une catégorie) ; sur le JSON et le PDF de
chaque Bilan :

- aucune part d'une base vide (ni 0,0 %, ni une table de parts toute à zéro) ;
- aucune évolution sans ses deux valeurs ; un écart en points est celui des deux valeurs imprimées ;
- la même valeur arrondie dans le JSON, la page (tableau, graphique, phrase) et le texte du PDF ;
- aucun mot hors de la page, aucun titre en dernière ligne d'une page, aucune page remplie à moins d'un tiers
  (sauf la couverture et la dernière).

Graine fixe (derandomize) : la CI tire toujours les mêmes jeux."""

import html as html_module
import json
import re
import subprocess
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import transaction
from django.template.loader import render_to_string
from hypothesis import HealthCheck, Phase, given, settings

from inclusion.documents import html_vers_pdf
from rapports.bilan import Periode, comparer_periodes, json_du_bilan, message_aucune_donnee
from rapports.definitions import DEFINITIONS, nature_de
from rapports.formats import valeur_fr
from rapports.presentation import contexte_bilan
from tests.rapports.jeux_generes import ANNEE, ecrire, jeux
from tests.rapports.test_document import _exiger
from tests.rapports.test_mise_en_page import BAS_MM, HAUT_MM, MM, mots_hors_zone

# 30 rendus PDF : une fois en CI (marque une_fois, sur PostgreSQL).
pytestmark = [pytest.mark.django_db, pytest.mark.une_fois]
ESPACES = re.compile(r"[\s\u202f\u00a0]+")
# Table de parts → (famille du jeu qui en fait la base, ou None : la base est lue dans le JSON).
BASES = {
    "permanences": "passages",
    "rendez_vous": "rendez_vous",
    "arcs": "arcs",
}


def feuilles(noeud, chemin=()):
    if isinstance(noeud, dict):
        if "valeur" in noeud and not isinstance(noeud["valeur"], dict):
            yield chemin, noeud
            return
        for cle, valeur in noeud.items():
            if isinstance(valeur, dict):
                yield from feuilles(valeur, (*chemin, cle))


def _arrondi(valeur, decimales):
    return float(Decimal(str(valeur)).quantize(Decimal(1).scaleb(-decimales), rounding=ROUND_HALF_UP))


def parts_de_base_vide(bilan, jeu):
    """Les parts imprimées alors que leur base est vide : connue par le jeu écrit, ou une table toute à zéro."""
    fautes = []
    for section in ("permanences", "rendez_vous", "arcs", "formations"):
        for table, contenu in bilan[section].items():
            if not table.endswith("_pct"):
                continue
            valeurs = [contenu["valeur"]] if "valeur" in contenu else [f["valeur"] for f in contenu.values()]
            connues = [v for v in valeurs if v is not None]
            if "valeur" not in contenu and connues and not any(connues):
                fautes.append(f"{section}.{table} : parts toutes à 0 (base vide)")
            famille = BASES.get(section)
            if section == "permanences" and table in ("freins_pct",):
                famille = "freins"
            if section == "permanences" and table in ("quartier_pct", "qpv_pct"):
                famille = "quartiers"
            if section == "formations":
                famille = "sessions" if table == "taux_annulation_pct" else "inscrits"
            a = jeu.annees.get(ANNEE)
            vide = a is None or not getattr(a, famille) or (famille == "inscrits" and not a.sessions)
            if famille in ("freins", "quartiers"):
                vide = vide or not a.passages
            if table == "taux_sans_reponse_pct":  # base : personnes reçues et refusées
                vide = a is None or not (a.passages or a.refus)
            if vide and connues:
                fautes.append(f"{section}.{table} : {connues} pour une base vide")
    return fautes


def evolutions_sans_valeurs(bilan):
    fautes = []
    for chemin, f in feuilles(bilan):
        for cle in ("evolution_pct", "evolution_points"):
            if f.get(cle) is not None and (f.get("valeur") is None or f.get("precedent") is None):
                fautes.append(f"{'.'.join(chemin)} : {cle} sans ses deux valeurs")
        if None in (f.get("evolution_points"), f.get("valeur"), f.get("precedent")):
            continue
        imprime = f.get("imprime") or {}
        ecart = _arrondi(_arrondi(f["valeur"], 1) - _arrondi(f["precedent"], 1), 1)
        if _arrondi(imprime.get("evolution_points", f["evolution_points"]), 1) != ecart:
            fautes.append(f"{'.'.join(chemin)} : écart imprimé ≠ {ecart}")
    return fautes


def valeurs_absentes(bilan, texte_page, texte_pdf):
    """Chaque indicateur simple (hors tables) connu du JSON, imprimé tel quel dans la page et dans le PDF."""
    fautes = []
    for section in ("permanences", "rendez_vous", "arcs", "formations", "dispositif"):
        for cle, f in bilan[section].items():
            if f"{section}.{cle}" not in DEFINITIONS or "valeur" not in f or f["valeur"] is None:
                continue
            imprime = valeur_fr(f["valeur"], nature_de((section, cle)))
            imprime = ESPACES.sub(" ", imprime)
            for ou, texte in (("page", texte_page), ("PDF", texte_pdf)):
                if imprime not in texte:
                    fautes.append(f"{section}.{cle} = {imprime} absent du {ou}")
    return fautes


def _texte(fragment):
    return ESPACES.sub(" ", html_module.unescape(re.sub(r"<[^>]+>", "", fragment))).strip()


def _simples(bilan):
    """{chemin pointé: (valeur, précédent) imprimés} des indicateurs simples connus du JSON."""
    imprimes = {}
    for section in ("permanences", "rendez_vous", "arcs", "formations", "dispositif"):
        for cle, f in bilan[section].items():
            chemin = f"{section}.{cle}"
            if chemin in DEFINITIONS and "valeur" in f and not isinstance(f["valeur"], dict):
                nature = nature_de((section, cle))
                imprimes[chemin] = tuple(
                    None if f.get(k) is None else ESPACES.sub(" ", valeur_fr(f[k], nature))
                    for k in ("valeur", "precedent")
                )
    return imprimes


def valeurs_differentes(bilan, page):
    """Chaque ligne de tableau d'un indicateur simple imprime, dans ses deux colonnes, exactement les valeurs
    arrondies du JSON ; chaque grand chiffre est une valeur arrondie du JSON. (« Présent quelque part dans la
    page » ne suffit pas : la phrase imprime la même valeur, et « 4,17 » contient « 4,1 ».)"""
    imprimes = _simples(bilan)
    par_libelle = {}
    for chemin in imprimes:
        par_libelle.setdefault(DEFINITIONS[chemin].libelle, []).append(imprimes[chemin])
    fautes = []
    for libelle, valeur, precedent in re.findall(
        r'<th scope="row">(.*?)</th>\s*<td[^>]*>(.*?)</td>\s*<td[^>]*>(.*?)</td>', page, re.S
    ):
        attendus = par_libelle.get(_texte(libelle))
        if not attendus:
            continue
        lues = (_texte(valeur), _texte(precedent))
        if not any(
            all(a is None or a == lu for a, lu in zip(paire, lues, strict=True)) for paire in attendus
        ):
            fautes.append(f"ligne « {_texte(libelle)} » : {lues} au lieu de {attendus}")
    connues = {
        ESPACES.sub(" ", valeur_fr(f[k], nature_de(chemin)))
        for chemin, f in feuilles(bilan)
        for k in ("valeur", "precedent")
        if isinstance(f.get(k), int | float)
    }
    for tuile in re.findall(r'<p class="chiffre-valeur">(.*?)</p>', page, re.S):
        if _texte(tuile) not in connues | {"—", "non suivi"}:
            fautes.append(f"grand chiffre « {_texte(tuile)} » : aucune valeur arrondie du JSON")
    return fautes


def lignes_par_page(pdf):
    """[(hauteur de page, [(texte de la ligne, yMax)])] par `pdftotext -bbox-layout`, sans le pied de page."""
    xhtml = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = []
    for attributs, page in re.findall(r"<page ([^>]*)>(.*?)</page>", xhtml, re.S):
        hauteur = float(re.search(r'height="([\d.]+)"', attributs).group(1))
        lignes = []
        for boite, ligne in re.findall(r"<line ([^>]*)>(.*?)</line>", page, re.S):
            texte = " ".join(
                html_module.unescape(m) for m in re.findall(r"<word [^>]*>([^<]*)</word>", ligne)
            )
            if not re.fullmatch(r"Page \d+ / \d+", texte):
                lignes.append((texte, float(re.search(r'yMax="([-\d.]+)"', boite).group(1))))
        pages.append((hauteur, lignes))
    return pages


def titres_du_html(page):
    return {
        ESPACES.sub(" ", html_module.unescape(re.sub(r"<[^>]+>", "", t))).strip()
        for t in re.findall(r"<h[1-4][^>]*>(.*?)</h[1-4]>", page, re.S)
    } - {""}


def defauts_de_mise_en_page(chemin, page_html):
    fautes = [f"mot hors page : {m}" for m in mots_hors_zone(chemin)]
    pages = lignes_par_page(chemin)
    titres = titres_du_html(page_html)
    for numero, (hauteur, lignes) in enumerate(pages, start=1):
        if numero == len(pages) or not lignes:
            continue
        derniere = max(lignes, key=lambda ligne: ligne[1])[0].strip()
        if derniere in titres:
            fautes.append(f"page {numero} finit sur le titre « {derniere} »")
        if numero > 1:
            zone = hauteur - (HAUT_MM + BAS_MM) * MM
            rempli = (max(y for _, y in lignes) - HAUT_MM * MM) / zone
            if rempli < 1 / 3:
                fautes.append(f"page {numero} remplie à {rempli:.0%}")
    return fautes


@pytest.fixture(scope="module")
def pdftotext():
    _exiger("pdftotext")


@settings(
    max_examples=30,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],  # sans réduction du cas qui échoue : la durée reste bornée
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(jeu=jeux)
def test_un_bilan_credible_quelles_que_soient_les_donnees(pdftotext, tmp_path, jeu):
    with transaction.atomic():
        ecrire(jeu)
        comparaison = comparer_periodes(Periode.annee(ANNEE))
        if not comparaison.a_des_donnees:  # rien du tout cette année : le Bilan le dit, sans document vide
            assert str(ANNEE) in message_aucune_donnee(ANNEE)
            transaction.set_rollback(True)
            return
        bilan = json.loads(json_du_bilan(comparaison))
        page = render_to_string("rapports/bilan_pdf.html", contexte_bilan(comparaison))
        chemin = tmp_path / "bilan.pdf"
        chemin.write_bytes(html_vers_pdf(page))
        transaction.set_rollback(True)
    texte_page = ESPACES.sub(" ", html_module.unescape(re.sub(r"<[^>]+>", " ", page)))
    texte_pdf = ESPACES.sub(
        " ",
        subprocess.run(["pdftotext", str(chemin), "-"], capture_output=True, text=True, check=True).stdout,
    )
    fautes = (
        parts_de_base_vide(bilan, jeu)
        + evolutions_sans_valeurs(bilan)
        + valeurs_absentes(bilan, texte_page, texte_pdf)
        + valeurs_differentes(bilan, page)
        + defauts_de_mise_en_page(chemin, page)
    )
    assert fautes == [], (jeu, fautes)
