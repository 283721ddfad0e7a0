"""Deux années de données de fabrique, et le calcul attendu de chaque indicateur fait en Python pur,
sans passer par le moteur SQL (pour comparer)."""

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field

from formations.enums import Presence, StatutSession
from inclusion.models import Quartier
from permanences.enums import Autonomie, Frein, Genre, Service, StatutRendezVous, TrancheAge, TypeDemande
from permanences.models import Passage
from tests.formations.factories import (
    AccompagnementFormationFactory,
    InscriptionFactory,
    SessionFormationFactory,
    ThemeFactory,
)
from tests.inclusion.factories import IntervenantFactory, LieuFactory, StructureFactory, demarche
from tests.permanences.factories import (
    CreneauFactory,
    PassageFactory,
    PermanenceFactory,
    RefusFactory,
    RendezVousFactory,
)

CODES = ["prefecture_etrangers", "caf", "ants", "impots"]


@dataclass
class Annee:
    passages: list = field(default_factory=list)
    permanences: list = field(default_factory=list)
    refus: list = field(default_factory=list)
    rdv: list = field(default_factory=list)
    sessions: list = field(default_factory=list)
    inscriptions: list = field(default_factory=list)
    accompagnements: list = field(default_factory=list)


def construire(nb_lieux=3, graine=7):
    rng = random.Random(graine)
    lieux = [LieuFactory(nom=f"Lieu {i:02d}") for i in range(nb_lieux)]
    mediateurs = [IntervenantFactory(nom=f"Médiateur {i}") for i in range(4)]
    structures = [StructureFactory(nom=n) for n in ("CDAS", "CCAS", "CAF")]
    themes = [ThemeFactory(nom=f"Thème {i}") for i in range(4)]
    quartiers = [
        Quartier.objects.create(nom="Maurepas", qpv=True),
        Quartier.objects.create(nom="Centre"),
        Quartier.objects.get(nom="Hors commune"),
    ]
    CreneauFactory(lieu=lieux[0], valide_du=datetime.date(2022, 1, 1), valide_au=datetime.date(2023, 6, 30))
    CreneauFactory(lieu=lieux[0], valide_du=datetime.date(2022, 1, 1), jour_semaine=2)
    CreneauFactory(lieu=lieux[-1], valide_du=datetime.date(2023, 7, 1), jour_semaine=3)
    CreneauFactory(lieu=lieux[-1], valide_du=datetime.date(2023, 9, 1), jour_semaine=4)
    donnees = {}
    for annee, volume in ((2022, 3), (2023, 4)):
        a = Annee()
        for i in range(8):
            jour = datetime.date(annee, 1 + i, 3 + i)
            lieu = lieux[i % nb_lieux]
            annulee = i == 7
            p = PermanenceFactory(date=jour, lieu=lieu, annulee=annulee)
            p.intervenants.set(mediateurs[: 2 + (annee - 2022) + (i % 2)])
            a.permanences.append(p)
            if annulee:
                continue
            for _ in range(rng.randint(volume, volume + 4)):
                type_demande = rng.choice(
                    [TypeDemande.DEMARCHE_EN_LIGNE] * 3 + [TypeDemande.ACCOMPAGNEMENT_TECHNIQUE]
                )
                a.passages.append(
                    PassageFactory(
                        permanence=p,
                        type_demande=type_demande,
                        demarche=demarche(rng.choice(CODES[: 2 + annee - 2022 + 1]))
                        if type_demande == TypeDemande.DEMARCHE_EN_LIGNE
                        else None,
                        duree_minutes=rng.randint(5, 120),
                        autonomie=rng.choice(Autonomie.values),
                        tranche_age=rng.choice(TrancheAge.values),
                        genre=rng.choice(Genre.values),
                        autre_venue_necessaire=rng.random() < 0.3,
                        attente_minutes=rng.choice([None, 0, 5, 12, 30]),
                        intervenant=rng.choice(mediateurs),
                        freins=Passage.encoder_freins(rng.sample(Frein.values, rng.choice([0, 0, 1, 2]))),
                        quartier=rng.choice([None, *quartiers]),
                        oriente_vers=rng.choice([None, None, structures[0], structures[2]]),
                    )
                )
            for _ in range(rng.randint(0, 3)):
                a.refus.append(
                    RefusFactory(
                        permanence=p, annulee_le=None, oriente_vers=rng.choice([None, structures[1]])
                    )
                )
            RefusFactory(
                permanence=p, annulee_le=datetime.datetime(annee, 12, 1, tzinfo=datetime.UTC)
            )  # annulé : ne compte pas
        for i in range(10 + annee - 2022):
            service = Service.CCAS if i % 3 else Service.ARCS
            statut = [
                StatutRendezVous.HONORE,
                StatutRendezVous.HONORE,
                StatutRendezVous.ABSENT,
                StatutRendezVous.EXCUSE,
                StatutRendezVous.A_RENSEIGNER,
            ][i % 5]
            type_demande = rng.choice([TypeDemande.DEMARCHE_EN_LIGNE, TypeDemande.ACCOMPAGNEMENT_TECHNIQUE])
            a.rdv.append(
                RendezVousFactory(
                    service=service,
                    lieu=lieux[i % nb_lieux],
                    intervenant=mediateurs[i % 4],
                    date=datetime.date(annee, 2 + i % 10, 10),
                    statut=statut,
                    duree_minutes=rng.randint(20, 90) if statut == StatutRendezVous.HONORE else None,
                    type_demande=type_demande,
                    demarche=demarche(rng.choice(CODES))
                    if type_demande == TypeDemande.DEMARCHE_EN_LIGNE
                    else None,
                    tranche_age=rng.choice(TrancheAge.values),
                    genre=rng.choice(Genre.values),
                    heure=datetime.time(9 + i % 8),
                )
            )
        for i in range(5 + annee - 2022):
            statut = [
                StatutSession.TENUE,
                StatutSession.TENUE,
                StatutSession.ANNULEE,
                StatutSession.PROGRAMMEE,
            ][i % 4]
            s = SessionFormationFactory(
                theme=themes[i % (2 + annee - 2022)],
                date=datetime.date(annee, 3 + i, 1),
                statut=statut,
                lieu=lieux[0],
            )
            a.sessions.append(s)
            for k in range(rng.randint(1, 5)):
                present = (
                    Presence.PRESENT
                    if statut == StatutSession.TENUE and k < 3
                    else rng.choice([Presence.INCONNUE, Presence.ABSENT])
                )
                a.inscriptions.append(
                    InscriptionFactory(session=s, structure=rng.choice(structures), present=present)
                )
            InscriptionFactory(
                session=s, liste_attente=True, structure=structures[0]
            )  # liste d'attente : exclue
        for _ in range(2 + annee - 2022):
            a.accompagnements.append(
                AccompagnementFormationFactory(
                    date=datetime.date(annee, 6, 1),
                    duree_minutes=rng.randint(30, 200),
                    structure=structures[1],
                )
            )
        donnees[annee] = a
    return lieux, donnees


