"""Aucun test ne fait de fork du processus de pytest (CI du 6 décembre 2026 : un enfant forké s'est bloqué sur un
verrou hérité d'un autre fil de pytest-xdist, et la CI a attendu 90 minutes). Les tests qui ont besoin d'un autre
processus le lancent (subprocess), avec un délai à chaque attente."""

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
FORK = re.compile(r"\bos\.fork\(|\bmultiprocessing\b|\bProcessPoolExecutor\b")


def test_aucun_test_ne_fait_de_fork():
    fautifs = [
        str(chemin.relative_to(TESTS))
        for chemin in TESTS.rglob("*.py")
        if chemin.name not in {"conftest.py", Path(__file__).name} and FORK.search(chemin.read_text())
    ]
    assert fautifs == []
