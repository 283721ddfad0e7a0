"""Le registre des mesures (bench/mesures.json) : la dernière valeur de chaque grandeur de performance et d'échelle,
avec sa date, sa machine et la commande qui l'a produite. Les scripts de `make bench` et `make charge` y écrivent
leurs lignes ; `python bench/tableau.py` en tire le tableau « Mesures » du README (la seule source des chiffres).

BENCH_MESURES (variable d'environnement) : un autre fichier, pour une mesure d'essai qui ne doit pas remplacer les
chiffres publiés (les tests de tests/test_bench.py écrivent dans un fichier temporaire).
"""

import datetime
import json
import os
import platform
import sys
from pathlib import Path

REGISTRE = Path(__file__).resolve().parent / "mesures.json"

# Chaque grandeur mesurée, déclarée une fois : sa clé dans le registre et son libellé dans le tableau.
GRANDEURS = {
    "charge.rythme_vise": "pointages de l'accueil au rythme visé",
    "charge.debit_maximal": "pointages de l'accueil, débit maximal",
    "travaux.import_commande": "import de passages, commande (`importer --sync`)",
    "travaux.import_page": "import de passages, page et processus de fond",
    "import_passages.import": "import de passages, machine sans autre charge",
    "travaux.export": "export complet des passages",
    "travaux.pdf_premier_rendu": "Bilan PDF d'une année, premier rendu par un processus de fond",
    "bilan.pdf": "Bilan PDF d'une année, rendu seul sur la machine",
    "travaux.pdf_stocke": "Bilan PDF d'une année inchangée, servi",
    "bilan.json": "Bilan JSON d'une année",
    "bilan.rapports_32": "Bilan et tableau de bord : rapports au plancher SQL, avant et après le découpage de "
    "`rapports/` (#32)",
    "ci.apres": "CI complète sur un clone neuf (`CI=true bash .ci/run`, venv neuf, pip 23.2.1), suite en 2 processus, "
    "navigateur une fois",
    "ci.avant": "CI avant ce changement (main 17f477c : un processus, navigateur sur les deux bases), même machine",
}


def chemin_du_registre():
    return Path(os.environ.get("BENCH_MESURES") or REGISTRE)


def lire(chemin=None):
    chemin = Path(chemin or chemin_du_registre())
    if not chemin.exists():
        return []
    return json.loads(chemin.read_text(encoding="utf-8"))["mesures"]


def machine():
    """La machine de la mesure, lue sur place : cœurs, mémoire, système, processeur."""
    try:
        memoire = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
        memoire = f", {memoire:.0f} Gio"
    except (ValueError, OSError, AttributeError):
        memoire = ""
    return f"{os.cpu_count()} cœurs{memoire}, {platform.system()} {platform.machine()}, Python {platform.python_version()}"


def nombre(valeur, decimales=1):
    """1234.5 → « 1 234,5 » (espace fine insécable des milliers, virgule décimale), comme le README."""
    return f"{valeur:,.{decimales}f}".replace(",", "\u202f").replace(".", ",")


def enregistrer(cle, valeur, *, outil, chemin=None):
    """Écrit (ou remplace) la ligne `cle` du registre : grandeur (GRANDEURS), valeur (texte), outil, date du jour,
    machine et commande lancée. Les autres lignes restent telles quelles (chaque outil tient les siennes)."""
    chemin = Path(chemin or chemin_du_registre())
    mesures = [m for m in lire(chemin) if m["cle"] != cle]
    ligne = {
        "cle": cle,
        "grandeur": GRANDEURS[cle],
        "valeur": valeur,
        "outil": outil,
        "date": datetime.date.today().strftime("%d/%m/%Y"),
        "machine": machine(),
        "commande": " ".join(["python", *sys.argv]),
    }
    anciennes = [m["cle"] for m in lire(chemin)]
    position = anciennes.index(cle) if cle in anciennes else len(mesures)
    mesures.insert(position, ligne)
    chemin.write_text(json.dumps({"mesures": mesures}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return ligne
