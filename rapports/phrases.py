"""Phrases du Bilan, générées à partir des feuilles comparées : aucun chiffre n'y est tapé à la main.

Chaque phrase qui donne une évolution dit ce qui a évolué (« le nombre d'usagers reçus : −6,7 % », « la part :
+10,7 pts »), suit les mêmes règles de comparaison que les tableaux (rien sur une valeur inconnue, pas
d'évolution entre périmètres différents) et les mêmes arrondis (rapports.formats).
"""

from .definitions import MOYENNE, PART
from .enums import FamilleSuivie
from .formats import arrondi_affiche, ecart_fr, ecart_imprime, evolution_affichee, evolution_fr, valeur_fr


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
