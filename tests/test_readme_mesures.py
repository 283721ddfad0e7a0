"""Une seule source pour chaque chiffre mesuré (#33, point 7) : le tableau « Mesures » du README est celui que
bench/tableau.py tire de bench/mesures.json (une modification à la main échoue ici), et la prose du README ne
répète aucune durée mesurée hors de ce tableau (les réglages et les objectifs, eux, restent dits)."""

import importlib.util
import json
import re
import sys
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE / "bench"))

tableau = importlib.import_module("tableau")
mesures = importlib.import_module("mesures")

README = (RACINE / "README.md").read_text(encoding="utf-8")

# Une durée : « 43,6 s », « 1 704 ms », « 14 min », « 2 minutes » (pas « 1 s'il », ni « 570/s »).
DUREE = re.compile(
    r"(?<![\w.,/])\d+(?:[ \u202f\u00a0]\d{3})*(?:,\d+)?\s?(?:ms|s|min|secondes?|minutes?)(?![\w/'’])"
)
# Un objectif (« p95 < 100 ms », « sous 1 s », « en moins de 5 s ») n'est pas une mesure.
OBJECTIF = re.compile(r"(?:<|≤|sous|moins de)\s*$")
# Les durées qui sont des réglages ou des paramètres, pas des mesures (le contexte qui les nomme).
REGLAGES = (
    "Annulation possible 2 minutes",  # délai d'annulation d'un pointage
    "relue toutes les 5 s",  # rafraîchissement de la file
    "5 à 120 min",  # durées proposées
    "Préfecture, 20 min",  # exemple de saisie
    "(8 s)",  # ATTENTE_PROCESSUS_DE_FOND_SECONDES
    "limite de 60 s de gunicorn",
    "15 minutes d'attente",  # blocage après des échecs de connexion
    "deux phases de 20 s",  # paramètre de make charge
    "sans réponse en 2 s",  # paramètre de make charge
    "avec 20 ms de patience",  # paramètre du rejeu forcé
    "qui dépasse 10 minutes",  # timeout de pytest-timeout (pyproject.toml)
    "(40 min sur PostgreSQL",  # délai d'une passe de .ci/run
    "tenu 90 minutes",  # la limite de la CI, atteinte le 6 décembre 2026
)


def _prose_hors_du_tableau(texte):
    """Les lignes de prose du README hors du bloc généré, des tableaux de détail et des blocs de code."""
    avant, _, reste = texte.partition(tableau.DEBUT)
    _, _, apres = reste.partition(tableau.FIN)
    dans_le_code = False
    for numero, ligne in enumerate((avant + apres).splitlines(), start=1):
        if ligne.startswith("```"):
            dans_le_code = not dans_le_code
        elif not dans_le_code and not ligne.lstrip().startswith("|"):
            yield numero, ligne


def durees_repetees(texte):
    trouvees = []
    for numero, ligne in _prose_hors_du_tableau(texte):
        for duree in DUREE.finditer(ligne):
            if OBJECTIF.search(ligne[: duree.start()]):
                continue
            if any(
                r in ligne and ligne.index(r) <= duree.start() < ligne.index(r) + len(r) for r in REGLAGES
            ):
                continue
            trouvees.append((numero, duree.group(), ligne.strip()))
    return trouvees


def test_le_tableau_mesures_du_readme_est_celui_du_registre():
    assert tableau.DEBUT in README and tableau.FIN in README
    assert tableau.readme_avec(README, mesures.lire()) == README, "python bench/tableau.py"
    valeur = tableau._cellule(mesures.lire()[0]["valeur"])  # une valeur du tableau, retouchée à la main
    retouche = README.replace(f"| {valeur} |", f"| {valeur} (retouché) |", 1)
    assert retouche != README and tableau.readme_avec(retouche, mesures.lire()) != retouche


def test_chaque_ligne_du_registre_dit_sa_date_sa_machine_et_sa_commande():
    lignes = mesures.lire()
    assert {m["cle"] for m in lignes} == set(mesures.GRANDEURS)
    for m in lignes:
        assert re.fullmatch(r"\d\d/\d\d/\d{4}", m["date"]) and m["machine"] and m["commande"], m
        assert m["grandeur"] == mesures.GRANDEURS[m["cle"]]


def test_la_prose_ne_repete_aucune_duree_mesuree():
    assert not durees_repetees(README), "renvoyez au tableau « Mesures » :\n" + "\n".join(
        f"  ligne {n} : {d} — {ligne[:100]}" for n, d, ligne in durees_repetees(README)
    )
    # Le motif sait les trouver : une mesure glissée dans la prose, même à côté d'un réglage.
    for phrase in (
        "Un million de passages en 53 s (objectif : moins de 2 minutes).",
        "Un Bilan PDF se rend en 3 à 30 s.",
        "La CI dure 14 min 35 s.",
        "Annulation possible 2 minutes ; la file se vide en 1 704 ms.",
    ):
        assert durees_repetees(f"{tableau.DEBUT}\n{tableau.FIN}\n{phrase}\n"), phrase


def test_enregistrer_remplace_sa_ligne_et_garde_les_autres(tmp_path, monkeypatch):
    registre = tmp_path / "mesures.json"
    registre.write_text((RACINE / "bench" / "mesures.json").read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv("BENCH_MESURES", str(registre))
    avant = mesures.lire()
    mesures.enregistrer("bilan.json", "1 ms (médiane de 1), jeu de 300 passages sur 2 an(s)", outil="essai")
    apres = mesures.lire()
    assert [m["cle"] for m in apres] == [m["cle"] for m in avant]  # à sa place
    nouvelle = next(m for m in apres if m["cle"] == "bilan.json")
    assert nouvelle["valeur"].startswith("1 ms") and "cœurs" in nouvelle["machine"] and nouvelle["commande"]
    assert [m for m in apres if m["cle"] != "bilan.json"] == [m for m in avant if m["cle"] != "bilan.json"]
    assert json.loads(registre.read_text(encoding="utf-8"))["mesures"] == apres
    assert mesures.lire(RACINE / "bench" / "mesures.json") != apres  # le registre publié n'a pas bougé
    assert importlib.util.find_spec("tableau")
