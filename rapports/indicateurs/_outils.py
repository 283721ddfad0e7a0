"""Petits calculs partagés par les indicateurs (sur des résultats déjà agrégés en SQL)."""


def arrondi(valeur, decimales=2):
    return None if valeur is None else round(float(valeur), decimales)


def ratio(numerateur, denominateur):
    """numérateur / dénominateur, arrondi à 2 décimales ; None si le dénominateur est nul ou inconnu."""
    if numerateur is None or not denominateur:
        return None
    return arrondi(numerateur / denominateur)


def pct(partie, total):
    """Part en pourcentage (0–100), arrondie à 2 décimales ; None si le total est nul ou inconnu."""
    if partie is None or not total:
        return None
    return arrondi(100 * partie / total)


def repartition_pct(comptes, codes=None):
    """{code: nombre} → {code: part en %} ; les codes attendus absents valent 0. Base vide : chaque part est
    inconnue (None), jamais 0 %."""
    total = sum(comptes.values())
    cles = list(codes) if codes is not None else []
    cles += [c for c in comptes if c not in cles]
    if not total:
        return dict.fromkeys(cles)
    return {c: pct(comptes.get(c, 0), total) for c in cles}


def compter(lignes, cle, champ="n"):
    """Somme des comptes de lignes values().annotate() regroupées selon `cle` (ignore les clés vides)."""
    resultat = {}
    for ligne in lignes:
        code = ligne[cle]
        if code in (None, ""):
            continue
        resultat[code] = resultat.get(code, 0) + ligne[champ]
    return resultat
