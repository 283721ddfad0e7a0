"""La règle de sortie des petits groupes (secret statistique) : tout agrégat qui quitte l'application y passe.

L'API (Bilan et indicateurs) et le classeur du tableau de bord appellent `proteger` sur leurs indicateurs
(`confidentialite.anonymat.regrouper` fait de même pour les lignes regroupées des passages et des rendez-vous). Une
cellule est masquée (null) quand :
1. sa base compte moins de k personnes (K_ANONYMAT) : un nombre de personnes de 1 à k − 1, une part, une
   moyenne ou une durée calculée sur moins de k personnes ;
2. elle permettrait de retrouver une cellule masquée par différence dans la même sortie : deuxième plus petite
   cellule d'une table dont une seule cellule est masquée (la somme est publiée ailleurs), total calculé d'une
   cellule masquée (« personnes en demande » = usagers + refus) ;
3. deux demandes voisines la révéleraient par différence : si un mois de la période (un jour des mois qu'elle
   touche, pour une période qui n'est pas faite de mois entiers ; lieu par lieu quand la sortie est filtrée par
   lieu) compte de 1 à k − 1 personnes d'une population, toutes les cellules de cette population sont masquées ;
   ainsi deux périodes qui diffèrent d'un jour ou d'un mois, ou deux listes de lieux qui diffèrent d'un lieu, ne
   diffèrent jamais d'un groupe de moins de k personnes.
Chaque masque est dit (chemin, année, raison) dans la sortie.
"""

import copy
import datetime

from django.conf import settings
from django.db.models import Count, F
from django.db.models.functions import TruncMonth

from formations.models import Inscription
from permanences.enums import Service, StatutRendezVous
from permanences.models import Passage, Refus, RendezVous

from .bilan import SECTIONS
from .definitions import DEFINITIONS

SOI = "soi"  # la valeur compte elle-même des personnes

_P = "permanences."
# Indicateur → (population, base). Base : SOI, un autre indicateur (chemin pointé ; dans une ligne « par lieu »,
# la clé de même nom de la ligne), « somme:<table> » (somme d'une table de nombres) ou « part:<nombre>:<part> »
# (nombre × part ÷ 100).
PERSONNES = {
    _P + "usagers_recus": ("passages", SOI),
    _P + "refus": ("refus", SOI),
    _P + "personnes_en_demande": ("refus", SOI),
    _P + "taux_sans_reponse_pct": ("refus", _P + "personnes_en_demande"),
    _P + "moyenne_usagers_par_permanence": ("passages", _P + "usagers_recus"),
    _P + "duree_moyenne_minutes": ("passages", _P + "usagers_recus"),
    _P + "duree_max_minutes": ("passages", _P + "usagers_recus"),
    _P + "attente_moyenne_minutes": ("passages", _P + "usagers_recus"),
    _P + "autre_venue_necessaire_pct": ("passages", _P + "usagers_recus"),
    _P + "types_demande_pct": ("passages", _P + "usagers_recus"),
    _P + "demarches": ("passages", SOI),
    _P + "demarches_pct": ("passages", "somme:" + _P + "demarches"),
    _P + "autonomie_pct": ("passages", _P + "usagers_recus"),
    _P + "tranche_age_pct": ("passages", _P + "usagers_recus"),
    _P + "genre_pct": ("passages", _P + "usagers_recus"),
    _P + "orientations": ("passages", SOI),
    _P + "passages_avec_frein": ("passages", SOI),
    _P + "freins_pct": ("passages", _P + "passages_avec_frein"),
    _P + "quartier_pct": ("passages", _P + "usagers_recus"),
    _P + "qpv_pct": ("passages", _P + "usagers_recus"),
    "rendez_vous.realises": ("rendez_vous", SOI),
    "rendez_vous.absents": ("rendez_vous", SOI),
    "rendez_vous.duree_moyenne_minutes": ("rendez_vous", "rendez_vous.realises"),
    "rendez_vous.duree_max_minutes": ("rendez_vous", "rendez_vous.realises"),
    "rendez_vous.types_demande_pct": ("rendez_vous", "rendez_vous.realises"),
    "rendez_vous.demarches_pct": (
        "rendez_vous",
        "part:rendez_vous.realises:rendez_vous.types_demande_pct.demarche_en_ligne",
    ),
    "arcs.rendez_vous_tenus": ("arcs", SOI),
    "arcs.par_lieu": ("arcs", SOI),
    "arcs.tranche_age_pct": ("arcs", "arcs.rendez_vous_tenus"),
    "arcs.genre_pct": ("arcs", "arcs.rendez_vous_tenus"),
    "formations.inscriptions": ("inscriptions", SOI),
    "formations.participants": ("inscriptions", SOI),
    "formations.inscriptions_par_theme": ("inscriptions", SOI),
    "formations.structures_pct": ("inscriptions", "formations.participants"),
    "formations.accompagnements_individuels": ("accompagnements", SOI),
    "formations.duree_moyenne_accompagnement_minutes": (
        "accompagnements",
        "formations.accompagnements_individuels",
    ),
    "dispositif.personnes_recues": ("dispositif", SOI),
    "dispositif.personnes_recues_hors_declares": ("dispositif", SOI),
    "dispositif.personnes_recues_externes": ("declares", SOI),
}
# Dans une ligne « par lieu » des permanences : la clé de la ligne.
PAR_LIEU = {
    "usagers_recus": ("passages", SOI),
    "refus": ("refus", SOI),
    "permanences_tenues": None,
    "moyenne_usagers_par_permanence": ("passages", "usagers_recus"),
}
# Ce qui ne compte pas des personnes reçues (permanences, créneaux, sessions, thèmes, médiateurs salariés).
HORS_PERSONNES = {
    _P + "permanences_tenues",
    _P + "permanences_par_semaine",
    _P + "mediateurs",
    _P + "par_lieu",
    "formations.sessions_programmees",
    "formations.sessions_tenues",
    "formations.sessions_annulees",
    "formations.taux_annulation_pct",
    "formations.themes",
}

