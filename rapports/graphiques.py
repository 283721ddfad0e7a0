"""Graphiques du Bilan : matplotlib (Figure, jamais pyplot) rendu en SVG, avec titre et texte alternatif.

Le SVG est servi en image `data:` (même rendu en HTML et en PDF, sans style en ligne dans la page). Les étiquettes
sont mises en forme par rapports.formats, comme les cellules des tableaux ; les axes sont en format français.
Un graphique sans donnée pour l'année n'est pas dessiné : une phrase le dit.
"""

import base64
import io
import textwrap
from dataclasses import dataclass
from functools import lru_cache
from types import SimpleNamespace

from .definitions import COMPTE, PART
from .formats import nombre_fr, valeur_fr
from .typographie import texte_francais

BLEU, GRIS = "#0b4f8a", "#8a9bb0"
# Taille d'impression réelle, la même dans le CSS (static/css/impression.css) : un graphique n'est jamais réduit, et
# son texte (8 pt) reste au-dessus de 7 pt sur le papier. Demi : à côté du tableau qu'il dessine.
LARGEUR_DEMI_MM, LARGEUR_PLEINE_MM = 86, 178
TAILLE_TEXTE = 8
CARACTERES_PAR_LIGNE = 24  # libellé d'une barre : deux lignes au plus, coupées entre les mots


@lru_cache(maxsize=1)
def _matplotlib():
    """matplotlib, importé et réglé au premier dessin, pas au chargement du module : son import (numpy compris)
    coûtait plus d'une seconde à chaque démarrage de processus (serveur, processus de fond, commandes), qu'il
    dessine un graphique ou non (rapports.travaux importe ce module)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.text import Text
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    matplotlib.rcParams["svg.fonttype"] = "none"
    matplotlib.rcParams["font.family"] = "DejaVu Sans"
    matplotlib.rcParams["svg.hashsalt"] = "inclusion"  # SVG reproductible
    # Les libellés viennent des utilisateurs (thèmes, lieux, structures) : jamais lus comme des formules ($…$).
    matplotlib.rcParams["text.parse_math"] = False
    matplotlib.rcParams["text.usetex"] = False
    return SimpleNamespace(
        FigureCanvasAgg=FigureCanvasAgg,
        Figure=Figure,
        Text=Text,
        FuncFormatter=FuncFormatter,
        MaxNLocator=MaxNLocator,
    )


@dataclass
class Graphique:
    titre: str
    alternative: str
    svg: str = ""
    message: str = ""  # à la place du dessin, quand il n'y a rien à dessiner
    demi: bool = True  # dessiné pour une demi-largeur de page, à côté de son tableau

    @property
    def data_uri(self):
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()


def _svg(figure):
    tampon = io.StringIO()
    figure.savefig(tampon, format="svg", metadata={"Date": None})
    return tampon.getvalue()


def libelle_court(libelle, largeur=CARACTERES_PAR_LIGNE):
    """Un libellé de barre sur deux lignes au plus (coupé entre les mots), « … » au-delà."""
    lignes = textwrap.wrap(str(libelle), largeur, break_long_words=True) or [""]
    if len(lignes) > 2:
        lignes = [lignes[0], textwrap.shorten(" ".join(lignes[1:]), largeur, placeholder="…")]
    return "\n".join(lignes)


def barres(titre, libelles, valeurs, precedent=None, nature=COMPTE, annees=("", ""), vide="", demi=True):
    """Barres horizontales ; avec `precedent`, les deux années côte à côte. Sans valeur cette année : `vide`."""
    if not any(valeurs):
        return Graphique(titre, "", message=vide or f"{titre} : aucune donnée.")
    if precedent is not None and all(p is None for p in precedent):
        precedent = None
    titre = texte_francais(titre)
    libelles = [texte_francais(str(lib)) for lib in libelles]
    alternative = f"{titre} : " + " ; ".join(
        f"{lib} {valeur_fr(v, nature)}" + (f" ({annees[1]} : {valeur_fr(p, nature)})" if precedent else "")
        for lib, v, p in zip(libelles, valeurs, precedent or [None] * len(valeurs), strict=False)
    )
    svg = _dessiner_barres(
        titre,
        tuple(libelles),
        tuple(valeurs),
        tuple(precedent) if precedent is not None else None,
        nature,
        tuple(str(a) for a in annees),
        demi,
    )
    return Graphique(titre, texte_francais(alternative), svg, demi=demi)


@lru_cache(maxsize=512)
def _dessiner_barres(titre, libelles, valeurs, precedent, nature, annees, demi):
    """Le dessin SVG, mémorisé : mêmes données, même image (matplotlib est la partie lente du Bilan)."""
    return _svg(figure_barres(titre, libelles, valeurs, precedent, nature, annees, demi))


def figure_barres(titre, libelles, valeurs, precedent=None, nature=COMPTE, annees=("", ""), demi=True):
    """La figure, à sa taille d'impression : une barre par catégorie (l'année), l'année précédente en trait gris,
    une seule étiquette par barre ; les libellés longs passent à la ligne, la légende sous le graphique."""
    n = max(len(libelles), 1)
    deux_annees = precedent is not None
    lignes_par_libelle = max((libelle_court(lib).count("\n") + 1 for lib in libelles), default=1)
    par_ligne = max(0.24, 0.15 * lignes_par_libelle)  # pouces par catégorie : une étiquette par barre
    legende = 0.3 if deux_annees and annees[0] else 0
    largeur = (LARGEUR_DEMI_MM if demi else LARGEUR_PLEINE_MM) / 25.4
    figure = _matplotlib().Figure(figsize=(largeur, par_ligne * n + 0.75 + legende), layout="constrained")
    axe = figure.add_subplot()
    positions = list(range(len(libelles)))
    axe.barh(positions, [v or 0 for v in valeurs], 0.62, color=BLEU, label=annees[0])
    if deux_annees:
        # L'année précédente : un trait gris à sa valeur, sans étiquette (son tableau, à côté, la donne).
        connus = [(p, v) for p, v in zip(positions, precedent, strict=True) if v is not None]
        axe.scatter(
            [v for _, v in connus],
            [p for p, _ in connus],
            marker="|",
            s=(par_ligne * 72 * 0.8) ** 2,
            linewidths=2,
            color=GRIS,
            label=annees[1],
            zorder=3,
        )
    # L'étiquette de l'année au-delà de la barre et du trait, pour ne chevaucher ni l'un ni l'autre.
    for position, valeur, ancien in zip(positions, valeurs, precedent or [None] * n, strict=False):
        if valeur is not None:
            axe.annotate(
                valeur_fr(valeur, nature),
                (max(valeur or 0, ancien or 0), position),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
                fontsize=TAILLE_TEXTE,
            )
    axe.set_yticks(positions, [libelle_court(lib) for lib in libelles], fontsize=TAILLE_TEXTE)
    axe.set_ylim(len(libelles) - 0.5, -0.5)  # la première catégorie en haut
    plus_grande = max([v or 0 for v in valeurs] + [v or 0 for v in (precedent or [])]) or 1
    axe.set_xlim(0, plus_grande * 1.3)  # la place des étiquettes au bout des barres
    axe.xaxis.set_major_locator(_matplotlib().MaxNLocator(nbins=4, integer=nature == COMPTE))
    axe.xaxis.set_major_formatter(
        _matplotlib().FuncFormatter(lambda x, _pos: nombre_fr(x) + ("\u202f%" if nature == PART else ""))
    )
    axe.tick_params(axis="x", labelsize=TAILLE_TEXTE)
    for cote in ("top", "right"):
        axe.spines[cote].set_visible(False)
    if deux_annees and annees[0]:
        poignees, noms = axe.get_legend_handles_labels()
        figure.legend(
            poignees[::-1],
            noms[::-1],
            fontsize=TAILLE_TEXTE,
            frameon=False,
            loc="outside lower center",
            ncols=2,
        )
    # Pas de titre dans le dessin : le graphique est à côté de son tableau, qui porte le titre (le même libellé).
    _etiquettes_dans_la_figure(figure, axe)
    return figure


def _etiquettes_dans_la_figure(figure, axe, essais=6):
    """Élargit l'axe des valeurs tant qu'une étiquette au bout d'une barre dépasse le bord droit de la figure."""
    rendu = _matplotlib().FigureCanvasAgg(figure).get_renderer()
    for _ in range(essais):
        # Pas de graduation au bout de l'axe : son libellé, centré, dépasserait le bord de la figure.
        fin = axe.get_xlim()[1]
        graduations = axe.xaxis.get_major_locator().tick_values(0, fin)
        axe.set_xticks([g for g in graduations if 0 <= g <= fin * 0.88])
        figure.draw(rendu)
        droite = max(
            (t.get_window_extent(rendu).x1 for t in [*axe.texts, *axe.get_xticklabels()] if t.get_text()),
            default=0,
        )
        if droite <= figure.bbox.x1 - 12:  # une marge : le texte du PDF est un peu plus large que celui d’Agg
            return
        axe.set_xlim(0, axe.get_xlim()[1] * 1.15)


