"""Phrases du Bilan, générées à partir des feuilles comparées : aucun chiffre n'y est tapé à la main.

Chaque phrase qui donne une évolution dit ce qui a évolué (« le nombre d'usagers reçus : −6,7 % », « la part :
+10,7 pts »), suit les mêmes règles de comparaison que les tableaux (rien sur une valeur inconnue, pas
d'évolution entre périmètres différents) et les mêmes arrondis (rapports.formats).
"""

from .definitions import DEFINITIONS, MINUTES, MOYENNE, PART, definition_de
from .enums import FamilleSuivie
from .formats import arrondi_affiche, ecart_fr, ecart_imprime, evolution_affichee, evolution_fr, valeur_fr
from .lignes import sens_notable
from .premiere_page import A_LA_UNE, CHIFFRES_CLES


def evolution(feuille, quoi):
    """« le nombre d'usagers reçus : −6,7 % » ; "" quand l'évolution n'est pas calculée."""
    valeur, en_points = evolution_affichee(feuille)
    if valeur is None:
        return ""
    if arrondi_affiche(valeur, 1) == 0:
        return f"{quoi} : stable"
    return f"{quoi} : {evolution_fr(valeur, en_points)}"


def _par_rapport(morceaux, precedente):
    morceaux = [m for m in morceaux if m]
    return f" Par rapport à {precedente}, {' ; '.join(morceaux)}." if morceaux else ""


def permanences(ind, courant, precedent):
    p = ind["permanences"]
    u, t, m = p["usagers_recus"], p["permanences_tenues"], p["moyenne_usagers_par_permanence"]
    if u["valeur"] is None:
        return ""
    phrase = (
        f"{courant.libelle_en.capitalize()}, {valeur_fr(u['valeur'])} usagers reçus sur "
        f"{valeur_fr(t['valeur'])} permanences tenues, soit {valeur_fr(m['valeur'], MOYENNE)} personnes en "
        "moyenne par permanence."
    )
    moyenne = ""
    if not m.get("comparabilite") and m["valeur"] is not None and m["precedent"] is not None:
        ecart = ecart_imprime(m["valeur"], m["precedent"])
        moyenne = (
            "la moyenne par permanence : stable"
            if ecart == 0
            else f"la moyenne par permanence : {ecart_fr(m['valeur'], m['precedent'])} {_personnes(ecart)}"
        )
    return phrase + _par_rapport(
        [evolution(u, "le nombre d'usagers reçus"), evolution(t, "le nombre de permanences tenues"), moyenne],
        precedent.libelle,
    )


def _personnes(nombre):
    return "personnes" if abs(arrondi_affiche(nombre, 1)) >= 2 else "personne"


def par_lieu(ind, precedent):
    """« Selon les lieux, de +1,2 à +4,6 personnes en moyenne par permanence par rapport à 2022. »"""
    ecarts = [
        ecart_imprime(
            f["moyenne_usagers_par_permanence"]["valeur"], f["moyenne_usagers_par_permanence"]["precedent"]
        )
        for f in ind["permanences"]["par_lieu"].values()
        if f["moyenne_usagers_par_permanence"]["valeur"] is not None
        and f["moyenne_usagers_par_permanence"]["precedent"] is not None
    ]
    if len(ecarts) < 2:
        return ""
    bas, haut = ecart_fr(min(ecarts), 0), ecart_fr(max(ecarts), 0)  # déjà des écarts imprimés
    return (
        f"Selon les lieux, de {bas} à {haut} {_personnes(max(abs(e) for e in ecarts))} en moyenne par permanence par rapport à "
        f"{precedent.libelle}."
    )


def refus(ind, courant, precedent):
    p = ind["permanences"]
    r, taux = p["refus"], p["taux_sans_reponse_pct"]
    if r["valeur"] is None and FamilleSuivie.REFUS in getattr(courant, "absentes", ()):
        return (
            f"Aucun refus enregistré {courant.libelle_en}, alors que l'accueil les pointe depuis le "
            f"{courant.etats[FamilleSuivie.REFUS].depuis:%d/%m/%Y} : le nombre de refus et la part sans réponse sur "
            "place ne sont pas connus."
        )
    if r["valeur"] is None:
        return f"Les refus n'étaient pas pointés par l'accueil {courant.libelle_en} : la part sans réponse sur place n'est pas connue."
    phrase = (
        f"{valeur_fr(r['valeur'])} personnes venues n'ont pas pu être reçues : {valeur_fr(taux['valeur'], PART)} "
        "des personnes en demande sont restées sans réponse sur place."
    )
    if taux["precedent"] is None and not precedent.etats[FamilleSuivie.REFUS].connu:
        return f"{phrase} Les refus n'étaient pas encore pointés {precedent.libelle_en} : pas de comparaison possible."
    if taux.get("comparabilite"):
        return f"{phrase} Pas de comparaison avec {precedent.libelle} (voir l'annexe)."
    return phrase + _par_rapport([evolution(taux, "la part sans réponse")], precedent.libelle)


