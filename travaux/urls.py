from django.urls import path

from . import views

# Noms gardés dans l'espace « rapports » (adresses et liens d'avant #32) : inclusion.urls les y range.
urlpatterns = [
    path("travaux/<int:pk>/", views.traitement, name="traitement"),
    path("travaux/<int:pk>/document", views.traitement_fichier, name="traitement_fichier"),
]
