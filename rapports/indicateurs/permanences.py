"""Indicateurs des permanences numériques : usagers reçus, refus, démarches, durées, public.

Chaque indicateur est défini dans rapports.definitions (annexe méthodologique du Bilan).
"""

import datetime

from django.db.models import Count, Max, Q, Sum

from permanences.enums import Autonomie, Frein, Genre, TrancheAge, TypeDemande
from permanences.models import Creneau, Passage, Permanence, Refus

from ..enums import FamilleSuivie
from ._outils import arrondi, compter, pct, ratio, repartition_pct


def _sur_la_partie_suivie(suivi, famille):
    """Filtre des dates d'une famille suivie sur une partie seulement de la période (Q() sinon)."""
    return suivi[famille].filtre_dates if suivi else Q()


def indicateurs_permanences(*, debut, fin, lieux=None, intervenants=None, suivi=None):
    """Indicateurs des permanences sur [debut, fin[ ; nombre de requêtes SQL fixe (9). Rend (section, la période
    a-t-elle des enregistrements ?, {famille: a-t-elle au moins un enregistrement ?}).

    `suivi` : {famille: EtatSuivi} ; une famille suivie sur une partie de la période n'est comptée que sur cette
    partie (les familles non suivies sont mises à null par les règles de comparaison).
    """
    depuis_refus = _sur_la_partie_suivie(suivi, FamilleSuivie.REFUS)
    depuis_attente = _sur_la_partie_suivie(suivi, FamilleSuivie.ATTENTE)
    depuis_freins = _sur_la_partie_suivie(suivi, FamilleSuivie.FREINS)
    depuis_orientations = _sur_la_partie_suivie(suivi, FamilleSuivie.ORIENTATIONS)
    filtres = {"lieux": lieux, "intervenants": intervenants}
    passages = Passage.objects.de_la_periode(debut, fin).pour(**filtres)
    permanences = Permanence.objects.de_la_periode(debut, fin).pour(**filtres)
    refus = Refus.objects.actifs().filter(depuis_refus).de_la_periode(debut, fin).pour(**filtres)

    # Deux lectures des passages seulement (elles dominent le coût du Bilan) : un regroupement fin par lieu, type,
    # démarche et autonomie, dont on tire totaux, moyennes et répartitions ; un autre pour l'âge et le genre.
    detail = list(
        passages.values("permanence__lieu__nom", "type_demande", "demarche__code", "autonomie")
        .annotate(
            n=Count("id"),
            duree=Sum("duree_minutes"),
            duree_max=Max("duree_minutes"),
            attente=Sum("attente_minutes", filter=depuis_attente),
            attente_n=Count("attente_minutes", filter=depuis_attente),
            autre_venue=Count("id", filter=Q(autre_venue_necessaire=True)),
            # Usagers de la partie de la période où les refus sont suivis (personnes en demande).
            **({"n_suivi_refus": Count("id", filter=depuis_refus)} if depuis_refus else {}),
        )
        .order_by()
    )
    publics = list(passages.values("tranche_age", "genre").annotate(n=Count("id")).order_by())
    # Freins (codes encadrés par « | »), quartiers et orientations : une requête chacun.
    freins = passages.filter(depuis_freins).aggregate(
        _avec=Count("id", filter=~Q(freins="")),
        **{code: Count("id", filter=Q(freins__contains=f"|{code}|")) for code in Frein.values},
    )
    quartiers = list(
        passages.filter(_sur_la_partie_suivie(suivi, FamilleSuivie.QUARTIERS), quartier__isnull=False)
        .values("quartier__nom", "quartier__qpv")
        .annotate(n=Count("id"))
        .order_by()
    )
    orientations = {}
    for nom, nombre in (
        passages.filter(depuis_orientations, oriente_vers__isnull=False)
        .values_list("oriente_vers__nom")
        .annotate(n=Count("id"))
        .order_by()
    ).union(
        refus.filter(depuis_orientations, oriente_vers__isnull=False)
        .values_list("oriente_vers__nom")
        .annotate(n=Count("id", distinct=True))
        .order_by(),
        all=True,
    ):
        orientations[nom] = orientations.get(nom, 0) + nombre
    n = sum(ligne["n"] for ligne in detail)
    attente_n = sum(ligne["attente_n"] for ligne in detail)
    totaux = {
        "n": n,
        "duree": sum(ligne["duree"] or 0 for ligne in detail) / n if n else None,
        "attente": sum(ligne["attente"] or 0 for ligne in detail) / attente_n if attente_n else None,
        "autre_venue": sum(ligne["autre_venue"] for ligne in detail),
    }
    profils = detail
    demarches = compter(
        [x for x in detail if x["type_demande"] == TypeDemande.DEMARCHE_EN_LIGNE], "demarche__code"
    )
    passages_par_lieu = compter(detail, "permanence__lieu__nom")
    tenues_par_lieu = compter(
        permanences.filter(annulee=False)
        .values("lieu__nom")
        .annotate(n=Count("id", distinct=True))
        .order_by(),
        "lieu__nom",
    )
    refus_par_lieu = compter(
        refus.values("permanence__lieu__nom").annotate(n=Count("id", distinct=True)).order_by(),
        "permanence__lieu__nom",
    )
    mediateurs = Permanence.objects.filter(pk__in=permanences.filter(annulee=False).values("pk")).aggregate(
        n=Count("intervenants", distinct=True)
    )["n"]
    creneaux = Creneau.objects.en_vigueur(fin - datetime.timedelta(days=1))
    if lieux:
        creneaux = creneaux.filter(lieu__in=lieux)
    par_semaine = creneaux.count()

    a_des_donnees = bool(totaux["n"] or tenues_par_lieu or refus_par_lieu)
    lieux_noms = sorted(set(passages_par_lieu) | set(tenues_par_lieu) | set(refus_par_lieu))
    section = {
        "usagers_recus": totaux["n"],
        "permanences_tenues": sum(tenues_par_lieu.values()),
        "permanences_par_semaine": par_semaine,
        "mediateurs": mediateurs,
        "refus": sum(refus_par_lieu.values()),
        "duree_moyenne_minutes": arrondi(totaux["duree"]),
        "duree_max_minutes": max(
            (ligne["duree_max"] for ligne in detail if ligne["duree_max"] is not None), default=None
        ),
        "attente_moyenne_minutes": arrondi(totaux["attente"]),
        "autre_venue_necessaire_pct": pct(totaux["autre_venue"], totaux["n"]),
        "types_demande_pct": repartition_pct(compter(profils, "type_demande"), TypeDemande.values),
        "demarches": demarches,
        "demarches_pct": repartition_pct(demarches),
        "autonomie_pct": repartition_pct(compter(profils, "autonomie"), Autonomie.values),
        "tranche_age_pct": repartition_pct(compter(publics, "tranche_age"), TrancheAge.values),
        "genre_pct": repartition_pct(compter(publics, "genre"), Genre.values),
        "orientations": dict(sorted(orientations.items(), key=lambda kv: (-kv[1], kv[0]))),
        "passages_avec_frein": freins["_avec"],
        "freins_pct": {code: pct(freins[code], freins["_avec"]) for code in Frein.values},
        "quartier_pct": repartition_pct(compter(quartiers, "quartier__nom")),
        "qpv_pct": pct(sum(q["n"] for q in quartiers if q["quartier__qpv"]), sum(q["n"] for q in quartiers)),
        "par_lieu": {
            nom: {
                "usagers_recus": passages_par_lieu.get(nom, 0),
                "permanences_tenues": tenues_par_lieu.get(nom, 0),
                "refus": refus_par_lieu.get(nom, 0),
            }
            for nom in lieux_noms
        },
    }
    usagers_suivis = sum(ligne["n_suivi_refus"] for ligne in detail) if depuis_refus else None
    # Familles qui ont au moins un enregistrement dans la période : sans aucun, la famille est inconnue (pas zéro).
    presentes = {
        FamilleSuivie.REFUS: bool(refus_par_lieu),
        FamilleSuivie.ATTENTE: attente_n > 0,
        FamilleSuivie.FREINS: bool(freins["_avec"]),
        FamilleSuivie.QUARTIERS: bool(quartiers),
        FamilleSuivie.ORIENTATIONS: bool(orientations),
    }
    section = deriver_permanences(section, usagers_sur_la_partie_suivie=usagers_suivis)
    return section, a_des_donnees, presentes


def deriver_permanences(section, *, usagers_sur_la_partie_suivie=None):
    """Indicateurs dérivés des totaux (recalculés après l'application des chiffres déclarés).

    Personnes en demande = usagers reçus + refus, sur la partie de la période où les refus sont suivis.
    """
    refus = section.get("refus")
    usagers = (
        section.get("usagers_recus") if usagers_sur_la_partie_suivie is None else usagers_sur_la_partie_suivie
    )
    section["moyenne_usagers_par_permanence"] = ratio(
        section.get("usagers_recus"), section.get("permanences_tenues")
    )
    section["personnes_en_demande"] = None if usagers is None or refus is None else usagers + refus
    section["taux_sans_reponse_pct"] = pct(refus, section["personnes_en_demande"])
    for ligne in section.get("par_lieu", {}).values():
        ligne["moyenne_usagers_par_permanence"] = ratio(ligne["usagers_recus"], ligne["permanences_tenues"])
    return section
