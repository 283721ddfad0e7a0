"""Graphiques du Bilan : matplotlib (Figure, jamais pyplot) rendu en SVG, avec titre et texte alternatif.

Le SVG est servi en image `data:` (même rendu en HTML et en PDF, sans style en ligne dans la page). Les étiquettes
sont mises en forme par rapports.formats, comme les cellules des tableaux ; les axes sont en format français.
Un graphique sans donnée pour l'année n'est pas dessiné : une phrase le dit.
"""

import base64
import io
from dataclasses import dataclass
from functools import lru_cache

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from .definitions import COMPTE, PART  # noqa: E402
from .formats import nombre_fr, valeur_fr  # noqa: E402

BLEU, GRIS = "#0b4f8a", "#8a9bb0"
matplotlib.rcParams["svg.fonttype"] = "none"
matplotlib.rcParams["font.family"] = "DejaVu Sans"
matplotlib.rcParams["svg.hashsalt"] = "inclusion"  # SVG reproductible
# Les libellés viennent des utilisateurs (thèmes, lieux, structures) : jamais lus comme des formules ($…$).
matplotlib.rcParams["text.parse_math"] = False
matplotlib.rcParams["text.usetex"] = False


@dataclass
class Graphique:
    titre: str
    alternative: str
    svg: str = ""
    message: str = ""  # à la place du dessin, quand il n'y a rien à dessiner

    @property
    def data_uri(self):
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()


def _svg(figure):
    tampon = io.StringIO()
    figure.savefig(tampon, format="svg", bbox_inches="tight", metadata={"Date": None})
    return tampon.getvalue()


def barres(titre, libelles, valeurs, precedent=None, nature=COMPTE, annees=("", ""), vide=""):
    """Barres horizontales ; avec `precedent`, les deux années côte à côte. Sans valeur cette année : `vide`."""
    if not any(valeurs):
        return Graphique(titre, "", message=vide or f"{titre} : aucune donnée.")
    if precedent is not None and all(p is None for p in precedent):
        precedent = None
    alternative = f"{titre} : " + " ; ".join(
        f"{lib} {valeur_fr(v, nature)}" + (f" ({annees[1]} : {valeur_fr(p, nature)})" if precedent else "")
        for lib, v, p in zip(libelles, valeurs, precedent or [None] * len(valeurs), strict=False)
    )
    svg = _dessiner_barres(
        titre,
        tuple(str(lib) for lib in libelles),
        tuple(valeurs),
        tuple(precedent) if precedent is not None else None,
        nature,
        tuple(str(a) for a in annees),
    )
    return Graphique(titre, alternative, svg)


@lru_cache(maxsize=512)
def _dessiner_barres(titre, libelles, valeurs, precedent, nature, annees):
    """Le dessin SVG, mémorisé : mêmes données, même image (matplotlib est la partie lente du Bilan)."""
    n = max(len(libelles), 1)
    figure = Figure(figsize=(7.2, min(max(0.45 * n + 1.2, 2.2), 9)))
    axe = figure.add_subplot()
    positions = list(range(len(libelles)))
    largeur = 0.4 if precedent is not None else 0.7
    decalage = largeur / 2 if precedent is not None else 0
    if precedent is not None:
        anciens = axe.barh(
            [p + decalage for p in positions],
            [v or 0 for v in precedent],
            largeur,
            color=GRIS,
            label=annees[1],
        )
        axe.bar_label(
            anciens,
            labels=[valeur_fr(v, nature) if v else "" for v in precedent],
            padding=2,
            fontsize=8,
            color="#444444",
        )
    rectangles = axe.barh(
        [p - decalage for p in positions], [v or 0 for v in valeurs], largeur, color=BLEU, label=annees[0]
    )
    axe.bar_label(
        rectangles,
        labels=[valeur_fr(v, nature) if v is not None else "" for v in valeurs],
        padding=2,
        fontsize=8,
    )
    axe.set_yticks(positions, libelles, fontsize=8)
    axe.invert_yaxis()
    axe.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=nature == COMPTE))
    axe.xaxis.set_major_formatter(
        FuncFormatter(lambda x, _pos: nombre_fr(x) + ("\u202f%" if nature == PART else ""))
    )
    axe.tick_params(axis="x", labelsize=8)
    axe.margins(x=0.12)
    for cote in ("top", "right"):
        axe.spines[cote].set_visible(False)
    if precedent is not None and annees[0]:
        axe.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    axe.set_title(titre, fontsize=10, loc="left")
    return _svg(figure)


def repartition(titre, parts, libelles, annees=("", ""), vide=""):
    """Répartition en % (barres triées de la plus grande part à la plus petite) à partir de {code: feuille}."""
    lignes = sorted(
        (
            (libelles.get(code, code), f["valeur"], f["precedent"])
            for code, f in parts.items()
            if f["valeur"] or f["precedent"]
        ),
        key=lambda x: -(x[1] or 0),
    )
    return barres(
        titre,
        [x[0] for x in lignes],
        [x[1] for x in lignes],
        precedent=[x[2] for x in lignes] if any(x[2] is not None for x in lignes) else None,
        nature=PART,
        annees=annees,
        vide=vide,
    )