def demandes(ind, precedent, libelles_demarches):
    p = ind["permanences"]
    en_ligne = p["types_demande_pct"].get("demarche_en_ligne")
    phrases = []
    if en_ligne and en_ligne["valeur"] is not None:
        phrases.append(
            f"{valeur_fr(en_ligne['valeur'], PART)} des demandes concernent un accompagnement aux démarches en "
            "ligne." + _par_rapport([evolution(en_ligne, "la part")], precedent.libelle)
        )
    parts = {c: f for c, f in p["demarches_pct"].items() if f["valeur"]}
    if parts:
        code = max(parts, key=lambda c: (parts[c]["valeur"], c))
        nombre = p["demarches"].get(code, {})
        phrases.append(
            f"Démarche la plus accompagnée : {libelles_demarches.get(code, code)}, "
            f"{valeur_fr(parts[code]['valeur'], PART)} des démarches en ligne ({valeur_fr(nombre.get('valeur'))} "
            "passages)."
            + _par_rapport(
                [evolution(parts[code], "la part"), evolution(nombre, "le nombre de passages")],
                precedent.libelle,
            )
        )
    duree, maximum = p["duree_moyenne_minutes"]["valeur"], (p.get("duree_max_minutes") or {}).get("valeur")
    if duree is not None:
        jusqu_a = f", jusqu'à {valeur_fr(maximum, MINUTES)} pour le plus long" if maximum is not None else ""
        phrases.append(f"Un accompagnement dure {valeur_fr(duree, MINUTES)} en moyenne{jusqu_a}.")
    return " ".join(phrases)


def formations(ind, precedent):
    f = ind["formations"]
    programmees, tenues, taux = f["sessions_programmees"], f["sessions_tenues"], f["taux_annulation_pct"]
    if not programmees["valeur"]:
        return ""
    return (
        f"Sur {valeur_fr(programmees['valeur'])} sessions programmées, {valeur_fr(tenues['valeur'])} ont été "
        f"réalisées ; taux d'annulation : {valeur_fr(taux['valeur'], PART)}."
        + _par_rapport([evolution(taux, "le taux d'annulation")], precedent.libelle)
    )


def dispositif(ind, courant, precedent):
    d = ind["dispositif"]
    total, hors, externes = (
        d["personnes_recues"],
        d["personnes_recues_hors_declares"],
        d["personnes_recues_externes"],
    )
    if total["valeur"] is None:
        return ""
    phrase = (
        f"{courant.libelle_en.capitalize()}, {valeur_fr(total['valeur'])} personnes reçues dans le dispositif"
    )
    if externes["valeur"]:
        phrase += f", dont {valeur_fr(externes['valeur'])} déclarées par d'autres structures (voir l'annexe)"
    phrase += "."
    if hors["valeur"] is not None and externes["valeur"]:
        phrase += f" Sur le seul périmètre des enregistrements de l'application : {valeur_fr(hors['valeur'])} personnes."
    return phrase + _par_rapport(
        [evolution(hors, "le nombre de personnes reçues enregistrées")], precedent.libelle
    )


def _feuille(ind, chemin_pointe):
    noeud = ind
    for cle in chemin_pointe.split("."):
        noeud = (noeud or {}).get(cle)
    return noeud or {}


def _nom(chemin_pointe):
    """Le libellé déclaré d'un indicateur, en minuscule initiale pour une phrase (« permanences tenues »)."""
    chemin = tuple(chemin_pointe.split("."))
    definition = definition_de(chemin)
    if len(chemin) == 3:
        return {"permanences.types_demande_pct.demarche_en_ligne": "part des démarches en ligne"}.get(
            chemin_pointe, chemin_pointe
        )
    libelle = definition.libelle
    return libelle[0].lower() + libelle[1:] if not libelle[:2].isupper() else libelle


