"""Test de charge de l'accueil : N agents pointent en même temps ; rien ne doit se perdre ni se doubler.

Lance l'application sous gunicorn sur 127.0.0.1 contre une base PostgreSQL dédiée (créée puis supprimée),
puis N clients (50 par défaut) se connectent comme agents d'accueil de plusieurs lieux et envoient des
pointages pendant une durée fixe. Un pointage sans réponse à temps est renvoyé avec le même UUID.
Bornes : nombre de clients, durée, et tentatives par pointage ; le script s'arrête seul.

    python bench/charge_accueil.py [--clients 50] [--duree 20] [--workers 3] [--cadence 0]
"""

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _base import RACINE, base_temporaire, centile, preparer_django  # noqa: E402

HOTE = "127.0.0.1"
MOT_DE_PASSE = "charge-accueil-2024"
TENTATIVES = 5
# BENCH_KEEPALIVE=0 : une connexion par requête (pour comparer avec des workers sync).
GARDER_CONNEXION = os.environ.get("BENCH_KEEPALIVE", "1") == "1"


def port_libre():
    with socket.socket() as s:
        s.bind((HOTE, 0))
        return s.getsockname()[1]


def preparer_donnees(nb_agents, nb_lieux=5):
    from django.contrib.auth.models import Group, User
    from django.utils import timezone

    from inclusion.enums import Fonction
    from inclusion.models import Intervenant, Lieu, Structure
    from permanences.models import Permanence

    ccas = Structure.objects.create(nom="CCAS")
    groupe = Group.objects.get(name="accueil")
    permanences = {}
    for i in range(nb_lieux):
        lieu = Lieu.objects.create(nom=f"ESC {i}")
        permanences[lieu.pk] = Permanence.objects.create(
            date=timezone.localdate(), lieu=lieu, heure_debut="00:00", heure_fin="23:59"
        ).pk
    from django.contrib.auth.hashers import make_password

    empreinte = make_password(MOT_DE_PASSE)  # une seule fois : le hachage est volontairement lent
    agents = []
    for i in range(nb_agents):
        user = User.objects.create(username=f"agent{i}", password=empreinte)
        user.groups.add(groupe)
        fiche = Intervenant.objects.create(
            nom=f"Agent {i}", structure=ccas, fonction=Fonction.AGENT_ACCUEIL, user=user
        )
        lieu_id = list(permanences)[i % nb_lieux]
        fiche.lieux.add(lieu_id)
        agents.append((user.username, permanences[lieu_id]))
    return agents


