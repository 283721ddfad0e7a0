"""Réglages gunicorn de production : `gunicorn -c python:inclusion.gunicorn inclusion.wsgi`.

Choisis par mesure (`make charge`, bench/charge_accueil.py, 2 cœurs) :
- un processus par cœur, chacun avec quelques fils : pendant qu'un fil attend PostgreSQL, un autre calcule ;
  plus de processus que de cœurs coûte plus en changements de contexte qu'il ne rapporte ;
- des fils (gthread) plutôt que des coroutines (gevent) : le PDF du Bilan calcule plusieurs secondes sans
  rendre la main ; avec des fils, les pointages de l'accueil passent pendant ce temps ;
- des connexions persistantes : une tablette d'accueil garde la sienne entre deux pointages ;
- une socket d'écoute par processus (SO_REUSEPORT) : le noyau répartit les connexions entre les processus ;
  avec une socket partagée, le premier processus réveillé les prenait presque toutes, et l'autre cœur
  restait sans travail Python ;
- l'application chargée une fois avant de créer les processus (preload_app) : ils démarrent ensemble et
  partagent la mémoire du code. Aucune connexion à la base n'est ouverte avant (Django ne se connecte qu'à la
  première requête SQL).
Tout se règle par l'environnement.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 2))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "30"))
timeout = 60
reuse_port = True
preload_app = True
