"""L'analyse de l'équipe : des points par section, dont le texte cite les chiffres par leur clé.

`{permanences.usagers_recus}` s'écrit avec la valeur de l'année (« 5 541 »), `{….precedent}` avec celle de
l'année précédente, `{….evolution}` avec l'évolution (« −6,7 % », « +33,5 pts ») ; une entrée de table se cite
par son code ou son nom : `{formations.structures_pct.CDAS}`. Le chiffre est rendu à partir des données à
chaque affichage : il ne périme jamais. Une clé inconnue est refusée à l'enregistrement.
"""

import re

from .definitions import DEFINITIONS, nature_de
from .formats import arrondi_affiche, evolution_affichee, evolution_fr, nombre_fr, valeur_fr
from .libelles import LIBELLES_CODES

CITATION = re.compile(r"\{([a-z_]+\.[^{}\s]+)\}")
SUFFIXES = ("valeur", "precedent", "evolution")


def _decouper(cle):
    morceaux = cle.split(".")
    suffixe = morceaux[-1] if morceaux[-1] in SUFFIXES and len(morceaux) > 2 else "valeur"
    chemin = tuple(morceaux[:-1] if morceaux[-1] in SUFFIXES and len(morceaux) > 2 else morceaux)
    return chemin, suffixe


def cles_inconnues(texte):
    """Les citations d'un texte qui ne désignent aucun indicateur du Bilan."""
    return [cle for cle in CITATION.findall(texte or "") if not _connue(_decouper(cle)[0])]


def _connue(chemin):
    return len(chemin) >= 2 and f"{chemin[0]}.{chemin[1]}" in DEFINITIONS


def _feuille(indicateurs, chemin):
    noeud = indicateurs
    for cle in chemin:
        if not isinstance(noeud, dict):
            return None
        noeud = noeud.get(cle)
    return noeud if isinstance(noeud, dict) and "valeur" in noeud else None


def rendre(texte, indicateurs):
    """Le texte avec chaque citation remplacée par le chiffre mis en forme (« — » s'il n'existe pas cette année)."""

    def chiffre(correspondance):
        chemin, suffixe = _decouper(correspondance.group(1))
        if not _connue(chemin):
            return correspondance.group(0)
        feuille = _feuille(indicateurs, chemin)
        if feuille is None:
            return "—"
        if suffixe == "evolution":
            if feuille.get("comparabilite"):
                return "non comparable"
            return evolution_fr(*evolution_affichee(feuille))
        return valeur_fr(feuille.get(suffixe), nature_de(chemin))

    return CITATION.sub(chiffre, texte or "")


# Vérification des mots de l'équipe : le sens qu'une phrase énonce (« augmente », « baisse », « stable »…) est
# confronté à l'évolution imprimée de l'indicateur dont elle parle (une clé citée, ou des mots reconnus).
SENS = (
    (
        "hausse",
        re.compile(
            r"augment\w*|hausse|progress\w*|grandissant\w*|croissan\w*|de plus en plus|multipli\w*|"
            r"davantage|en plus\b",
            re.I,
        ),
    ),
    ("baisse", re.compile(r"baiss\w*|diminu\w*|recul\w*|de moins en moins|moins d[e'’]", re.I)),
    ("stable", re.compile(r"\bstables?\b|stabilit\w*|se stabilise\w*|inchangé\w*", re.I)),
)
RATIO_INSCRIPTIONS = "formations.inscriptions_par_session"
# Mots → indicateurs (le premier motif reconnu l'emporte ; le texte reconnu n'est plus lu pour les suivants).
MOTS_INDICATEURS = (
    (
        re.compile(r"ratio d[e'’] ?inscriptions|inscriptions par (formation|session)", re.I),
        RATIO_INSCRIPTIONS,
    ),
    (
        re.compile(r"dématérialisation|démarches? en ligne", re.I),
        "permanences.types_demande_pct.demarche_en_ligne",
    ),
    (re.compile(r"annulations?", re.I), "formations.taux_annulation_pct"),
    (
        re.compile(r"personnes (se présentant|venues|reçues|accueillies)|fréquentation", re.I),
        "dispositif.personnes_recues_hors_declares",
    ),
    (re.compile(r"usagers", re.I), "permanences.usagers_recus"),
    (re.compile(r"refus|sans réponse", re.I), "permanences.refus"),
    (re.compile(r"participant", re.I), "formations.participants"),
    (re.compile(r"inscriptions", re.I), "formations.inscriptions"),
    (re.compile(r"rendez-vous|rdv", re.I), "rendez_vous.realises"),
)
FIN_DE_PHRASE = re.compile(r"(?<=[.!?])\s+|\n+")


