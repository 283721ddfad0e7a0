"""La mise en forme française des chiffres, une seule pour les tableaux, les graphiques, les phrases et le XLSX.

6 462 ; 21,8 % ; 12,9 ; 2 h 12 ; +16,5 % ; +33,5 pts. Les nombres sont sans décimale, les moyennes et les
parts ont une décimale, les évolutions une décimale (le JSON garde deux décimales).
"""

from decimal import ROUND_HALF_UP, Decimal

from .definitions import COMPTE, MINUTES, MOYENNE, PART

ESPACE = "\u202f"  # espace fine insécable : séparateur de milliers et devant %, pts
MOINS = "\u2212"


def arrondi_affiche(valeur, decimales):
    """L'arrondi des documents : au plus proche, les demis vers le haut (53,55 → 53,6), sur l'écriture décimale
    de la valeur du JSON (pas sur son approximation binaire, qui donnerait 53,5)."""
    pas = Decimal(1).scaleb(-int(decimales))
    return float(Decimal(str(valeur)).quantize(pas, rounding=ROUND_HALF_UP))


def nombre_fr(valeur, decimales=None):
    """6462 → « 6 462 » ; 21.78 → « 21,78 » ; None → « — ». Sans `decimales` : ce qu'il faut, au plus 2."""
    if valeur is None or valeur == "":
        return "—"
    try:
        nombre = float(valeur)
    except (TypeError, ValueError):
        return str(valeur)
    if decimales is None:
        decimales = 0 if nombre == int(nombre) else (1 if abs(nombre) >= 10 else 2)
    texte = f"{arrondi_affiche(nombre, decimales):,.{int(decimales)}f}"
    if texte.startswith("-"):
        texte = MOINS + texte[1:]
    if texte in (f"{MOINS}0", f"{MOINS}0.0", f"{MOINS}0.00"):
        texte = texte[1:]
    entier, _, fraction = texte.partition(".")
    entier = entier.replace(",", ESPACE)
    return f"{entier},{fraction}" if fraction else entier


def pct_fr(valeur, decimales=1):
    return "—" if valeur is None else f"{nombre_fr(valeur, decimales)}{ESPACE}%"


def minutes_fr(valeur):
    """132 → « 2 h 12 » ; 21 → « 21 min »."""
    if valeur is None:
        return "—"
    total = int(arrondi_affiche(valeur, 0))
    if total < 60:
        return f"{total} min"
    return f"{total // 60} h {total % 60:02d}"


def valeur_fr(valeur, nature=COMPTE):
    """Un chiffre selon sa nature (definitions) : la seule règle d'arrondi des documents."""
    if valeur is None:
        return "—"
    if nature == PART:
        return pct_fr(valeur, 1)
    if nature == MINUTES:
        return minutes_fr(valeur)
    if nature == MOYENNE:
        return nombre_fr(valeur, 1)
    return nombre_fr(valeur, 0)


def signe(valeur):
    return "+" if valeur > 0 else (MOINS if valeur < 0 else "")


def evolution_fr(valeur, en_points=False):
    """+16,5 % ; −25,4 pts ; « — » si non calculée."""
    if valeur is None:
        return "—"
    arrondie = arrondi_affiche(valeur, 1)
    unite = ("pt" if abs(arrondie) < 2 else "pts") if en_points else "%"
    return f"{signe(arrondie)}{nombre_fr(abs(arrondie), 1)}{ESPACE}{unite}"


def ecart_imprime(valeur, precedent, nature=MOYENNE):
    """Écart absolu (valeur − précédent) des deux valeurs telles qu'imprimées ; None si l'une manque."""
    if valeur is None or precedent is None:
        return None
    decimales = 1 if nature != COMPTE else 0
    return arrondi_affiche(
        arrondi_affiche(valeur, decimales) - arrondi_affiche(precedent, decimales), decimales
    )


def ecart_fr(valeur, precedent, nature=MOYENNE):
    """Écart absolu signé des deux valeurs imprimées, dans l'unité de l'indicateur : « +2,4 » ; « — » si l'une
    manque. 4,2 et 5,1 impriment −0,9 (et non l'arrondi de l'écart exact)."""
    ecart = ecart_imprime(valeur, precedent, nature)
    if ecart is None:
        return "—"
    return f"{signe(ecart)}{valeur_fr(abs(ecart), nature)}"


def evolution_affichee(feuille):
    """(évolution imprimée, en points ?) d'une feuille comparée : celle calculée à partir des valeurs imprimées
    (`imprime`) quand elle diffère de l'arrondi de l'évolution exacte ; None si elle n'est pas calculée."""
    en_points = "evolution_points" in feuille
    cle = "evolution_points" if en_points else "evolution_pct"
    if feuille.get("comparabilite"):
        return None, en_points
    imprime = feuille.get("imprime") or {}
    return (imprime[cle] if cle in imprime else feuille.get(cle)), en_points


FLECHES = {"hausse": "▲", "baisse": "▼"}
