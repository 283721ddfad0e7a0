"""Travaux de fond (#20), mesurés dans une même exécution, rapports contre un plancher mesuré à côté :

1. import de N passages par la page (téléversement de l'archive, puis processus de fond) contre la commande
   `importer --sync` sur le même dossier : débits comparés, et durée de la requête web ;
2. export complet (zip de CSV) par un processus de fond : mémoire maximale (RSS) du processus à N et à N/10 ;
3. Bilan PDF : le premier rendu contre le téléchargement d'une année inchangée (le fichier stocké).

    python bench/travaux.py [--passages 1000000] [--aussi 100000] [--lieux 30] [--annees 10]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _base import RACINE, base_temporaire  # noqa: E402
from import_passages import ajouter_la_forme_du_jeu, generer  # noqa: E402
from mesures import enregistrer, nombre  # noqa: E402


def _env(url, media):
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "inclusion.settings.test",
        "MEDIA_ROOT": str(media),
    }


def _django(env, *arguments):
    sortie = subprocess.run(
        [sys.executable, "bench/_travaux_django.py", *arguments],
        cwd=RACINE,
        env=env,
        capture_output=True,
        text=True,
    )
    if sortie.returncode:
        raise SystemExit(sortie.stdout + sortie.stderr)
    return json.loads(sortie.stdout.strip().splitlines()[-1])


def _processus_de_fond(env):
    """Un `db_worker --batch` (vide la file puis s'arrête) : (durée, RSS maximale en Mo) de ce seul processus."""
    debut = time.perf_counter()
    processus = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-reload", "--no-startup-delay", "-v0"],
        cwd=RACINE,
        env=env,
    )
    _, statut, usage = os.wait4(processus.pid, 0)
    processus.returncode = statut
    return time.perf_counter() - debut, usage.ru_maxrss / 1024


def mesurer(nb_passages, dossier_travail, *, nb_lieux=30, annees=10):
    dossier = dossier_travail / f"donnees-{nb_passages}"
    dossier.mkdir()
    generer(dossier, nb_passages, nb_lieux, annees)
    archive = dossier_travail / f"import-{nb_passages}.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for fichier in sorted(dossier.iterdir()):
            z.write(fichier, fichier.name)
    m = {"passages": nb_passages, "archive_mo": archive.stat().st_size / 1e6}
    media = dossier_travail / f"media-{nb_passages}"
    # Plancher : la commande, dans ce processus-là, sans file.
    with base_temporaire(f"inclusion_travaux_cmd_{nb_passages}", migree=True) as url:
        env = _env(url, media)
        debut = time.perf_counter()
        subprocess.run(
            [sys.executable, "manage.py", "importer", "--sync", str(dossier)],
            cwd=RACINE,
            env=env,
            check=True,
            capture_output=True,
        )
        m["commande_s"] = time.perf_counter() - debut
    with base_temporaire(f"inclusion_travaux_web_{nb_passages}", migree=True) as url:
        env = _env(url, media)
        envoi = _django(env, "televerser", str(archive))
        fond_s, _ = _processus_de_fond(env)
        m["requete_s"] = envoi["requete_s"]
        m["page_s"] = envoi["requete_s"] + fond_s  # la requête, puis le processus de fond (démarrage compris)
        etat = _django(env, "etat", str(envoi["traitement"]))
        if etat["statut"] != "termine" or etat["resultat"].get("refuse"):
            raise SystemExit(f"Import par la page en échec : {etat}")
        export = _django(env, "exporter")
        m["export_s"], m["export_rss_mo"] = _processus_de_fond(env)
        if _django(env, "etat", str(export["traitement"]))["statut"] != "termine":
            raise SystemExit("Export en échec.")
        bilan = _django(env, "bilan", "2025")
        m["pdf_premier_s"], _ = _processus_de_fond(env)  # le premier rendu, fait par le processus de fond
        if _django(env, "etat", str(bilan["traitement"]))["statut"] != "termine":
            raise SystemExit("Rendu du Bilan en échec.")
        m["pdf_stocke_s"] = statistics.median(_django(env, "bilan_stocke", "2025")["stocke_s"])
    return m


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--passages", type=int, default=1_000_000)
    parser.add_argument("--aussi", type=int, default=100_000)
    ajouter_la_forme_du_jeu(parser)
    args = parser.parse_args()
    mesures = {}
    with tempfile.TemporaryDirectory() as d:
        for taille in [t for t in (args.aussi, args.passages) if t]:
            mesures[taille] = m = mesurer(taille, Path(d), nb_lieux=args.lieux, annees=args.annees)
            print(f"{_n(taille)} passages (archive de {m['archive_mo']:.0f} Mo)")
            print(
                f"  import : commande {m['commande_s']:.1f} s ; page + processus de fond {m['page_s']:.1f} s, soit "
                f"{m['commande_s'] / m['page_s']:.2f}× le débit de la commande ; requête web {m['requete_s'] * 1000:.0f} ms"
            )
            print(
                f"  export complet : {m['export_s']:.1f} s, mémoire maximale du processus {m['export_rss_mo']:.0f} Mo"
            )
            print(
                f"  Bilan PDF : premier rendu {m['pdf_premier_s']:.2f} s ; année inchangée "
                f"{m['pdf_stocke_s'] * 1000:.0f} ms ({100 * m['pdf_stocke_s'] / m['pdf_premier_s']:.1f} % du rendu)"
            )
    _enregistrer(max(mesures), mesures[max(mesures)])
    if args.aussi and args.passages:
        grand, petit = mesures[args.passages], mesures[args.aussi]
        print(
            f"Mémoire de l'export : {grand['export_rss_mo']:.0f} Mo à {_n(args.passages)} passages, "
            f"{grand['export_rss_mo'] / petit['export_rss_mo']:.2f}× celle à {_n(args.aussi)}."
        )


def _n(nombre):
    return f"{nombre:,}".replace(",", "\u202f")


def _enregistrer(taille, m):
    """Les lignes de ce script au tableau « Mesures » (bench/mesures.json), pour la plus grande taille."""
    outil, jeu = "`make bench` (`bench/travaux.py`)", f"{nombre(taille, 0)} passages"
    lignes = {
        "travaux.import_commande": f"{nombre(m['commande_s'])} s pour {jeu}",
        "travaux.import_page": f"{nombre(m['page_s'])} s pour {jeu} ({nombre(m['commande_s'] / m['page_s'], 2)} du "
        "débit de la commande)",
        "travaux.export": f"{nombre(m['export_s'])} s pour {jeu}, {nombre(m['export_rss_mo'], 0)} Mo",
        "travaux.pdf_premier_rendu": f"{nombre(m['pdf_premier_s'])} s, jeu de {jeu}",
        "travaux.pdf_stocke": f"{nombre(m['pdf_stocke_s'] * 1000, 0)} ms, jeu de {jeu}",
    }
    for cle, valeur in lignes.items():
        enregistrer(cle, valeur, outil=outil)


if __name__ == "__main__":
    main()
