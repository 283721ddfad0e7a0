"""Travaux longs hors des requêtes web : imports, exports, rendus du Bilan.

- services.demander crée la ligne de suivi (Traitement) et met la tâche dans la file de django-tasks (table de
  la base ; `manage.py db_worker` la vide, sur autant de machines que voulu).
- taches.executer_traitement, dans le processus de fond, fait le travail de travaux.TRAVAUX selon sa nature.
- deroulement dit où il en est (Progression), comment il a fini, et reconnaît un processus arrêté en route.
- empreinte et rendus : le Bilan rendu une fois par état des données.
"""
