"""Les scripts de `make bench` tournent, sur une taille minuscule : ils ne peuvent plus casser en silence (#27).

Ils créent chacun leur base PostgreSQL (bench/_base.py) : d'où la marque postgresql. Ce test ne mesure rien ; il
vérifie que chaque script va au bout et imprime son tableau, premier rendu et rendu stocké du Bilan à part.
"""

import subprocess
import sys
from pathlib import Path

import pytest

RACINE = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.postgresql


def _lancer(*arguments):
    sortie = subprocess.run(
        [sys.executable, *arguments], cwd=RACINE, capture_output=True, text=True, timeout=900
    )
    assert sortie.returncode == 0, sortie.stdout[-3000:] + sortie.stderr[-3000:]
    return sortie.stdout


def test_bench_bilan_mesure_le_premier_rendu_et_le_rendu_stocke():
    sortie = _lancer("bench/bilan.py", "--tailles", "300:2", "--repetitions", "1")
    for ligne in ("(a) plancher SQL", "(b) Bilan JSON", "(c) Bilan HTML", "(e) tableau de bord"):
        assert ligne in sortie
    assert "(d) Bilan PDF, premier rendu" in sortie and "(d') Bilan PDF stocké" in sortie


def test_bench_import_et_travaux_de_fond():
    assert "passages/s" in _lancer("bench/import_passages.py", "--passages", "300", "--aussi", "0")
    sortie = _lancer("bench/travaux.py", "--passages", "300", "--aussi", "0")
    assert "Bilan PDF : premier rendu" in sortie and "année inchangée" in sortie
