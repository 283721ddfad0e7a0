"""Travaux longs hors des requêtes web : imports, exports, rendus du Bilan.

- services.demander crée la ligne de suivi (Traitement) et met la tâche dans la file de django-tasks (table de
  la base ; `manage.py db_worker` la vide, sur autant de machines que voulu).
- taches.executer_traitement, dans le processus de fond, fait le travail que le registre (registre.py) donne
  pour sa nature ; chaque application y inscrit les siens dans son AppConfig.ready().
- views : la page qui suit un travail et sert le document produit.
- deroulement dit où il en est (Progression), comment il a fini, et reconnaît un processus arrêté en route.
"""