# Les populations vérifiées mois par mois (et lieu par lieu quand la sortie est filtrée par lieu).
POPULATIONS = {
    "passages": lambda: Passage.objects.all(),
    "refus": lambda: Refus.objects.actifs(),
    "rendez_vous": lambda: RendezVous.objects.filter(service=Service.CCAS),
    "arcs": lambda: RendezVous.objects.filter(service=Service.ARCS, statut=StatutRendezVous.HONORE),
    "inscriptions": lambda: Inscription.objects.confirmees(),
}

MOINS_DE_K = "moins de {k} personnes"
PAR_DIFFERENCE = "déductible par différence d'une cellule masquée"
VOISINES = (
    "un mois ou un jour{lieu} de la période compte moins de {k} personnes de cette population (différence de "
    "deux demandes)"
)


def k_anonymat():
    return settings.INCLUSION["K_ANONYMAT"]


def _declaration(chemin):
    """(population, base) d'une feuille, ou None si elle ne compte pas des personnes."""
    if len(chemin) == 4 and chemin[1] == "par_lieu":
        return PAR_LIEU.get(chemin[-1])
    return PERSONNES.get(f"{chemin[0]}.{chemin[1]}")


def _feuilles(noeud, chemin=()):
    for cle, valeur in noeud.items():
        if isinstance(valeur, dict) and "valeur" in valeur and "precedent" in valeur:
            yield (*chemin, cle), valeur
        elif isinstance(valeur, dict):
            yield from _feuilles(valeur, (*chemin, cle))


def _base(chemin, base, valeurs, masques):
    """(nombre de personnes de la base, base masquée ?)."""
    if base == SOI:
        return valeurs.get(chemin), False
    if base.startswith("somme:"):
        table = tuple(base.removeprefix("somme:").split("."))
        cellules = [c for c in valeurs if c[: len(table)] == table and len(c) == len(table) + 1]
        return sum(valeurs[c] or 0 for c in cellules), any(c in masques for c in cellules)
    if base.startswith("part:"):
        _, nombre, part = base.split(":")
        n, p = tuple(nombre.split(".")), tuple(part.split("."))
        if valeurs.get(n) is None or valeurs.get(p) is None:
            return None, n in masques or p in masques
        return round(valeurs[n] * valeurs[p] / 100), n in masques or p in masques
    # Sans point : la clé de même nom de la même ligne « par lieu ».
    cible = tuple(base.split(".")) if "." in base else (*chemin[:-1], base)
    return valeurs.get(cible), cible in masques


