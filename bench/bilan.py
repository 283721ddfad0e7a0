"""Performance du Bilan et du tableau de bord, mesurée contre le plancher SQL, à 100 000 et 1 000 000 passages.

Pour chaque taille, dans une base PostgreSQL dédiée (créée puis supprimée) :
1. jeu synthétique sur 10 ans, 30 lieux, 100 intervenants, avec refus, rendez-vous, formations et inscriptions
   en proportion, écrit par COPY ;
2. pour l'année la plus récente, médiane de 5 mesures après un tour de chauffe : (a) le plancher, les mêmes
   requêtes SQL d'agrégat que le Bilan, jouées directement avec psycopg ; (b) le Bilan JSON ; (c) le Bilan
   HTML ; (d) le premier rendu du Bilan PDF et HTML (rien de stocké : ce que fait le processus de fond) ; (d') le
   Bilan PDF téléchargé une fois rendu (fichier stocké, servi en flux) ; (e) le tableau de bord sur 3 mois et
   3 lieux ; avec le rapport à (a), le nombre de requêtes SQL et la mémoire maximale (RSS) du processus.

    python bench/bilan.py [--tailles 100000 1000000]
"""

import argparse
import datetime
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _base import base_temporaire, preparer_django  # noqa: E402
from mesures import enregistrer, nombre  # noqa: E402

DERNIERE_ANNEE = 2025
NB_LIEUX, NB_INTERVENANTS = 30, 100


