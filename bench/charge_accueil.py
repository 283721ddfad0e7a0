"""Test de charge de l'accueil : N agents pointent en même temps ; rien ne doit se perdre ni se doubler.

Lance l'application sous gunicorn (commande et réglages de production, inclusion/gunicorn.py) sur 127.0.0.1
contre une base PostgreSQL dédiée (créée puis supprimée), puis N clients (50 par défaut) se connectent comme
agents d'accueil de 5 lieux et envoient des pointages pendant une durée fixe. Un pointage sans réponse en 2 s
(`--delai`) est renvoyé avec le même UUID. Bornes : nombre de clients, durée et tentatives par pointage ; le script
s'arrête seul.

Deux phases, sur le même serveur et les mêmes sessions :
1. « Débit maximal » : chaque agent pointe sans pause ; donne le débit que la machine tient. La latence y
   vaut clients ÷ débit (loi de Little) : elle mesure la file d'attente qu'on a créée, pas le service.
2. « Latence au rythme visé » : les agents pointent ensemble à 110 % du débit visé (330 pointages/s pour
   300) ; la latence d'un pointage court de l'instant où l'agent voulait pointer jusqu'à l'acquittement,
   nouvelles tentatives comprises (un serveur en retard allonge les latences au lieu de ralentir la mesure).
Objectifs (2 cœurs) : 0 perdu, 0 doublon, ≥ 300 pointages/s, p95 < 100 ms à ce débit. Code de sortie 0
s'ils sont tous tenus.

    python bench/charge_accueil.py [--clients 50] [--duree 20] [--cadence X] [--delai 2] [--workers N] [--threads N]
"""

import argparse
import asyncio
import json
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _base import RACINE, base_temporaire, centile, preparer_django  # noqa: E402
from _client_http import DELAI, HOTE, MOT_DE_PASSE, Client, EchecReseau  # noqa: E402
from mesures import enregistrer, nombre  # noqa: E402

TENTATIVES = 5
OBJECTIF_DEBIT = 300  # pointages/s
OBJECTIF_P95_MS = 100
MARGE = 1.1  # rythme de la phase de latence : 10 % au-dessus du débit visé


def temps_cpu(serveur_pid):
    """Secondes de CPU consommées jusqu'ici par l'application (gunicorn), PostgreSQL et ce script."""
    tic = os.sysconf("SC_CLK_TCK")
    cpu = {"application": 0.0, "postgresql": 0.0, "clients": 0.0}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        nom = stat[stat.index("(") + 1 : stat.rindex(")")]
        champs = stat[stat.rindex(")") + 2 :].split()
        secondes = (int(champs[11]) + int(champs[12])) / tic
        if int(pid) == os.getpid():
            cpu["clients"] += secondes
        elif int(pid) == serveur_pid or int(champs[1]) == serveur_pid:
            cpu["application"] += secondes
        elif nom == "postgres":
            cpu["postgresql"] += secondes
    return cpu


def attendre_les_processus(port, nombre, delai=60):
    """Attend que les `nombre` processus gunicorn écoutent chacun sur le port (SO_REUSEPORT).

    Sinon les 50 connexions persistantes iraient toutes au premier prêt, et la mesure aussi.
    """
    fin = time.monotonic() + delai
    while time.monotonic() < fin:
        with open("/proc/net/tcp") as f:
            lignes = [ligne.split() for ligne in f.readlines()[1:]]
        # Colonnes : adresse locale (IP:port en hexadécimal), distante, état (0A : LISTEN).
        if sum(1 for c in lignes if c[3] == "0A" and int(c[1].split(":")[1], 16) == port) >= nombre:
            return
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn n'écoute pas sur le port {port} avec {nombre} processus")


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


async def agent(client, permanence, debut, duree, cadence, delai):
    """Pointe jusqu'à la fin de la durée.

    Renvoie (UUID envoyés, UUID acquittés, acquittés comme créés, échecs, tentatives, latences).

    Latence d'un pointage : de l'instant où l'agent veut pointer à l'acquittement, nouvelles tentatives
    comprises. Avec une cadence, cet instant est celui prévu par le rythme de l'agent, même si la réponse
    précédente l'a retardé (sinon un serveur lent ralentirait la mesure au lieu d'allonger les latences).
    """
    boucle = asyncio.get_running_loop()
    fin = debut + duree
    envoyes, acquittes, latences = [], [], []
    crees = echecs = tentatives = 0
    # Agents décalés les uns des autres (sinon ils pointeraient tous au même instant).
    prochain = debut + (random.uniform(0, 1 / cadence) if cadence else 0)
    while boucle.time() < fin:
        if cadence:  # un agent réel pointe à son rythme : on attend l'instant prévu du prochain pointage
            await asyncio.sleep(max(0.0, prochain - boucle.time()))
            voulu, prochain = prochain, prochain + 1 / cadence
        else:
            voulu = boucle.time()
        identifiant = str(uuid.uuid4())
        corps = json.dumps(
            {
                "uuid": identifiant,
                "type": "arrivee",
                "permanence": permanence,
                "horodatage": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            }
        ).encode()
        envoyes.append(identifiant)
        for _ in range(TENTATIVES):
            tentatives += 1
            try:
                statut, contenu = await client.requete(
                    "POST", "/permanences/accueil/pointer/", corps, "application/json", delai
                )
            except EchecReseau:
                continue  # même UUID renvoyé
            if statut in (200, 201):
                latences.append(boucle.time() - voulu)
                acquittes.append(identifiant)
                crees += json.loads(contenu)["cree"]
                break
        else:
            echecs += 1
    client.fermer()
    return envoyes, acquittes, crees, echecs, tentatives, latences