def plus_nettes(ind, nombre=3):
    """Les évolutions les plus nettes parmi A_LA_UNE : calculées (même périmètre, deux valeurs connues), au moins
    au seuil de leur indicateur, rangées en nombre de seuils. [(chemin, évolution imprimée, en points, sens)]."""
    candidates = []
    for rang, chemin in enumerate(A_LA_UNE):
        feuille = _feuille(ind, chemin)
        evolution, en_points = evolution_affichee(feuille) if feuille else (None, False)
        definition = definition_de(tuple(chemin.split(".")))
        sens = sens_notable(definition, evolution)
        if sens:
            poids = abs(arrondi_affiche(evolution, 1)) / definition.seuil_notable
            candidates.append((-poids, rang, chemin, evolution, en_points, sens))
    candidates.sort()
    return [
        (chemin, evolution, en_points, sens)
        for _, _, chemin, evolution, en_points, sens in candidates[:nombre]
    ]


def _raison_courte(feuille, chemin_pointe, courant, precedent):
    """Pourquoi un chiffre clé ne se compare pas, en quelques mots (la raison complète est dans les notes)."""
    definition = DEFINITIONS.get(".".join(chemin_pointe.split(".")[:2]))
    famille = definition.famille if definition else ""
    if feuille.get("valeur") is None:
        return f"aucun enregistrement {courant.libelle_en}"
    if famille and courant.etats[famille].etat != precedent.etats[famille].etat:
        depuis = courant.etats[famille].depuis
        return (
            f"{FamilleSuivie(famille).label.lower()} depuis le {depuis:%d/%m/%Y}" if depuis else "non suivi"
        )
    if feuille.get("comparabilite"):
        annee = courant.libelle if courant.declares else precedent.libelle
        if courant.declares and precedent.declares:
            return "chiffres déclarés différents"
        return f"chiffre déclaré en {annee} seulement"
    return f"aucun enregistrement {precedent.libelle_en}"


def _liste(morceaux):
    return morceaux[0] if len(morceaux) == 1 else f"{', '.join(morceaux[:-1])} et {morceaux[-1]}"


def a_la_une(ind, courant, precedent):
    """La phrase de la première page : le total de l'année, les trois évolutions les plus nettes (comparables,
    au-delà de leur seuil) et ce qui ne se compare pas, dit simplement."""
    total = _feuille(ind, "dispositif.personnes_recues")
    if total.get("valeur") is None:
        return ""
    externes = _feuille(ind, "dispositif.personnes_recues_externes").get("valeur")
    phrase = (
        f"{courant.libelle_en.capitalize()}, {valeur_fr(total['valeur'])} personnes reçues dans le dispositif"
    )
    if externes:
        phrase += f", dont {valeur_fr(externes)} déclarées par d'autres structures"
    phrase += "."
    nettes = plus_nettes(ind)
    if nettes:
        morceaux = [f"{_nom(c)} en {sens} ({evolution_fr(e, p)})" for c, e, p, sens in nettes]
        phrase += f" Les évolutions les plus nettes depuis {precedent.libelle} : {_liste(morceaux)}."
    else:
        phrase += (
            f" Aucun chiffre clé n'évolue au-delà de son seuil depuis {precedent.libelle} (2\u202f%, 1 point pour "
            "une part)."
        )
    sans = []
    for chemin, _mots in CHIFFRES_CLES:
        feuille = _feuille(ind, chemin)
        if not feuille or (feuille.get("valeur") is None and feuille.get("precedent") is None):
            continue
        if feuille.get("comparabilite") or feuille.get("valeur") is None or feuille.get("precedent") is None:
            raison = _raison_courte(feuille, chemin, courant, precedent)
            hors = _feuille(ind, "dispositif.personnes_recues_hors_declares")
            if chemin == "dispositif.personnes_recues" and evolution_affichee(hors)[0] is not None:
                raison += f" ; à périmètre égal : {evolution_fr(*evolution_affichee(hors))}"
            sans.append(f"{_nom(chemin)} ({raison})")
    if sans:
        phrase += f" Sans comparaison possible avec {precedent.libelle} : {_liste(sans)}."
    return phrase
