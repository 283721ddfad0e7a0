"""Les tâches de fond dans les tests : exécutées ici même, comme le ferait `manage.py db_worker`, ou par un vrai
processus de fond lancé par le test (PostgreSQL)."""

import os
import subprocess
import sys

from django.conf import settings
from django.db import connection


def executer_les_taches():
    """Exécute toutes les tâches prêtes de la file, dans ce processus et cette transaction de test, par le code
    même du processus de fond (Worker.run_task) ; renvoie leur nombre."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    ouvrier = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="tests",
        excluded_queue_names=[],
    )
    n = 0
    while (resultat := DBTaskResult.objects.ready().first()) is not None:
        resultat.claim("tests")
        ouvrier.run_task(resultat)
        n += 1
    return n


def environnement_de_la_base_de_test(**variables):
    """L'environnement d'un processus lancé par un test (PostgreSQL) : la base de test de ce processus de pytest
    (DATABASE_URL), les réglages de test, le même MEDIA_ROOT, et les variables données."""
    reglages = connection.settings_dict
    adresse = (
        f"postgres://{reglages['USER']}@{reglages['HOST'] or '127.0.0.1'}:{reglages['PORT'] or 5432}/"
        f"{reglages['NAME']}"
    )
    return {
        **os.environ,
        "DATABASE_URL": adresse,
        "DJANGO_SETTINGS_MODULE": "inclusion.settings.test",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        **variables,
    }


def lancer_un_processus_de_fond(*arguments):
    """Un vrai `manage.py db_worker` sur la base de test (tests transactionnels sur PostgreSQL)."""
    environnement = environnement_de_la_base_de_test()
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--no-startup-delay",
            "--interval",
            "0.1",
            "--no-reload",
            *arguments,
        ],
        cwd=settings.BASE_DIR,
        env=environnement,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def televerser(client, fichier, *, essai=False):
    """Téléverse comme la page d'import, fait tourner la tâche, et renvoie la page de suivi du travail (ou la
    page d'import elle-même si le téléversement est refusé d'emblée)."""
    from django.urls import reverse

    reponse = client.post(reverse("rapports:import"), {"fichier": fichier, "essai": "on" if essai else ""})
    if reponse.status_code != 302:
        return reponse
    executer_les_taches()
    return client.get(reponse["Location"])


def exporter(client, adresse, donnees=None):
    """Demande un export (POST), fait tourner la tâche, et renvoie le téléchargement du document produit."""
    from django.urls import resolve, reverse

    reponse = client.post(adresse, donnees or {})
    assert reponse.status_code == 302, reponse.status_code
    executer_les_taches()
    pk = resolve(reponse["Location"]).kwargs["pk"]
    return client.get(reverse("rapports:traitement_fichier", kwargs={"pk": pk}))


def telecharger_le_bilan(client, annee, format="pdf"):
    """Le Bilan de l'année tel qu'on le télécharge : une année jamais rendue mène d'abord à la page qui suit son
    rendu, mis en file ; la tâche tourne ici, puis le document stocké est servi."""
    from django.urls import reverse

    adresse = reverse(
        "rapports:bilan_pdf" if format == "pdf" else "rapports:bilan_document_html", args=[annee]
    )
    reponse = client.get(adresse)
    if reponse.status_code == 302 and "/travaux/" in reponse["Location"]:
        executer_les_taches()
        reponse = client.get(adresse)
    return reponse


def octets_de(reponse):
    """Les octets d'une réponse, servie en flux ou non."""
    return b"".join(reponse.streaming_content) if reponse.streaming else reponse.content
