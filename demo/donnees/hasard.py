"""Tirages reproductibles de la démonstration : quantités exactes, moyennes exactes, jours ouvrés."""

import datetime


def tirage(rng, repartition, n):
    """n codes tirés selon des poids, en quantités exactes (arrondi par le plus fort reste), puis mélangés."""
    total = sum(repartition.values())
    brut = {c: n * p / total for c, p in repartition.items()}
    compte = {c: int(v) for c, v in brut.items()}
    for c in sorted(brut, key=lambda c: brut[c] - compte[c], reverse=True)[: n - sum(compte.values())]:
        compte[c] += 1
    codes = [c for c, k in compte.items() for _ in range(k)]
    rng.shuffle(codes)
    return codes


def durees(rng, n, moyenne, maximum, minimum=5):
    """n durées entières de moyenne exacte `moyenne`, dont au moins une au maximum."""
    durees = [max(minimum, min(maximum, round(rng.gammavariate(2.2, moyenne / 2.2)))) for _ in range(n)]
    durees[0] = maximum
    ecart = moyenne * n - sum(durees)
    i = 1
    while ecart:
        j = 1 + (i % (n - 1))
        pas = 1 if ecart > 0 else -1
        if minimum <= durees[j] + pas <= maximum - 1:
            durees[j] += pas
            ecart -= pas
        i += 1
    return durees


def repartir(rng, total, nombre):
    """Répartit `total` sur `nombre` cases, au plus égal, avec un peu de hasard."""
    base, reste = divmod(total, nombre)
    parts = [base] * nombre
    for i in rng.sample(range(nombre), reste):
        parts[i] += 1
    for _ in range(nombre):  # légère variation en conservant le total
        a, b = rng.randrange(nombre), rng.randrange(nombre)
        if parts[a] > 3:
            parts[a] -= 1
            parts[b] += 1
    return parts


def jours_ouvres_entre(debut, fin, *, samedi=False):
    """Jours du lundi au vendredi (au samedi si `samedi`) de [debut, fin], hors fermetures d'été (août) et de fin
    d'année (dès le 24/12)."""
    jour = debut
    while jour <= fin:
        ferme = jour.month == 8 or (jour.month == 12 and jour.day >= 24)
        if not ferme and jour.weekday() < (6 if samedi else 5):
            yield jour
        jour += datetime.timedelta(days=1)


def jours_ouvres(annee):
    """Les jours ouvrés d'une année du jeu 2022-2023, qui fermait aussi les 1er et 2 janvier."""
    for jour in jours_ouvres_entre(datetime.date(annee, 1, 1), datetime.date(annee, 12, 31)):
        if not (jour.month == 1 and jour.day < 3):
            yield jour
