"""Anciens chemins des travaux de fond, gardés pour les tâches mises en file avant #32 (django-tasks garde le
chemin pointé de la fonction de chaque tâche) : le code est dans l'application `travaux`."""