def _mois_suivant(jour):
    return (jour.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def populations_voisines_trop_petites(debut, fin, *, par_lieu, k):
    """Les populations dont une cellule compte de 1 à k − 1 personnes. Une période de mois entiers se vérifie
    mois par mois ; une autre, jour par jour sur les mois entiers qu'elle touche (deux périodes qui diffèrent d'un
    jour diffèrent d'une de ces cellules). `par_lieu` : chaque cellule lieu par lieu, tous les lieux (ceux que la
    demande écarte se liraient aussi par différence). Une requête par population."""
    mois_entiers = debut.day == 1 and fin.day == 1
    if not mois_entiers:
        debut, fin = debut.replace(day=1), _mois_suivant(fin - datetime.timedelta(days=1))
    trop_petites = set()
    for nom, qs in POPULATIONS.items():
        qs = qs()
        champs = [qs.chemin_lieu] if par_lieu else []
        cellule = TruncMonth(qs.chemin_date) if mois_entiers else F(qs.chemin_date)
        cellules = (
            qs.de_la_periode(debut, fin)
            .annotate(cellule=cellule)
            .values("cellule", *champs)
            .annotate(n=Count("id"))
            .order_by()
            .values_list("n", flat=True)
        )
        if any(0 < n < k for n in cellules):
            trop_petites.add(nom)
    return trop_petites


def _masques_d_un_cote(valeurs, petites, k):
    """{chemin: raison} des cellules à masquer d'un côté (valeur ou précédent)."""
    masques = {}
    declarations = {c: _declaration(c) for c in valeurs}
    for chemin, decl in declarations.items():
        if decl and decl[0] in petites:
            masques[chemin] = VOISINES
    change = True
    while change:
        change = False
        for chemin, decl in declarations.items():
            if chemin in masques or decl is None:
                continue
            n, base_masquee = _base(chemin, decl[1], valeurs, masques)
            if base_masquee:
                masques[chemin], change = PAR_DIFFERENCE, True
            elif n is not None and 0 < n < k:
                masques[chemin], change = MOINS_DE_K, True
        # Un total calculé d'une cellule masquée la révélerait.
        for chemin in valeurs:
            if chemin in masques or len(chemin) != 2:
                continue
            definition = DEFINITIONS.get(f"{chemin[0]}.{chemin[1]}")
            composantes = [tuple(c.split(".")) for c in (definition.composantes if definition else ())]
            if any(c in masques for c in composantes) and declarations.get(chemin):
                masques[chemin], change = PAR_DIFFERENCE, True
        # Une table de nombres dont une seule cellule est masquée : la somme la donnerait ; on masque aussi la
        # plus petite des autres.
        groupes = {}
        for chemin, decl in declarations.items():
            if decl and decl[1] == SOI and len(chemin) >= 3:
                groupes.setdefault((*chemin[:2], *chemin[3:]), []).append(chemin)
        for cellules in groupes.values():
            cachees = [c for c in cellules if c in masques and valeurs[c]]
            visibles = sorted(
                (c for c in cellules if c not in masques and valeurs[c]), key=lambda c: valeurs[c]
            )
            if len(cachees) == 1 and visibles:
                masques[visibles[0]], change = PAR_DIFFERENCE, True
    return masques


def proteger(sections, *, periode=None, par_lieu=False, k=None):
    """Copie des sections d'indicateurs comparés ({section: arbre de feuilles}) où chaque cellule d'un petit
    groupe est masquée, et la liste des masques [{indicateur, annee, raison}].

    `periode` (rapports.bilan.Periode) : vérifie aussi les mois de la période et de l'année d'avant (règle 3) ;
    `par_lieu` : la sortie est filtrée par lieu (les cellules sont alors lieu par lieu).
    """
    k = k or k_anonymat()
    sections = copy.deepcopy(sections)
    feuilles = dict(_feuilles(sections))
    masques = []
    for cote, per in (("valeur", periode), ("precedent", periode.un_an_avant() if periode else None)):
        petites = (
            populations_voisines_trop_petites(per.debut, per.fin, par_lieu=par_lieu, k=k) if per else set()
        )
        valeurs = {c: f[cote] for c, f in feuilles.items()}
        for chemin, raison in sorted(_masques_d_un_cote(valeurs, petites, k).items()):
            feuille = feuilles[chemin]
            feuille[cote] = None
            feuille.pop("imprime", None)  # les valeurs imprimées (arrondies) diraient ce qui est masqué
            feuille["evolution_pct"] = None
            if "evolution_points" in feuille:
                feuille["evolution_points"] = None
            feuille.setdefault("secret_statistique", []).append(cote)
            masques.append(
                {
                    "indicateur": ".".join(map(str, chemin)),
                    "annee": cote,
                    "raison": raison.format(k=k, lieu=" (lieu par lieu)" if par_lieu else ""),
                }
            )
    return sections, masques


def bilan_protege(contenu, periode):
    """Le Bilan JSON (rapports.bilan.en_json) passé par la règle : sections masquées, chiffres déclarés masqués
    avec elles, et ce qui a été masqué."""
    sections, masques = proteger({s: contenu[s] for s in SECTIONS}, periode=periode)
    contenu = {**contenu, **sections}
    caches = {(m["indicateur"], m["annee"]) for m in masques}
    contenu["chiffres_declares"] = [
        {**c, "valeur": None}
        if (c["indicateur"], "valeur" if c["annee"] == periode.debut.year else "precedent") in caches
        else c
        for c in contenu["chiffres_declares"]
    ]
    contenu["secret_statistique"] = {"k": k_anonymat(), "masques": masques}
    return contenu
