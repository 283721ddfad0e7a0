"""Graphiques du Bilan : matplotlib (Figure, jamais pyplot) rendu en SVG, avec titre et texte alternatif.

Le SVG est servi en image `data:` (même rendu en HTML et en PDF, sans style en ligne dans la page).
"""

import base64
import io
from dataclasses import dataclass
from functools import lru_cache

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402

from .templatetags.rapports import nombre_fr  # noqa: E402

BLEU, GRIS, ORANGE = "#0b4f8a", "#9aa9b8", "#c15f00"
matplotlib.rcParams["svg.fonttype"] = "none"
matplotlib.rcParams["font.family"] = "DejaVu Sans"
matplotlib.rcParams["svg.hashsalt"] = "inclusion"  # SVG reproductible


@dataclass
class Graphique:
    titre: str
    alternative: str
    svg: str

    @property
    def data_uri(self):
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()


def _svg(figure):
    tampon = io.StringIO()
    figure.savefig(tampon, format="svg", bbox_inches="tight", metadata={"Date": None})
    return tampon.getvalue()


def barres(titre, libelles, valeurs, precedent=None, unite="", horizontal=True, annees=("", "")):
    """Barres (horizontales par défaut) ; avec `precedent`, les deux années côte à côte."""
    alternative = f"{titre} : " + " ; ".join(
        f"{lib} {nombre_fr(v)}{unite}"
        + (f" (année précédente {nombre_fr(p)}{unite})" if precedent is not None else "")
        for lib, v, p in zip(libelles, valeurs, precedent or [None] * len(valeurs), strict=False)
    )
    svg = _dessiner_barres(
        titre,
        tuple(libelles),
        tuple(valeurs),
        tuple(precedent) if precedent is not None else None,
        unite,
        horizontal,
        tuple(annees),
    )
    return Graphique(titre, alternative, svg)


@lru_cache(maxsize=512)
def _dessiner_barres(titre, libelles, valeurs, precedent, unite, horizontal, annees):
    """Le dessin SVG, mémorisé : mêmes données, même image (matplotlib est la partie lente du Bilan)."""
    n = max(len(libelles), 1)
    hauteur = 0.45 * n + 1.2 if horizontal else 3.2
    figure = Figure(figsize=(7.2, min(max(hauteur, 2.2), 9)))
    axe = figure.add_subplot()
    libelles, valeurs = list(libelles), list(valeurs)
    precedent = list(precedent) if precedent is not None else None
    positions = list(range(len(libelles)))
    largeur = 0.4 if precedent is not None else 0.7
    tracer = axe.barh if horizontal else axe.bar
    decalage = largeur / 2 if precedent is not None else 0
    if precedent is not None:
        tracer(
            [p + decalage for p in positions],
            [v or 0 for v in precedent],
            largeur,
            color=GRIS,
            label=str(annees[1]),
        )
    rectangles = tracer(
        [p - decalage for p in positions],
        [v or 0 for v in valeurs],
        largeur,
        color=BLEU,
        label=str(annees[0]),
    )
    etiquettes = [f"{nombre_fr(v)}{unite}" if v is not None else "" for v in valeurs]
    axe.bar_label(rectangles, labels=etiquettes, padding=2, fontsize=8)
    if horizontal:
        axe.set_yticks(positions, libelles, fontsize=8)
        axe.invert_yaxis()
    else:
        axe.set_xticks(positions, libelles, fontsize=8, rotation=20, ha="right")
    for cote in ("top", "right"):
        axe.spines[cote].set_visible(False)
    if precedent is not None and annees[0]:
        axe.legend(fontsize=8, frameon=False)
    axe.set_title(titre, fontsize=10, loc="left")
    return _svg(figure)


def repartition(titre, parts, libelles, annees=("", "")):
    """Répartition en % (barres horizontales triées) à partir de {code: feuille} d'indicateurs."""
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
        unite=" %",
        annees=annees,
    )
