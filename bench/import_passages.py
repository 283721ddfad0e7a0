"""Mesure de l'import : N passages (1 000 000 par défaut) dans une base PostgreSQL dédiée.

Génère un dossier CSV (lieux, permanences, passages), l'importe avec `manage.py importer` dans un processus à
part, et affiche la durée, le débit et la mémoire maximale (RSS) de ce processus. La même mesure à deux tailles
montre que la mémoire ne grandit pas avec le fichier (lecture en flux).

    python bench/import_passages.py [--passages 1000000] [--aussi 100000] [--lieux 30] [--annees 10]
"""

import argparse
import csv
import datetime
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _base import RACINE, base_temporaire  # noqa: E402
from mesures import enregistrer, nombre  # noqa: E402

CODES = ["prefecture_etrangers", "caf", "ants", "impots", "france_travail", "assurance_maladie", "logement"]
AUTONOMIE = ["autonome", "partiellement_autonome", "accompagne", "fait_a_sa_place"]
AGES = ["18_24", "25_39", "40_59", "60_69", "70_plus", "non_communique"]
GENRES = ["feminin", "masculin", "non_communique"]


def generer(dossier, nb_passages, nb_lieux=30, annees=10):
    """Le dossier d'import : `nb_lieux` lieux, une permanence par lieu et par jour ouvré des `annees` années qui
    finissent en 2025 (à partir du premier lundi), et `nb_passages` passages tirés au hasard (graine fixe)."""
    rng = random.Random(1)
    lieux = [f"ESC {i:02d}" for i in range(nb_lieux)]
    jours = []
    premiere = 2026 - annees
    jour = datetime.date(premiere, 1, 1)
    jour += datetime.timedelta(days=-jour.weekday() % 7)
    while jour.year < 2026:
        if jour.weekday() < 5:
            jours.append(jour)
        jour += datetime.timedelta(days=1)
    with open(dossier / "lieux.csv", "w", newline="") as f:
        csv.writer(f).writerows([["nom"], *[[n] for n in lieux]])
    with open(dossier / "permanences.csv", "w", newline="") as f:
        ecrivain = csv.writer(f)
        ecrivain.writerow(["date", "lieu", "heure_debut", "heure_fin"])
        for j in jours:
            for lieu in lieux:
                ecrivain.writerow([j.isoformat(), lieu, "09:00", "12:00"])
    with open(dossier / "passages.csv", "w", newline="") as f:
        ecrivain = csv.writer(f, delimiter=";")
        ecrivain.writerow(
            [
                "date",
                "lieu",
                "type_demande",
                "demarche",
                "duree_minutes",
                "autonomie",
                "tranche_age",
                "genre",
                "autre_venue_necessaire",
                "attente_minutes",
            ]
        )
        for _ in range(nb_passages):
            en_ligne = rng.random() < 0.9
            ecrivain.writerow(
                [
                    rng.choice(jours).strftime("%d/%m/%Y"),
                    rng.choice(lieux),
                    "demarche_en_ligne" if en_ligne else "accompagnement_technique",
                    rng.choice(CODES) if en_ligne else "",
                    rng.randint(5, 120),
                    rng.choice(AUTONOMIE),
                    rng.choice(AGES),
                    rng.choice(GENRES),
                    rng.choice(["oui", "non"]),
                    rng.choice(["", "5", "20"]),
                ]
            )
    return len(jours) * nb_lieux


def mesurer(nb_passages, *, nb_lieux=30, annees=10):
    with (
        tempfile.TemporaryDirectory() as d,
        base_temporaire(f"inclusion_import_{nb_passages}", migree=True) as url,
    ):
        dossier = Path(d)
        permanences = generer(dossier, nb_passages, nb_lieux, annees)
        taille = (dossier / "passages.csv").stat().st_size
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "inclusion.settings.test"}
        debut = time.perf_counter()
        resultat = subprocess.run(
            [sys.executable, "manage.py", "importer", "--sync", str(dossier)],
            cwd=RACINE,
            env=env,
            capture_output=True,
            text=True,
        )
        duree = time.perf_counter() - debut
        if resultat.returncode:
            print(resultat.stdout, resultat.stderr)
            raise SystemExit("L'import a échoué.")
        rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        import psycopg

        with psycopg.connect(url) as cx:
            stockes = cx.execute("SELECT count(*) FROM permanences_passage").fetchone()[0]
    return {
        "passages": nb_passages,
        "permanences": permanences,
        "taille_mo": taille / 1e6,
        "duree": duree,
        "debit": nb_passages / duree,
        "rss_mo": rss,
        "stockes": stockes,
    }


def entier_positif(texte):
    """Un entier d'au moins 1 (argparse dit l'erreur en une ligne, au lieu d'un jeu vide qui casse plus loin)."""
    try:
        valeur = int(texte)
    except ValueError:
        valeur = 0
    if valeur < 1:
        raise argparse.ArgumentTypeError(f"un entier d'au moins 1 est attendu, pas « {texte} »")
    return valeur


def ajouter_la_forme_du_jeu(parser):
    """--lieux et --annees, les mêmes pour chaque script qui génère son jeu avec `generer`."""
    parser.add_argument(
        "--lieux", type=entier_positif, default=30, help="lieux du jeu (une permanence par jour ouvré)"
    )
    parser.add_argument(
        "--annees", type=entier_positif, default=10, help="années du jeu, jusqu'à 2025 comprise"
    )


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--passages", type=int, default=1_000_000)
    parser.add_argument(
        "--aussi", type=int, default=100_000, help="une seconde taille, pour comparer (0 : aucune)"
    )
    ajouter_la_forme_du_jeu(parser)
    args = parser.parse_args()
    tailles = [t for t in (args.aussi, args.passages) if t]
    print(f"{'passages':>10} {'fichier':>9} {'durée':>8} {'passages/s':>11} {'RSS max':>9}  stockés")
    for taille in tailles:
        m = mesurer(taille, nb_lieux=args.lieux, annees=args.annees)
        print(
            f"{m['passages']:>10,} {m['taille_mo']:>7.0f}Mo {m['duree']:>7.1f}s {m['debit']:>11,.0f} "
            f"{m['rss_mo']:>7.0f}Mo  {m['stockes']:,} (+ {m['permanences']:,} permanences)".replace(",", " ")
        )
        if m["stockes"] != taille:
            raise SystemExit("Nombre de passages stockés inattendu.")
    enregistrer(  # la plus grande taille, celle du tableau « Mesures »
        "import_passages.import",
        f"{nombre(m['duree'])} s pour {nombre(m['passages'], 0)} passages ({nombre(m['debit'], 0)} passages/s, "
        f"{nombre(m['rss_mo'], 0)} Mo)",
        outil="`make bench` (`bench/import_passages.py`)",
    )


if __name__ == "__main__":
    main()