def _indicateurs_cites(phrase):
    chemins = [".".join(_decouper(cle)[0]) for cle in CITATION.findall(phrase) if _connue(_decouper(cle)[0])]
    reste = CITATION.sub(" ", phrase)
    for motif, chemin in MOTS_INDICATEURS:
        if motif.search(reste):
            chemins.append(chemin)
            reste = motif.sub(" ", reste)
    return list(dict.fromkeys(chemins))


def _sens_enonces(phrase):
    texte = CITATION.sub(" ", phrase)
    return [sens for sens, motif in SENS if motif.search(texte)]


def _evolution_imprimee(indicateurs, chemin_pointe):
    """(évolution imprimée, en points ?, texte lisible « 91,0 % contre 91,0 % ») ou (None, …) si non calculée."""
    if chemin_pointe == RATIO_INSCRIPTIONS:
        f = indicateurs.get("formations") or {}
        ins, ses = f.get("inscriptions") or {}, f.get("sessions_programmees") or {}
        try:
            v = arrondi_affiche(ins["valeur"] / ses["valeur"], 2)
            p = arrondi_affiche(ins["precedent"] / ses["precedent"], 2)
        except (KeyError, TypeError, ZeroDivisionError):
            return None, False, ""
        lisible = (
            f"{valeur_fr(ins['valeur'])}/{valeur_fr(ses['valeur'])} = {nombre_fr(v, 2)} contre "
            f"{valeur_fr(ins['precedent'])}/{valeur_fr(ses['precedent'])} = {nombre_fr(p, 2)}"
        )
        return arrondi_affiche(100 * (v - p) / p, 1) if p else None, False, lisible
    chemin = tuple(chemin_pointe.split("."))
    feuille = _feuille(indicateurs, chemin)
    if feuille is None:
        return None, False, ""
    evolution, en_points = evolution_affichee(feuille)
    nature = nature_de(chemin)
    lisible = (
        f"{valeur_fr(feuille.get('valeur'), nature)} contre {valeur_fr(feuille.get('precedent'), nature)}"
    )
    return evolution, en_points, lisible


def _libelle(chemin_pointe):
    if chemin_pointe == RATIO_INSCRIPTIONS:
        return "inscriptions par session programmée"
    chemin = tuple(chemin_pointe.split("."))
    definition = DEFINITIONS[f"{chemin[0]}.{chemin[1]}"]
    if len(chemin) == 3:
        return f"{definition.libelle} ({LIBELLES_CODES.get(definition.table, {}).get(chemin[2], chemin[2])})"
    return definition.libelle


def verifier(titre, texte, indicateurs):
    """Les avertissements d'un point d'analyse : chaque sens énoncé à côté d'un indicateur que ses chiffres
    contredisent (ou qu'ils ne permettent pas de vérifier). Rien n'est bloqué : la coordination décide."""
    phrases = [p for p in [titre or "", *FIN_DE_PHRASE.split(texte or "")] if p.strip()]
    du_point = [c for p in phrases for c in _indicateurs_cites(p)]
    avertissements, vus = [], set()
    for phrase in phrases:
        sens_enonces = _sens_enonces(phrase)
        if not sens_enonces:
            continue
        chemins = _indicateurs_cites(phrase) or du_point[:1]
        for chemin in [c for c in chemins[:1] if c not in vus]:
            vus.add(chemin)
            evolution, en_points, lisible = _evolution_imprimee(indicateurs, chemin)
            sens = sens_enonces[0]
            extrait = CITATION.sub("…", phrase.strip())
            cite = f"« {extrait if len(extrait) <= 90 else extrait[:89].rstrip() + '…'} »"
            if evolution is None:
                avertissements.append(
                    f"{cite} énonce un sens ({sens}) que les chiffres ne permettent pas de vérifier : "
                    f"{_libelle(chemin)} n'a pas d'évolution comparable."
                )
                continue
            seuil = 1.0 if en_points else 2.0
            if chemin != RATIO_INSCRIPTIONS:
                seuil = DEFINITIONS[".".join(chemin.split(".")[:2])].seuil_notable
            contredit = (
                (sens == "hausse" and evolution <= 0)
                or (sens == "baisse" and evolution >= 0)
                or (sens == "stable" and abs(evolution) >= seuil)
            )
            if contredit:
                constat = "stable" if evolution == 0 else evolution_fr(evolution, en_points)
                avertissements.append(
                    f"{cite} dit « {sens} », mais {_libelle(chemin)} : {lisible} ({constat})."
                )
    return avertissements