def compter_arrivees():
    """(lignes, ensemble des UUID) de la table des arrivées ; appelé hors de la boucle asyncio."""
    from django.db import connections

    from permanences.models import Arrivee

    try:
        return Arrivee.objects.count(), {str(u) for u in Arrivee.objects.values_list("uuid", flat=True)}
    finally:
        connections.close_all()


@dataclass
class Phase:
    nom: str
    cadence: float  # pointages/s par agent ; 0 : sans pause
    objectif_latence: bool  # la p95 compte-t-elle pour les objectifs ?
    envoyes: set = field(default_factory=set)  # UUID
    acquittes: set = field(default_factory=set)
    stockes: set = field(default_factory=set)
    lignes: int = 0  # lignes écrites pendant la phase (une par UUID si rien n'est doublé)
    crees: int = 0
    echecs: int = 0
    tentatives: int = 0
    ecoule: float = 0.0
    latences: list = field(default_factory=list)
    cpu: dict = field(default_factory=dict)

    @property
    def debit(self):
        return len(self.acquittes) / self.ecoule if self.ecoule else 0.0

    @property
    def perdus(self):
        """Acquittés à l'agent mais absents de la base."""
        return len(self.acquittes - self.stockes)

    @property
    def doublons(self):
        """Lignes en trop pour un même UUID, ou pointages annoncés « créés » plus souvent que stockés."""
        return self.lignes - len(self.stockes) + max(0, self.crees - len(self.stockes))

    @property
    def integre(self):
        # Un pointage stocké mais pas encore acquitté n'est pas perdu : la tablette le renverra (même UUID).
        inconnus = self.stockes - self.envoyes
        return bool(self.envoyes) and not self.perdus and not self.doublons and not inconnus

    @property
    def objectifs_atteints(self):
        p95 = centile(self.latences, 95)
        latence_tenue = not self.objectif_latence or p95 < OBJECTIF_P95_MS
        return self.debit >= OBJECTIF_DEBIT and latence_tenue and not self.echecs


async def campagne(port, agents, duree, phases, serveur_pid, delai=DELAI):
    """Connecte tous les agents, puis, phase après phase, les fait pointer ensemble pendant `duree`."""
    clients = [Client(port) for _ in agents]
    await asyncio.gather(*(c.connecter(username) for c, (username, _) in zip(clients, agents, strict=True)))
    boucle = asyncio.get_running_loop()
    for phase in phases:
        avant = await asyncio.to_thread(compter_arrivees)
        debut, cpu_debut = boucle.time(), temps_cpu(serveur_pid)
        resultats = await asyncio.gather(
            *(
                agent(c, permanence, debut, duree, phase.cadence, delai)
                for c, (_, permanence) in zip(clients, agents, strict=True)
            )
        )
        phase.ecoule = boucle.time() - debut
        phase.cpu = {k: v - cpu_debut[k] for k, v in temps_cpu(serveur_pid).items()}
        apres = await asyncio.to_thread(compter_arrivees)
        phase.lignes, phase.stockes = apres[0] - avant[0], apres[1] - avant[1]
        for envoyes, acquittes, crees, echecs, tentatives, latences in resultats:
            phase.envoyes.update(envoyes)
            phase.acquittes.update(acquittes)
            phase.crees += crees
            phase.echecs += echecs
            phase.tentatives += tentatives
            phase.latences += [x * 1000 for x in latences]


