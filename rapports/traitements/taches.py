"""Alias : une tâche mise en file avant #32 porte le chemin `rapports.traitements.taches.executer_traitement` ;
elle est exécutée par la fonction de travaux.taches."""

from travaux.taches import executer_traitement

__all__ = ["executer_traitement"]