def seed(url, nb_passages, nb_annees):
    """Jeu synthétique ; renvoie la durée d'écriture."""
    import psycopg
    from django.utils import timezone

    from formations.models import AccompagnementFormation, Inscription, SessionFormation, Theme
    from inclusion.models import Demarche, Intervenant, Lieu, Structure
    from permanences.models import Creneau
    from rapports.models import ChiffreExterne

    debut = time.perf_counter()
    ANNEES = list(range(DERNIERE_ANNEE - nb_annees + 1, DERNIERE_ANNEE + 1))  # noqa: N806
    rng = random.Random(42)
    structures = [
        Structure.objects.create(nom=n) for n in ("CCAS", "ARCS", "CDAS", "ERE", "CAF", "Centre social")
    ]
    lieux = Lieu.objects.bulk_create([Lieu(nom=f"ESC {i:02d}") for i in range(NB_LIEUX)])
    intervenants = Intervenant.objects.bulk_create(
        [
            Intervenant(
                nom=f"Intervenant {i:03d}",
                structure=structures[0 if i < 80 else 1],
                fonction="mediateur" if i < 80 else "informaticien_public",
            )
            for i in range(NB_INTERVENANTS)
        ]
    )
    for i, lieu in enumerate(lieux):
        Creneau.objects.create(
            lieu=lieu,
            jour_semaine=i % 5,
            heure_debut=datetime.time(9),
            heure_fin=datetime.time(12),
            valide_du=datetime.date(2016, 1, 1),
        )
    demarches = list(Demarche.objects.values_list("pk", flat=True))
    themes = [Theme.objects.create(nom=f"Thème {i}") for i in range(11)]
    jours = [
        d
        for a in ANNEES
        for d in (datetime.date(a, 1, 1) + datetime.timedelta(days=k) for k in range(365))
        if d.weekday() < 5 and d.year == a
    ]
    # Environ 12 passages par permanence : le nombre de permanences suit la taille.
    nb_permanences = max(len(ANNEES) * 50, nb_passages // 12)
    permanences = [(rng.choice(jours), rng.randrange(NB_LIEUX)) for _ in range(nb_permanences)]
    permanences = sorted(set(permanences))
    sessions, inscriptions, accompagnements = [], [], []
    for annee in ANNEES:
        for k in range(65):
            sessions.append(
                SessionFormation(
                    theme=themes[k % 11],
                    date=datetime.date(annee, 1 + k % 12, 1 + k % 27),
                    lieu=lieux[k % NB_LIEUX],
                    statut=rng.choice(["tenue", "tenue", "annulee", "programmee"]),
                )
            )
        accompagnements += [
            AccompagnementFormation(
                date=datetime.date(annee, 6, 1),
                duree_minutes=rng.randint(30, 240),
                structure=rng.choice(structures),
            )
            for _ in range(17)
        ]
    SessionFormation.objects.bulk_create(sessions)
    for s in SessionFormation.objects.all():
        inscriptions += [
            Inscription(
                session=s,
                nom=f"P{s.pk}-{k}",
                structure=rng.choice(structures),
                present=rng.choice(["oui", "non", "inconnue"]),
            )
            for k in range(4)
        ]
    Inscription.objects.bulk_create(inscriptions, batch_size=5000)
    AccompagnementFormation.objects.bulk_create(accompagnements)
    ChiffreExterne.objects.create(
        annee=ANNEES[-1], indicateur="dispositif.personnes_recues_externes", valeur=4151
    )

    ids_lieux = [lieu.pk for lieu in lieux]
    ids_inter = [i.pk for i in intervenants]
    maintenant = timezone.now()
    with psycopg.connect(url) as cx, cx.cursor() as cur:
        with cur.copy(
            "COPY permanences_permanence (id, date, lieu_id, heure_debut, heure_fin, annulee, motif_annulation) FROM STDIN"
        ) as c:
            for pk, (jour, lieu) in enumerate(permanences, start=1):
                c.write_row(
                    (pk, jour, ids_lieux[lieu], datetime.time(9), datetime.time(12), rng.random() < 0.05, "")
                )
        cur.execute(
            "SELECT setval(pg_get_serial_sequence('permanences_permanence', 'id'), %s)", [len(permanences)]
        )
        with cur.copy(
            "COPY permanences_permanence_intervenants (permanence_id, intervenant_id) FROM STDIN"
        ) as c:
            for pk in range(1, len(permanences) + 1):
                for i in rng.sample(ids_inter[:80], 2):
                    c.write_row((pk, i))
        with cur.copy(
            "COPY permanences_passage (permanence_id, type_demande, demarche_id, duree_minutes, autonomie, tranche_age, "
            "genre, autre_venue_necessaire, attente_minutes, note, cree_le, modifie_le, intervenant_id, date, freins) FROM STDIN"
        ) as c:
            # Dans l'ordre chronologique, comme une équipe les saisit ou les importe année après année.
            for permanence in sorted(rng.randint(1, len(permanences)) for _ in range(nb_passages)):
                en_ligne = rng.random() < 0.9
                c.write_row(
                    (
                        permanence,
                        "demarche_en_ligne" if en_ligne else "accompagnement_technique",
                        rng.choice(demarches) if en_ligne else None,
                        rng.randint(5, 120),
                        rng.choice(["autonome", "partiellement_autonome", "accompagne", "fait_a_sa_place"]),
                        rng.choice(["18_24", "25_39", "40_59", "60_69", "70_plus"]),
                        rng.choice(["feminin", "masculin"]),
                        rng.random() < 0.3,
                        rng.choice([None, 5, 20]),
                        "",
                        maintenant,
                        maintenant,
                        rng.choice(ids_inter[:80]),
                        permanences[permanence - 1][0],
                        "",
                    )
                )
        with cur.copy(
            "COPY permanences_refus (uuid, permanence_id, horodatage, enregistre_le, modifie_le, motif, date) FROM STDIN"
        ) as c:
            for permanence in sorted(rng.randint(1, len(permanences)) for _ in range(nb_passages // 5)):
                c.write_row(
                    (
                        uuid.uuid4(),
                        permanence,
                        maintenant,
                        maintenant,
                        maintenant,
                        "complet",
                        permanences[permanence - 1][0],
                    )
                )
        with cur.copy(
            "COPY permanences_rendezvous (service, lieu_id, intervenant_id, date, heure, duree_prevue_minutes, duree_minutes, "
            "motif, statut, type_demande, demarche_id, tranche_age, genre, nom_contact, telephone_contact, modifie_le) FROM STDIN"
        ) as c:
            for _ in range(nb_passages // 10):
                arcs = rng.random() < 0.5
                honore = rng.random() < 0.8
                c.write_row(
                    (
                        "arcs" if arcs else "ccas",
                        rng.choice(ids_lieux),
                        rng.choice(ids_inter[80:] if arcs else ids_inter[:80]),
                        rng.choice(jours),
                        datetime.time(14),
                        45,
                        rng.randint(20, 90) if honore else None,
                        "",
                        "honore" if honore else "absent",
                        "demarche_en_ligne",
                        rng.choice(demarches),
                        rng.choice(["25_39", "40_59", "60_69"]),
                        rng.choice(["feminin", "masculin"]),
                        "",
                        "",
                        maintenant,
                    )
                )
        cur.execute("ANALYZE")
    return time.perf_counter() - debut, len(permanences)


def chrono(fonction, repetitions=5):
    """(médiane de `repetitions` mesures après un tour de chauffe, durée du tour de chauffe)."""
    t = time.perf_counter()
    fonction()  # chauffe
    premiere = time.perf_counter() - t
    durees = []
    for _ in range(repetitions):
        t = time.perf_counter()
        fonction()
        durees.append(time.perf_counter() - t)
    return statistics.median(durees), premiere


def premier_rendu(annee):
    """Le rendu d'une année dont rien n'est stocké (les rendus précédents effacés d'abord)."""
    from rapports.models import RenduBilan
    from rapports.rendus import rendre

    for rendu in RenduBilan.objects.filter(annee=annee):
        rendu.fichier.delete(save=False)
        rendu.delete()
    return rendre(annee)


def telecharger(client, adresse):
    """Les octets d'une page ou d'un document servi en flux (FileResponse), lus jusqu'au bout."""
    reponse = client.get(adresse)
    assert reponse.status_code == 200, (adresse, reponse.status_code)
    contenu = b"".join(reponse.streaming_content) if reponse.streaming else reponse.content
    assert contenu, adresse
    return contenu


def rss_mo():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


REPETITIONS = int(os.environ.get("BENCH_REPETITIONS", "5"))


def mesurer(nb_passages, nb_annees):
    with base_temporaire(f"inclusion_bench_{nb_passages}", migree=True) as url:
        os.environ["ALLOWED_HOSTS"] = "testserver"
        preparer_django(url, settings="inclusion.settings.test")
        duree_seed, nb_permanences = seed(url, nb_passages, nb_annees)
        import psycopg
        from django.contrib.auth.models import Group, User
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from rapports.bilan import bilan_json

        annee = DERNIERE_ANNEE
        user = User.objects.create(username="coordination", is_staff=True)
        user.groups.add(Group.objects.get(name="coordination"))
        client = Client()
        client.force_login(user)
        lieux = "&".join(f"lieux={pk}" for pk in range(1, 4))
        operations = {
            "(b) Bilan JSON": lambda: json.dumps(bilan_json(annee)),
            "(c) Bilan HTML": lambda: telecharger(client, f"/rapports/bilan/{annee}/"),
            "(d) Bilan PDF, premier rendu": lambda: premier_rendu(annee),
            "(d') Bilan PDF stocké": lambda: telecharger(client, f"/rapports/bilan/{annee}.pdf"),
            "(e) tableau de bord 3 mois, 3 lieux": lambda: telecharger(
                client, f"/rapports/?debut={annee}-04-01&fin={annee}-06-30&{lieux}"
            ),
        }
        # Le plancher : les requêtes d'agrégat du Bilan, jouées telles quelles avec psycopg.
        with CaptureQueriesContext(connection) as ctx:
            bilan_json(annee)
        requetes = [q["sql"] for q in ctx.captured_queries]
        with psycopg.connect(url) as cx:

            def plancher():
                for sql in requetes:
                    cx.execute(sql).fetchall()

            resultats = {"(a) plancher SQL": (*chrono(plancher, REPETITIONS), len(requetes), rss_mo())}
        for nom, operation in operations.items():
            with CaptureQueriesContext(connection) as ctx:
                operation()
            nb_requetes = len(ctx.captured_queries)
            resultats[nom] = (*chrono(operation, REPETITIONS), nb_requetes, rss_mo())
        from django.db import connections

        connections.close_all()
    return {
        "passages": nb_passages,
        "annees": nb_annees,
        "permanences": nb_permanences,
        "seed": duree_seed,
        "resultats": resultats,
    }


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--tailles",
        nargs="+",
        default=["200000:2", "1000000:10", "100000:10"],
        help="passages:années ; par défaut 200 000 sur 2 ans et 1 000 000 sur 10 ans (même volume pour les deux "
        "années que lit le Bilan), puis 100 000 sur 10 ans",
    )
    parser.add_argument("--une", help=argparse.SUPPRESS)
    parser.add_argument(
        "--repetitions", type=int, default=REPETITIONS, help="mesures après le tour de chauffe (médiane)"
    )
    args = parser.parse_args()
    os.environ["BENCH_REPETITIONS"] = str(args.repetitions)
    if args.une:  # une taille, dans un processus à part (mémoire mesurée proprement)
        passages, annees = (int(x) for x in args.une.split(":"))
        print(json.dumps(mesurer(passages, annees)))
        return
    tableaux = []
    for taille in args.tailles:
        sortie = subprocess.run(
            [sys.executable, __file__, "--une", str(taille)], capture_output=True, text=True
        )
        if sortie.returncode:
            print(sortie.stdout, sortie.stderr)
            raise SystemExit("La mesure a échoué.")
        tableaux.append(json.loads(sortie.stdout.strip().splitlines()[-1]))
    print(f"Machine : {os.cpu_count()} cœurs ; année mesurée : {DERNIERE_ANNEE}")
    for t in tableaux:
        plancher = t["resultats"]["(a) plancher SQL"][0]
        entete = f"\n{t['passages']:,} passages sur {t['annees']} an(s), {t['permanences']:,} permanences"
        print(f"{entete} (écrits en {t['seed']:.1f} s)".replace(",", " "))
        print(f"  {'mesure':<40} {'médiane':>9} {'÷ (a)':>7} {'à froid':>9} {'requêtes':>9} {'RSS max':>9}")
        for nom, (duree, froid, requetes, rss) in t["resultats"].items():
            print(
                f"  {nom:<40} {duree * 1000:>7.0f}ms {duree / plancher:>7.2f} {froid * 1000:>7.0f}ms {requetes:>9} {rss:>7.0f}Mo"
            )
    _enregistrer(max(tableaux, key=lambda t: (t["passages"], t["annees"])), args.repetitions)
    if len(tableaux) >= 2:
        a, b = (t["resultats"]["(b) Bilan JSON"][0] for t in tableaux[:2])
        print(
            f"\nBilan JSON d'une année : {tableaux[0]['passages']:,} → {tableaux[1]['passages']:,} passages en base "
            f"→ {b / a:.2f}× le temps".replace(",", " ")
        )


def _enregistrer(t, repetitions):
    """Les lignes de ce script au tableau « Mesures » (bench/mesures.json), pour le plus grand jeu mesuré."""
    jeu = f"jeu de {nombre(t['passages'], 0)} passages sur {t['annees']} an(s)"
    pdf = t["resultats"]["(d) Bilan PDF, premier rendu"][0]
    json_ = t["resultats"]["(b) Bilan JSON"][0]
    outil = "`make bench` (`bench/bilan.py`)"
    enregistrer("bilan.pdf", f"{nombre(pdf)} s (médiane de {repetitions}), {jeu}", outil=outil)
    enregistrer("bilan.json", f"{nombre(json_ * 1000, 0)} ms (médiane de {repetitions}), {jeu}", outil=outil)


if __name__ == "__main__":
    main()