def afficher(phase, nb_clients):
    rythme = f"{phase.cadence:g} pointages/s par agent" if phase.cadence else "sans pause"
    print(f"\n== {phase.nom} : {nb_clients} agents, {rythme}, {phase.ecoule:.1f} s")
    envoyes = len(phase.envoyes)
    print(f"pointages envoyés    : {envoyes} ({phase.tentatives - envoyes} nouvelles tentatives, même UUID)")
    print(f"acquittés            : {len(phase.acquittes)}")
    print(f"stockés              : {len(phase.stockes)}")
    print(f"perdus (acquittés non stockés) : {phase.perdus}")
    print(f"doublons             : {phase.doublons}")
    print(f"sans réponse après {TENTATIVES} essais : {phase.echecs}")
    print(f"débit                : {phase.debit:.0f} pointages/s")
    print(
        "CPU par pointage     : "
        + ", ".join(f"{nom} {1000 * v / max(len(phase.acquittes), 1):.2f} ms" for nom, v in phase.cpu.items())
        + f" (machine occupée à {100 * sum(phase.cpu.values()) / phase.ecoule / os.cpu_count():.0f} %)"
    )
    p50, p95, p99 = (centile(phase.latences, p) for p in (50, 95, 99))
    print(f"latence p50 / p95 / p99 : {p50:.1f} / {p95:.1f} / {p99:.1f} ms")
    print("intégrité            :", "rien de perdu ni de doublé" if phase.integre else "ÉCART")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duree", type=float, default=20.0, help="secondes par phase")
    parser.add_argument("--workers", type=int, help="processus gunicorn (défaut : inclusion/gunicorn.py)")
    parser.add_argument("--threads", type=int, help="fils par processus (défaut : inclusion/gunicorn.py)")
    parser.add_argument(
        "--cadence",
        type=float,
        help="une seule phase, à ce rythme (pointages/s par agent ; 0 : sans pause)",
    )
    parser.add_argument(
        "--delai",
        type=float,
        default=DELAI,
        help="secondes sans réponse avant de renvoyer un pointage (court : éprouve le rejeu sans doublon)",
    )
    args = parser.parse_args()
    args.delai = max(0.01, min(args.delai, 10.0))
    args.clients = max(1, min(args.clients, 200))
    args.duree = max(1.0, min(args.duree, 300.0))
    if args.cadence is not None:
        phases = [Phase("Phase unique", max(0.0, min(args.cadence, 100.0)), objectif_latence=True)]
    else:
        phases = [
            Phase("Débit maximal", 0.0, objectif_latence=False),
            Phase("Latence au rythme visé", MARGE * OBJECTIF_DEBIT / args.clients, objectif_latence=True),
        ]

    sys.path.insert(0, str(RACINE))
    from inclusion import gunicorn as reglages

    workers = args.workers or reglages.workers
    threads = args.threads or reglages.threads
    with base_temporaire("inclusion_charge") as url:
        preparer_django(url, settings="inclusion.settings.base")
        agents = preparer_donnees(args.clients)
        port = port_libre()
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "inclusion.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(64),  # assez variée pour les réglages de production
            "ALLOWED_HOSTS": HOTE,
            "SECURE_SSL_REDIRECT": "false",
            "CONN_MAX_AGE": "60",
            "AXES_FAILURE_LIMIT": "1000",
            "GUNICORN_BIND": f"{HOTE}:{port}",
        }
        if args.workers:
            env["WEB_CONCURRENCY"] = str(args.workers)
        if args.threads:
            env["GUNICORN_THREADS"] = str(args.threads)
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        statiques = tempfile.mkdtemp(prefix="inclusion-statiques-")
        env["STATIC_ROOT"] = statiques
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=RACINE,
            env=env,
            check=True,
        )
        # La commande de production du README, rien de plus.
        commande = [
            "-m",
            "gunicorn",
            "-c",
            "python:inclusion.gunicorn",
            "inclusion.wsgi",
            "--log-level",
            "warning",
        ]
        serveur = subprocess.Popen([sys.executable, *commande], cwd=RACINE, env=env, start_new_session=True)
        try:
            attendre_les_processus(port, workers)
            asyncio.run(campagne(port, agents, args.duree, phases, serveur.pid, args.delai))
        finally:
            os.killpg(serveur.pid, signal.SIGTERM)
            serveur.wait(timeout=30)
            shutil.rmtree(statiques, ignore_errors=True)

    print(
        f"gunicorn : {workers} processus × {threads} fils ; PostgreSQL et client de charge sur la même machine"
    )
    for phase in phases:
        afficher(phase, args.clients)
    integre = all(phase.integre for phase in phases)
    objectifs = all(phase.objectifs_atteints for phase in phases)
    _enregistrer(phases)
    print(f"\nINTÉGRITÉ : {'rien de perdu ni de doublé' if integre else 'ÉCART'}")
    print(
        f"OBJECTIFS (≥ {OBJECTIF_DEBIT} pointages/s ; p95 < {OBJECTIF_P95_MS} ms à ce débit) :",
        "atteints" if objectifs else "NON ATTEINTS",
    )
    return 0 if integre and objectifs else 1


def _enregistrer(phases):
    """Les lignes de ce script au tableau « Mesures » (bench/mesures.json) : débit maximal (phase sans pause) et
    latence au rythme visé (phase dont la p95 compte)."""
    for phase in phases:
        etat = (
            "rien de perdu ni de doublé"
            if phase.integre
            else f"{phase.perdus} perdus, {phase.doublons} doublons"
        )
        if phase.objectif_latence:
            valeur = f"{nombre(phase.debit, 0)} pointages/s, p95 {nombre(centile(phase.latences, 95), 0)} ms, {etat}"
            enregistrer("charge.rythme_vise", valeur, outil="`make charge`")
        elif not phase.cadence:
            enregistrer(
                "charge.debit_maximal", f"{nombre(phase.debit, 0)} pointages/s, {etat}", outil="`make charge`"
            )


if __name__ == "__main__":
    sys.exit(main())