class Client:
    """Un agent : sa connexion HTTP persistante, sa session et son jeton CSRF (cookies gérés à la main)."""

    def __init__(self, port, username):
        self.port, self.cookies = port, {}
        self.cx = http.client.HTTPConnection(
            HOTE, port, timeout=60
        )  # connexion : hachage lent, volontairement
        page = self.requete("GET", "/connexion/")
        jeton = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        corps = urllib.parse.urlencode(
            {"username": username, "password": MOT_DE_PASSE, "csrfmiddlewaretoken": jeton}
        )
        self.requete("POST", "/connexion/", corps, {"Content-Type": "application/x-www-form-urlencoded"})
        if "sessionid" not in self.cookies:
            raise RuntimeError(f"connexion impossible pour {username}")
        self.cx.timeout = 2
        self.cx.close()
        self.cx = http.client.HTTPConnection(HOTE, port, timeout=2)

    def requete(self, methode, chemin, corps=None, entetes=None):
        entetes = dict(entetes or {})
        entetes["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        entetes["X-Forwarded-Proto"] = "https"  # derrière un proxy HTTPS, comme en production
        entetes["Referer"] = f"https://{HOTE}:{self.port}/"
        entetes["Host"] = f"{HOTE}:{self.port}"
        if not GARDER_CONNEXION:
            entetes["Connection"] = "close"
        if "csrftoken" in self.cookies:
            entetes["X-CSRFToken"] = self.cookies["csrftoken"]
        try:
            self.cx.request(methode, chemin, body=corps, headers=entetes)
            reponse = self.cx.getresponse()
            contenu = reponse.read()
        except (OSError, http.client.HTTPException):
            self.cx.close()
            self.cx = http.client.HTTPConnection(HOTE, self.port, timeout=2)
            raise
        for entete, valeur in reponse.getheaders():
            if entete.lower() == "set-cookie":
                nom, _, reste = valeur.partition("=")
                self.cookies[nom.strip()] = reste.split(";", 1)[0]
        self.statut = reponse.status
        return contenu


def agent(port, username, permanence, depart, duree, cadence, resultats, verrou):
    client = Client(port, username)
    depart.wait()  # tous connectés : la mesure commence ensemble
    fin = time.monotonic() + duree
    envoyes = acquittes = crees = echecs = 0
    latences = []
    # Agents décalés les uns des autres (sinon ils pointeraient tous au même instant).
    prochain = time.monotonic() + (random.uniform(0, 1 / cadence) if cadence else 0)
    while time.monotonic() < fin:
        if cadence:  # un agent réel pointe à son rythme : on attend l'instant prévu du prochain pointage
            prochain += 1 / cadence
            time.sleep(max(0.0, prochain - time.monotonic()))
        corps = json.dumps(
            {
                "uuid": str(uuid.uuid4()),
                "type": "arrivee",
                "permanence": permanence,
                "horodatage": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            }
        )
        envoyes += 1
        for _ in range(TENTATIVES):
            debut = time.perf_counter()
            try:
                contenu = client.requete(
                    "POST", "/permanences/accueil/pointer/", corps, {"Content-Type": "application/json"}
                )
            except (OSError, http.client.HTTPException):
                continue  # même UUID renvoyé
            latences.append(time.perf_counter() - debut)
            if client.statut in (200, 201):
                acquittes += 1
                crees += json.loads(contenu)["cree"]
                break
        else:
            echecs += 1
    with verrou:
        resultats.append((envoyes, acquittes, crees, echecs, latences))


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duree", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument(
        "--cadence",
        type=float,
        default=0.0,
        help="pointages par seconde et par agent (0 : aussi vite que possible)",
    )
    args = parser.parse_args()
    args.clients = max(1, min(args.clients, 200))
    args.duree = max(1.0, min(args.duree, 300.0))

    with base_temporaire("inclusion_charge") as url:
        preparer_django(url, settings="inclusion.settings.base")
        agents = preparer_donnees(args.clients)
        port = port_libre()
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "inclusion.settings.production",
            "SECRET_KEY": "charge-" + uuid.uuid4().hex * 2,
            "ALLOWED_HOSTS": HOTE,
            "SECURE_SSL_REDIRECT": "false",
            "CONN_MAX_AGE": "60",
            "AXES_FAILURE_LIMIT": "1000",
        }
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        statiques = tempfile.mkdtemp(prefix="inclusion-statiques-")
        env["STATIC_ROOT"] = statiques
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=RACINE,
            env=env,
            check=True,
        )
        serveur = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "inclusion.wsgi",
                "--bind",
                f"{HOTE}:{port}",
                "--workers",
                str(args.workers),
                "--worker-class",
                os.environ.get("BENCH_WORKER_CLASS", "gthread"),
                "--threads",
                os.environ.get("BENCH_THREADS", "4"),
                "--log-level",
                "warning",
            ],
            cwd=RACINE,
            env=env,
            start_new_session=True,
        )
        try:
            for _ in range(100):
                try:
                    socket.create_connection((HOTE, port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.1)
            resultats, verrou = [], threading.Lock()
            depart = threading.Barrier(len(agents) + 1, timeout=120)
            fils = [
                threading.Thread(
                    target=agent, args=(port, u, p, depart, args.duree, args.cadence, resultats, verrou)
                )
                for u, p in agents
            ]
            for f in fils:
                f.start()
            depart.wait()
            debut = time.monotonic()
            for f in fils:
                f.join(timeout=args.duree + 60)
            ecoule = time.monotonic() - debut
        finally:
            os.killpg(serveur.pid, signal.SIGTERM)
            serveur.wait(timeout=30)
            shutil.rmtree(statiques, ignore_errors=True)
        from permanences.models import Arrivee

        stockes = Arrivee.objects.count()
        uuids = Arrivee.objects.values("uuid").distinct().count()
        from django.db import connections

        connections.close_all()

    envoyes = sum(r[0] for r in resultats)
    acquittes = sum(r[1] for r in resultats)
    crees = sum(r[2] for r in resultats)
    echecs = sum(r[3] for r in resultats)
    latences = [x * 1000 for r in resultats for x in r[4]]
    rythme = f"{args.cadence:g} pointage(s)/s par agent" if args.cadence else "sans pause"
    print(
        f"Clients : {args.clients} ({rythme}), durée : {ecoule:.1f} s, gunicorn : {args.workers} workers × 4 fils"
    )
    print(f"pointages envoyés    : {envoyes}")
    print(f"acquittés            : {acquittes}")
    print(f"stockés              : {stockes}")
    print(f"perdus (acquittés non stockés) : {acquittes - min(acquittes, stockes)}")
    print(f"doublons             : {stockes - uuids + (crees - stockes if crees > stockes else 0)}")
    print(f"sans réponse après {TENTATIVES} essais : {echecs}")
    print(f"débit                : {acquittes / ecoule:.0f} pointages/s")
    print(
        f"latence p50 / p95 / p99 : {centile(latences, 50):.1f} / {centile(latences, 95):.1f} / {centile(latences, 99):.1f} ms"
    )
    ok = (
        len(resultats) == args.clients
        and envoyes > 0
        and stockes == acquittes
        and stockes == uuids
        and echecs == 0
    )
    if len(resultats) != args.clients:
        print(f"{args.clients - len(resultats)} clients n'ont pas pu travailler (connexion refusée ?)")
    print("RÉSULTAT :", "rien de perdu ni de doublé" if ok else "ÉCART")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
