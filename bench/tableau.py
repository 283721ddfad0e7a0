"""Réécrit le tableau « Mesures » du README depuis le registre bench/mesures.json (lancé par `make bench` et
`make charge`, après leurs mesures). `--verifier` : sort en erreur si le README diffère de ce que donne le registre.

Le tableau se trouve entre les marqueurs DEBUT et FIN ; rien d'autre du README n'est touché.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mesures import REGISTRE, lire  # noqa: E402

README = Path(__file__).resolve().parent.parent / "README.md"
DEBUT = "<!-- mesures:debut (généré par python bench/tableau.py depuis bench/mesures.json : ne pas modifier à la main) -->"
FIN = "<!-- mesures:fin -->"


def _cellule(texte):
    return str(texte).replace("|", "\\|").replace("\n", " ")


def tableau(mesures):
    lignes = ["| grandeur | dernière mesure | outil | date | machine |", "|---|---|---|---|---|"]
    for m in mesures:
        lignes.append(
            "| "
            + " | ".join(_cellule(m[c]) for c in ("grandeur", "valeur", "outil", "date", "machine"))
            + " |"
        )
    return "\n".join(lignes)


def readme_avec(texte, mesures):
    """Le README dont le bloc entre les marqueurs est le tableau du registre."""
    avant, debut, reste = texte.partition(DEBUT)
    _, fin, apres = reste.partition(FIN)
    if not debut or not fin:
        raise SystemExit(
            f"Marqueurs du tableau « Mesures » introuvables dans le README ({DEBUT!r} … {FIN!r})."
        )
    return f"{avant}{DEBUT}\n{tableau(mesures)}\n{FIN}{apres}"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mesures", default=str(REGISTRE))
    parser.add_argument("--readme", default=str(README))
    parser.add_argument("--verifier", action="store_true")
    args = parser.parse_args()
    readme = Path(args.readme)
    texte = readme.read_text(encoding="utf-8")
    nouveau = readme_avec(texte, lire(args.mesures))
    if args.verifier:
        if nouveau != texte:
            raise SystemExit(
                "Le tableau « Mesures » du README ne suit pas bench/mesures.json : python bench/tableau.py"
            )
        return
    if nouveau != texte:
        readme.write_text(nouveau, encoding="utf-8")
        print(f"Tableau « Mesures » réécrit depuis {args.mesures}.")


if __name__ == "__main__":
    main()
