"""Vues des permanences, une par public : accueil, médiation, rendez-vous."""
