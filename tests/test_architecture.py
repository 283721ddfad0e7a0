"""Le dessin des imports du projet (#32) : aucun cycle, chaque flèche descend l'ordre des applications, et aucun
import de module du projet n'est caché dans une fonction sans dire pourquoi.

Le dessin est lu dans le code (ast), sans rien importer : chaque `import` et `from … import`, au niveau du
module comme dans une fonction, des fichiers .py des applications (migrations exceptées).
"""

import ast
from pathlib import Path

import pytest

RACINE = Path(__file__).resolve().parent.parent

# L'ordre des applications : une application n'importe que des applications de rang plus petit.
#   demo → api → echanges → rapports → confidentialite → travaux → permanences, formations → inclusion
# (echanges lit le Bilan à travers ses services ; confidentialite lit les applications du domaine et efface les
# documents des travaux ; personne n'importe demo).
RANGS = {
    "inclusion": 0,
    "permanences": 1,
    "formations": 1,
    "travaux": 2,
    "confidentialite": 3,
    "rapports": 4,
    "echanges": 5,
    "api": 6,
    "demo": 7,
}
# Les adresses racines (ROOT_URLCONF) rassemblent les pages de toutes les applications : c'est leur rôle.
RACINES_DE_COMPOSITION = {"inclusion.urls"}


def _nom_de_module(chemin):
    parties = list(chemin.relative_to(RACINE).with_suffix("").parts)
    if parties[-1] == "__init__":
        parties.pop()
    return ".".join(parties)


def _fichiers():
    for application in RANGS:
        for chemin in sorted((RACINE / application).rglob("*.py")):
            if "migrations" not in chemin.parts:
                yield chemin


def _imports(chemin, module):
    """[(module importé, ligne, dans une fonction ?)] : les noms tels qu'écrits, relatifs résolus."""
    arbre = ast.parse(chemin.read_text(), filename=str(chemin))
    paquet = module if chemin.name == "__init__.py" else module.rpartition(".")[0]
    dans_une_fonction = set()
    for noeud in ast.walk(arbre):
        if isinstance(noeud, ast.FunctionDef | ast.AsyncFunctionDef):
            for enfant in ast.walk(noeud):
                if isinstance(enfant, ast.Import | ast.ImportFrom):
                    dans_une_fonction.add(id(enfant))
    trouves = []
    for noeud in ast.walk(arbre):
        cache = id(noeud) in dans_une_fonction
        if isinstance(noeud, ast.Import):
            trouves += [(alias.name, noeud.lineno, cache) for alias in noeud.names]
        elif isinstance(noeud, ast.ImportFrom):
            if noeud.level:
                base = paquet.split(".")
                base = base[: len(base) - noeud.level + 1]
                cible = ".".join(base + ([noeud.module] if noeud.module else []))
            else:
                cible = noeud.module
            trouves += [(f"{cible}.{alias.name}", noeud.lineno, cache) for alias in noeud.names]
            trouves.append((cible, noeud.lineno, cache))
    return trouves


def _graphe():
    """{module: {module importé: (ligne, dans une fonction ?)}} entre modules du projet."""
    fichiers = {_nom_de_module(chemin): chemin for chemin in _fichiers()}
    graphe = {}
    for module, chemin in fichiers.items():
        fleches = graphe.setdefault(module, {})
        for cible, ligne, cache in _imports(chemin, module):
            # « from paquet import nom » : vers paquet.nom s'il est un module, sinon vers le paquet.
            if cible in fichiers and cible != module:
                fleches.setdefault(cible, (ligne, cache))
    for fleches in graphe.values():  # « from a import b » ajoute a et a.b : on ne garde que le plus précis
        for cible in [c for c in fleches if any(autre.startswith(c + ".") for autre in fleches)]:
            if (RACINE / cible.replace(".", "/") / "__init__.py").exists():
                del fleches[cible]
    return graphe, fichiers


def _cycles(graphe):
    """Composantes fortement connexes de plus d'un module (Tarjan, itératif)."""
    index, bas, pile, sur_pile, composantes = {}, {}, [], set(), []
    compteur = 0
    for depart in graphe:
        if depart in index:
            continue
        travail = [(depart, iter(graphe[depart]))]
        index[depart] = bas[depart] = compteur
        compteur += 1
        pile.append(depart)
        sur_pile.add(depart)
        while travail:
            noeud, suivants = travail[-1]
            for suivant in suivants:
                if suivant not in index:
                    index[suivant] = bas[suivant] = compteur
                    compteur += 1
                    pile.append(suivant)
                    sur_pile.add(suivant)
                    travail.append((suivant, iter(graphe.get(suivant, {}))))
                    break
                if suivant in sur_pile:
                    bas[noeud] = min(bas[noeud], index[suivant])
            else:
                travail.pop()
                if travail:
                    bas[travail[-1][0]] = min(bas[travail[-1][0]], bas[noeud])
                if bas[noeud] == index[noeud]:
                    composante = []
                    while True:
                        m = pile.pop()
                        sur_pile.discard(m)
                        composante.append(m)
                        if m == noeud:
                            break
                    if len(composante) > 1:
                        composantes.append(sorted(composante))
    return composantes


def test_les_imports_ne_forment_aucun_cycle():
    graphe, _ = _graphe()
    assert _cycles(graphe) == []


def test_les_fleches_descendent_l_ordre_des_applications():
    graphe, _ = _graphe()
    a_contre_sens = [
        f"{module} → {cible} (ligne {ligne})"
        for module, fleches in graphe.items()
        for cible, (ligne, _) in fleches.items()
        if module not in RACINES_DE_COMPOSITION
        and module.split(".")[0] != cible.split(".")[0]
        and RANGS[module.split(".")[0]] <= RANGS[cible.split(".")[0]]
    ]
    assert a_contre_sens == []


def test_aucun_import_du_projet_cache_dans_une_fonction_sans_dire_pourquoi():
    """Un import de module du projet dans une fonction porte un commentaire (sur sa ligne ou juste au-dessus)."""
    _, fichiers = _graphe()
    muets = set()
    for module, chemin in fichiers.items():
        lignes = chemin.read_text().splitlines()
        for cible, ligne, cache in _imports(chemin, module):
            avant = ligne - 2  # un commentaire au-dessus d'un bloc d'imports vaut pour tout le bloc
            while avant > 0 and lignes[avant].strip().startswith(("from ", "import ")):
                avant -= 1
            dit_pourquoi = "#" in lignes[ligne - 1] or lignes[avant].strip().startswith("#")
            if cache and cible in fichiers and not dit_pourquoi:
                muets.add(f"{module}:{ligne} → {cible}")
    assert sorted(muets) == []


@pytest.mark.parametrize(
    ("fleches", "attendu"),
    [
        ({"a": {"b": (1, False)}, "b": {"c": (1, True)}, "c": {"a": (1, False)}}, [["a", "b", "c"]]),
        ({"a": {"b": (1, False)}, "b": {}, "c": {"a": (1, False)}}, []),
    ],
)
def test_le_detecteur_de_cycles_les_voit(fleches, attendu):
    assert _cycles(fleches) == attendu


def test_le_dessin_voit_les_imports_relatifs_et_ceux_des_fonctions():
    graphe, _ = _graphe()
    assert "travaux.registre" in graphe["travaux.taches"]  # from .registre import …
    assert graphe["rapports.apps"]["rapports.travaux"][1] is True  # dans ready()
    assert "rapports.bilan" in graphe["api.vues"]
