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
MAX_BARRES_DEMI = 5  # au-delà, le graphique prend toute la largeur
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
    demi: bool = False  # dessiné pour une demi-largeur de page (deux graphiques côte à côte)

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
    demi = len(libelles) <= MAX_BARRES_DEMI
    svg = _dessiner_barres(
        titre,
        tuple(str(lib) for lib in libelles),
        tuple(valeurs),
        tuple(precedent) if precedent is not None else None,
        nature,
        tuple(str(a) for a in annees),
        demi,
    )
    return Graphique(titre, alternative, svg, demi=demi)


@lru_cache(maxsize=512)
def _dessiner_barres(titre, libelles, valeurs, precedent, nature, annees, demi):
    """Le dessin SVG, mémorisé : mêmes données, même image (matplotlib est la partie lente du Bilan)."""
    # Taille d'impression réelle (7 pouces ≈ 178 mm, la largeur utile d'une page A4 ; 3,45 pouces pour une
    # demi-largeur) : le texte à 9 pt reste à 9 pt sur le papier.
    n = max(len(libelles), 1)
    par_ligne = 0.3 if precedent is not None else 0.24
    figure = Figure(figsize=(3.45 if demi else 7.0, min(max(par_ligne * n + (1.2 if demi else 0.9), 1.6), 9)))
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
            fontsize=9,
            color="#444444",
        )
    rectangles = axe.barh(
        [p - decalage for p in positions], [v or 0 for v in valeurs], largeur, color=BLEU, label=annees[0]
    )
    axe.bar_label(
        rectangles,
        labels=[valeur_fr(v, nature) if v is not None else "" for v in valeurs],
        padding=2,
        fontsize=9,
    )
    axe.set_yticks(positions, libelles, fontsize=9)
    axe.invert_yaxis()
    axe.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=nature == COMPTE))
    axe.xaxis.set_major_formatter(
        FuncFormatter(lambda x, _pos: nombre_fr(x) + ("\u202f%" if nature == PART else ""))
    )
    axe.tick_params(axis="x", labelsize=9)
    axe.margins(x=0.12)
    for cote in ("top", "right"):
        axe.spines[cote].set_visible(False)
    if precedent is not None and annees[0] and demi:
        axe.legend(fontsize=9, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncols=2)
    elif precedent is not None and annees[0]:
        axe.legend(fontsize=9, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    axe.set_title(titre, fontsize=10.5, loc="left")
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
