"""Les scripts de `make bench` tournent, sur une taille minuscule : ils ne peuvent plus casser en silence (#27).

Ils créent chacun leur base PostgreSQL (bench/_base.py) : d'où la marque postgresql. Ce test ne mesure rien ; il
vérifie que chaque script va au bout et imprime son tableau, premier rendu et rendu stocké du Bilan à part, et
qu'il écrit ses lignes au registre des mesures (#33, point 7), ici un fichier temporaire (BENCH_MESURES) : le
registre publié, bench/mesures.json, ne change pas.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

RACINE = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.postgresql


def _lancer(*arguments, registre):
    sortie = subprocess.run(
        [sys.executable, *arguments],
        cwd=RACINE,
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "BENCH_MESURES": str(registre)},
    )
    assert sortie.returncode == 0, sortie.stdout[-3000:] + sortie.stderr[-3000:]
    return sortie.stdout


def _lignes(registre):
    return {m["cle"]: m for m in json.loads(registre.read_text(encoding="utf-8"))["mesures"]}


def _ecrite_par(ligne, script):
    """Une ligne écrite par cette exécution : date, machine et commande lues sur place."""
    return script in ligne["commande"] and "cœurs" in ligne["machine"] and ligne["date"].count("/") == 2


def test_bench_bilan_mesure_le_premier_rendu_et_le_rendu_stocke(tmp_path):
    registre = tmp_path / "mesures.json"
    publie = (RACINE / "bench" / "mesures.json").read_bytes()
    sortie = _lancer("bench/bilan.py", "--tailles", "300:2", "--repetitions", "1", registre=registre)
    for ligne in ("(a) plancher SQL", "(b) Bilan JSON", "(c) Bilan HTML", "(e) tableau de bord"):
        assert ligne in sortie
    assert "(d) Bilan PDF, premier rendu" in sortie and "(d') Bilan PDF stocké" in sortie
    lignes = _lignes(registre)
    assert set(lignes) == {"bilan.pdf", "bilan.json"}
    assert all(_ecrite_par(m, "bench/bilan.py") for m in lignes.values())
    assert lignes["bilan.json"]["valeur"].endswith("(médiane de 1), jeu de 300 passages sur 2 an(s)")
    assert (RACINE / "bench" / "mesures.json").read_bytes() == publie


def test_bench_import_et_travaux_de_fond(tmp_path):
    registre = tmp_path / "mesures.json"
    # 3 lieux sur deux ans (le Bilan rendu compare 2025 à 2024) : 1 569 permanences, au lieu des 78 240 du jeu par
    # défaut (30 lieux, dix ans).
    petit = ("--passages", "300", "--aussi", "0", "--lieux", "3", "--annees", "2")
    sortie = _lancer("bench/import_passages.py", *petit, registre=registre)
    assert "passages/s" in sortie and "(+ 1 569 permanences)" in sortie
    sortie = _lancer("bench/travaux.py", *petit, registre=registre)
    assert "Bilan PDF : premier rendu" in sortie and "année inchangée" in sortie
    lignes = _lignes(registre)
    assert set(lignes) == {
        "import_passages.import",
        "travaux.import_commande",
        "travaux.import_page",
        "travaux.export",
        "travaux.pdf_premier_rendu",
        "travaux.pdf_stocke",
    }
    assert _ecrite_par(lignes["import_passages.import"], "bench/import_passages.py")
    assert lignes["import_passages.import"]["valeur"].split(" s pour ")[1].startswith("300 passages")
    assert all(_ecrite_par(m, "bench/travaux.py") for c, m in lignes.items() if c.startswith("travaux."))