def _pct(n, total):
    return round(100 * n / total, 2) if total else None


def _parts(valeurs, codes=None):
    compte = Counter(valeurs)
    total = sum(compte.values())
    cles = list(codes or []) + [c for c in compte if c not in (codes or [])]
    return {c: (_pct(compte.get(c, 0), total) if total else 0.0) for c in cles}


def attendu(a):
    """Indicateurs d'une année calculés en Python à partir des objets créés."""
    passages, perms = a.passages, a.permanences
    tenues = [p for p in perms if not p.annulee]
    n = len(passages)
    demarches = Counter(p.demarche.code for p in passages if p.type_demande == TypeDemande.DEMARCHE_EN_LIGNE)
    attentes = [p.attente_minutes for p in passages if p.attente_minutes is not None]
    avec_freins = [p for p in passages if p.liste_freins]
    lieux = sorted({p.lieu.nom for p in perms})
    ccas = [r for r in a.rdv if r.service == Service.CCAS]
    ccas_h = [r for r in ccas if r.statut == StatutRendezVous.HONORE]
    arcs_h = [r for r in a.rdv if r.service == Service.ARCS and r.statut == StatutRendezVous.HONORE]
    presents = [i for i in a.inscriptions if i.present == Presence.PRESENT]
    permanences = {
        "usagers_recus": n,
        "permanences_tenues": len(tenues),
        "mediateurs": len({m.pk for p in tenues for m in p.intervenants.all()}),
        "refus": len(a.refus),
        "moyenne_usagers_par_permanence": round(n / len(tenues), 2),
        "personnes_en_demande": n + len(a.refus),
        "taux_sans_reponse_pct": _pct(len(a.refus), n + len(a.refus)),
        "duree_moyenne_minutes": round(sum(p.duree_minutes for p in passages) / n, 2),
        "duree_max_minutes": max(p.duree_minutes for p in passages),
        "attente_moyenne_minutes": round(sum(attentes) / len(attentes), 2),
        "autre_venue_necessaire_pct": _pct(sum(p.autre_venue_necessaire for p in passages), n),
        "types_demande_pct": _parts([p.type_demande for p in passages], TypeDemande.values),
        "demarches": dict(demarches),
        "demarches_pct": {c: _pct(k, sum(demarches.values())) for c, k in demarches.items()},
        "autonomie_pct": _parts([p.autonomie for p in passages], Autonomie.values),
        "tranche_age_pct": _parts([p.tranche_age for p in passages], TrancheAge.values),
        "genre_pct": _parts([p.genre for p in passages], Genre.values),
        "par_lieu": {},
        "orientations": dict(
            Counter(
                [p.oriente_vers.nom for p in passages if p.oriente_vers]
                + [r.oriente_vers.nom for r in a.refus if r.oriente_vers]
            )
        ),
        "passages_avec_frein": len(avec_freins),
        "freins_pct": {
            code: _pct(sum(1 for p in avec_freins if code in p.liste_freins), len(avec_freins)) or 0.0
            for code in Frein.values
        },
        "quartier_pct": _parts([p.quartier.nom for p in passages if p.quartier]),
        "qpv_pct": _pct(
            sum(1 for p in passages if p.quartier and p.quartier.qpv), sum(1 for p in passages if p.quartier)
        ),
    }
    for nom in lieux:
        u = sum(1 for p in passages if p.permanence.lieu.nom == nom)
        t = sum(1 for p in tenues if p.lieu.nom == nom)
        permanences["par_lieu"][nom] = {
            "usagers_recus": u,
            "permanences_tenues": t,
            "refus": sum(1 for r in a.refus if r.permanence.lieu.nom == nom),
            "moyenne_usagers_par_permanence": round(u / t, 2) if t else None,
        }
    demarches_rdv = Counter(
        r.demarche.code for r in ccas_h if r.type_demande == TypeDemande.DEMARCHE_EN_LIGNE
    )
    rendez_vous = {
        "realises": len(ccas_h),
        "absents": sum(1 for r in ccas if r.statut == StatutRendezVous.ABSENT),
        "duree_moyenne_minutes": round(sum(r.duree_minutes for r in ccas_h) / len(ccas_h), 2),
        "duree_max_minutes": max(r.duree_minutes for r in ccas_h),
        "types_demande_pct": _parts([r.type_demande for r in ccas_h], TypeDemande.values),
        "demarches_pct": {c: _pct(k, sum(demarches_rdv.values())) for c, k in demarches_rdv.items()},
    }
    arcs = {
        "rendez_vous_tenus": len(arcs_h),
        "par_lieu": dict(Counter(r.lieu.nom for r in arcs_h)),
        "tranche_age_pct": _parts([r.tranche_age for r in arcs_h], TrancheAge.values),
        "genre_pct": _parts([r.genre for r in arcs_h], Genre.values),
    }
    programmees = len(a.sessions)
    annulees = sum(1 for s in a.sessions if s.statut == StatutSession.ANNULEE)
    formations = {
        "sessions_programmees": programmees,
        "sessions_tenues": sum(1 for s in a.sessions if s.statut == StatutSession.TENUE),
        "sessions_annulees": annulees,
        "taux_annulation_pct": _pct(annulees, programmees),
        "inscriptions": len(a.inscriptions),
        "participants": len(presents),
        "themes": len({s.theme_id for s in a.sessions}),
        "inscriptions_par_theme": dict(Counter(i.session.theme.nom for i in a.inscriptions)),
        "structures_pct": _parts([i.structure.nom for i in presents]),
        "accompagnements_individuels": len(a.accompagnements),
        "duree_moyenne_accompagnement_minutes": round(
            sum(x.duree_minutes for x in a.accompagnements) / len(a.accompagnements), 2
        ),
    }
    return {"permanences": permanences, "rendez_vous": rendez_vous, "arcs": arcs, "formations": formations}
