"""Format français des nombres : 6 462 ; 21,8 % ; évolutions signées."""

from django import template

register = template.Library()
ESPACE = "\u202f"  # espace fine insécable, séparateur de milliers


@register.filter
def nombre_fr(valeur, decimales=None):
    """6462 → « 6 462 » ; 21.78 → « 21,78 » ; None → « — »."""
    if valeur is None or valeur == "":
        return "—"
    try:
        nombre = float(valeur)
    except (TypeError, ValueError):
        return str(valeur)
    if decimales is None:
        decimales = 0 if nombre == int(nombre) else (1 if abs(nombre) >= 10 else 2)
    texte = f"{nombre:,.{int(decimales)}f}"
    entier, _, fraction = texte.partition(".")
    entier = entier.replace(",", ESPACE)
    return f"{entier},{fraction}" if fraction else entier


@register.filter
def pct_fr(valeur, decimales=1):
    return "—" if valeur is None else f"{nombre_fr(valeur, decimales)}{ESPACE}%"


@register.filter
def evolution_fr(valeur):
    """+16,5 % / −6,73 % ; « — » si non calculable."""
    if valeur is None:
        return "—"
    signe = "+" if valeur > 0 else ("−" if valeur < 0 else "")
    return f"{signe}{nombre_fr(abs(valeur), 2 if abs(valeur) < 10 else 1)}{ESPACE}%"


@register.filter
def sens(valeur):
    if valeur is None or valeur == 0:
        return ""
    return "hausse" if valeur > 0 else "baisse"


@register.filter
def minutes_fr(valeur):
    """132 → « 2 h 12 » ; 21 → « 21 min »."""
    if valeur is None:
        return "—"
    total = round(float(valeur))
    if total < 60:
        return f"{total} min"
    return f"{total // 60} h {total % 60:02d}"


@register.filter
def cle(dictionnaire, nom):
    return (dictionnaire or {}).get(nom)


@register.filter
def ecart_fr(feuille):
    """Écart absolu valeur − précédent, signé : « +2,4 » ; « — » si l'un manque."""
    if not feuille or feuille.get("valeur") is None or feuille.get("precedent") is None:
        return "—"
    ecart = feuille["valeur"] - feuille["precedent"]
    signe = "+" if ecart > 0 else ("−" if ecart < 0 else "")
    return f"{signe}{nombre_fr(abs(ecart), 1)}"
