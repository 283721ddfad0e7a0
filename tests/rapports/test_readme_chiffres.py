"""#33, point 7 : chaque chiffre que le README affirme sur le Bilan 2023 de la démonstration est celui du JSON de la
démonstration, arrondi comme le README l'écrit ; et, dans les passages qui décrivent ce Bilan, aucun nombre n'est
affirmé sans être vérifié ici."""

import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from rapports.bilan import bilan_json
from tests.demonstration import charger_la_demo

README = re.sub(r"\s+", " ", (Path(settings.BASE_DIR) / "README.md").read_text())
P, F, D = "permanences.", "formations.", "dispositif."
REFUS_2022 = "Refus pointés à l'accueil : suivi commencé le 01/01/2023, rien n'est connu pour 2022."
PERIMETRES = "2023 comprend le chiffre déclaré « personnes reçues déclarées (ERE…) », pas 2022 : périmètres différents."

# (passage du README, chemin dans le Bilan JSON 2023 de la démo, le chiffre tel que le passage l'écrit)
AFFIRMATIONS = [
    # « Démarrer »
    ("−6,73 % d'usagers reçus", P + "usagers_recus.evolution_pct", "−6,73"),
    ("21,8 % sans réponse sur place", P + "taux_sans_reponse_pct.valeur", "21,8"),
    ("10 613 personnes reçues…", D + "personnes_recues.valeur", "10 613"),
    ("refus 2022 « non suivi »", P + "refus.precedent", "null"),
    ("10 613 personnes « non comparable » à 2022", D + "personnes_recues.valeur", "10 613"),
    ("10 613 personnes « non comparable » à 2022", D + "personnes_recues.evolution_pct", "null"),
    ("à périmètre égal, −4,2 %", D + "personnes_recues_hors_declares.evolution_pct", "−4,2"),
    ("part du CDAS +33,5 pts", F + "structures_pct.CDAS.evolution_points", "+33,5"),
    ("taux d'annulation −25,4 pts en vert", F + "taux_annulation_pct.evolution_points", "−25,4"),
    ("pour 65 sessions", F + "sessions_programmees.valeur", "65"),
    ("dont 49 tenues", F + "sessions_tenues.valeur", "49"),
    ("participants du CDAS sur 226", F + "participants.valeur", "226"),
    # L'analyse de l'équipe
    ("`{permanences.usagers_recus}` (5 541)", P + "usagers_recus.valeur", "5 541"),
    (
        "`{formations.taux_annulation_pct.evolution}` (−25,4 pts)",
        F + "taux_annulation_pct.evolution_points",
        "−25,4",
    ),
    # L'exemple du Bilan JSON
    ('{"version": 2,', "version", "2"),
    ('"annee": 2023, "suivi_depuis"', "annee", "2023"),
    ('"refus": "2023-01-01"', "suivi_depuis.refus", '"2023-01-01"'),
    ('"attente": "2023-01-01"', "suivi_depuis.attente", '"2023-01-01"'),
    ('"freins": "2023-01-01"', "suivi_depuis.freins", '"2023-01-01"'),
    ('"quartiers": "2023-01-01"', "suivi_depuis.quartiers", '"2023-01-01"'),
    ('"orientations": "2023-01-01"', "suivi_depuis.orientations", '"2023-01-01"'),
    ('"usagers_recus": {"valeur": 5541,', P + "usagers_recus.valeur", "5541"),
    ('"precedent": 5941,', P + "usagers_recus.precedent", "5941"),
    ('"evolution_pct": -6.73}', P + "usagers_recus.evolution_pct", "-6.73"),
    (
        '[{"annee": 2023, "indicateur": "dispositif.personnes_recues_externes",',
        "chiffres_declares.0.annee",
        "2023",
    ),
    (
        '"valeur": 4151, "source": "…"',
        "chiffres_declares.0.valeur",
        "4151",
    ),
    # Les règles de comparaison
    ('{"refus": {"valeur": 1545,', P + "refus.valeur", "1545"),
    ('"valeur": 1545, "precedent": null,', P + "refus.precedent", "null"),
    ('"precedent": null, "evolution_pct": null, "comparabilite": "Refus', P + "refus.evolution_pct", "null"),
    (f'"comparabilite": "{REFUS_2022}"', P + "refus.comparabilite", f'"{REFUS_2022}"'),
    ('{"CDAS": {"valeur": 41.59,', F + "structures_pct.CDAS.valeur", "41.59"),
    ('"precedent": 8.12,', F + "structures_pct.CDAS.precedent", "8.12"),
    ('"evolution_pct": 412.19,', F + "structures_pct.CDAS.evolution_pct", "412.19"),
    ('"evolution_points": 33.47}', F + "structures_pct.CDAS.evolution_points", "33.47"),
    ("se lit « +33,5 pts »", F + "structures_pct.CDAS.evolution_points", "+33,5"),
    ('{"personnes_recues": {"valeur": 10613,', D + "personnes_recues.valeur", "10613"),
    ('"valeur": 10613, "precedent": 6747,', D + "personnes_recues.precedent", "6747"),
    (
        '"precedent": 6747, "evolution_pct": null, "comparabilite": "2023',
        D + "personnes_recues.evolution_pct",
        "null",
    ),
    (f'"comparabilite": "{PERIMETRES}"', D + "personnes_recues.comparabilite", f'"{PERIMETRES}"'),
    (
        '"personnes_recues_hors_declares": {"valeur": 6462,',
        D + "personnes_recues_hors_declares.valeur",
        "6462",
    ),
    ('"valeur": 6462, "precedent": 6747,', D + "personnes_recues_hors_declares.precedent", "6747"),
    ('"evolution_pct": -4.22}', D + "personnes_recues_hors_declares.evolution_pct", "-4.22"),
    ("« la part : +10,7 pts ;", P + "demarches_pct.prefecture_etrangers.evolution_points", "+10,7"),
    ("le nombre de passages : +16,5 % »", P + "demarches.prefecture_etrangers.evolution_pct", "+16,5"),
]
# Les passages qui décrivent le Bilan de la démo, et les nombres qu'ils citent sans les tirer du JSON.
PASSAGES = [
    ("Les données de démo reproduisent", "Bilan l'explique.", {"2022", "2023", "27", "41,8"}),
    ("rendu à partir des données à chaque affichage", "une clé inconnue est refusée", set()),
    ("```json", '"source": "…"}]}', set()),
    ('`{"refus": {"valeur": 1545', "rien n'est connu pour 2022.\"}}`", set()),
    ('`{"CDAS": {"valeur"', "jamais « +412 % »", {"+412"}),  # ce qu'on n'écrit pas
    ('`{"personnes_recues":', '"evolution_pct": -4.22}}`', set()),
    ("« la part :", "+16,5 % »", set()),
]
NOMBRE = re.compile(r"[−+-]?\d+(?:[  \u202f]\d{3})*(?:[,.]\d+)?")