def chevauchements(figure):
    """Les paires de textes d'une figure dessinée qui se chevauchent (libellés, étiquettes, légende, titre)."""
    rendu = _matplotlib().FigureCanvasAgg(figure).get_renderer()
    figure.draw(rendu)
    boites = [
        (t.get_text(), t.get_window_extent(rendu))
        for t in figure.findobj(_matplotlib().Text)
        if t.get_visible() and t.get_text().strip()
    ]
    return [
        (a, b)
        for i, (a, boite_a) in enumerate(boites)
        for b, boite_b in boites[i + 1 :]
        if boite_a.overlaps(boite_b)
    ]


def repartition(titre, parts, libelles, annees=("", ""), vide="", ordonne=False):
    """Répartition en % à partir de {code: feuille} : de la plus grande part à la plus petite, ou dans l'ordre
    des codes quand ils en ont un (`ordonne` : tranches d'âge, niveaux d'autonomie), comme leur tableau."""
    lignes = [
        (libelles.get(code, code), f["valeur"], f["precedent"])
        for code, f in parts.items()
        if f["valeur"] or f["precedent"]
    ]
    if not ordonne:
        lignes.sort(key=lambda x: -(x[1] or 0))
    return barres(
        titre,
        [x[0] for x in lignes],
        [x[1] for x in lignes],
        precedent=[x[2] for x in lignes] if any(x[2] is not None for x in lignes) else None,
        nature=PART,
        annees=annees,
        vide=vide,
    )