def _valeur(bilan, chemin):
    for cle in chemin.split("."):
        bilan = bilan[int(cle)] if isinstance(bilan, list) else bilan[cle]
    return bilan


def _lu(texte):
    return Decimal(re.sub(r"[  \u202f]", "", texte).replace("−", "-").replace(",", "."))


@pytest.fixture(scope="module")
def bilan_2023(django_db_setup, django_db_blocker):
    """Le Bilan 2023 de la démonstration, calculé une fois ; les tests qui le lisent sont marqués db (`db`) : rangés
    avec les tests de base, avant les tests transactionnels qui vident la base (démarches des migrations comprises)."""
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            charger_la_demo(historique_seul=True)
            bilan = bilan_json(2023)
            transaction.set_rollback(True)
    return bilan


@pytest.mark.parametrize("passage,chemin,ecrit", AFFIRMATIONS, ids=[f"{c}={e}" for _, c, e in AFFIRMATIONS])
def test_chaque_chiffre_du_readme_sur_la_demo_est_celui_du_json(bilan_2023, db, passage, chemin, ecrit):
    assert passage in README, f"le README n'écrit plus : {passage}"
    assert ecrit in passage or ecrit == "null"  # « non suivi », « non comparable » : null dans le JSON
    valeur = _valeur(bilan_2023, chemin)
    if ecrit == "null" or ecrit.startswith('"'):
        attendu = None if ecrit == "null" else ecrit[1:-1]
        assert valeur == attendu, (chemin, valeur)
        return
    lu = _lu(ecrit)
    decimales = -lu.as_tuple().exponent
    arrondi = Decimal(str(valeur)).quantize(Decimal(1).scaleb(-decimales), rounding=ROUND_HALF_UP)
    assert arrondi == lu, f"{passage} : le JSON de la démo donne {valeur}"


def test_aucun_nombre_des_passages_sur_la_demo_n_echappe_au_test():
    passages = {p for p, _, _ in AFFIRMATIONS}
    for debut, fin, libres in PASSAGES:
        i = README.index(debut)
        texte = README[i : README.index(fin, i + len(debut)) + len(fin)]
        couverts = set()  # positions des caractères d'un passage vérifié
        for passage in passages:
            for trouve in re.finditer(re.escape(passage), texte):
                couverts.update(range(trouve.start(), trouve.end()))
        restes = {
            n.group().strip()
            for n in NOMBRE.finditer(texte)
            if not set(range(n.start(), n.end())) <= couverts
        }
        assert not restes - libres, f"nombres non vérifiés dans « {debut} » : {sorted(restes - libres)}"


def test_mentions_legales_vides_a_renseigner_partout(client, db, settings):
    settings.MENTIONS_LEGALES = dict.fromkeys(settings.MENTIONS_LEGALES, "")
    page = client.get(reverse("mentions_legales")).content.decode()
    for reglage in ("MENTIONS_DIRECTION_PUBLICATION", "MENTIONS_HEBERGEUR", "MENTIONS_CONTACT"):
        assert f"À renseigner (réglage {reglage})" in page
