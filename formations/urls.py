from django.urls import path

from . import views

app_name = "formations"

urlpatterns = [
    path("", views.sessions, name="sessions"),
    path("sessions/nouvelle/", views.session_nouvelle, name="session_nouvelle"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/modifier/", views.session_modifier, name="session_modifier"),
    path("sessions/<int:pk>/tenue/", views.session_tenue, name="session_tenue"),
    path("sessions/<int:pk>/annuler/", views.session_annuler, name="session_annuler"),
    path("sessions/<int:pk>/emargement.pdf", views.emargement, name="emargement"),
    path("sessions/<int:pk>/inscriptions.xlsx", views.export_inscriptions, name="export_inscriptions"),
    path("inscriptions/<int:pk>/presence/", views.presence, name="presence"),
    path("inscriptions/<int:pk>/retirer/", views.desinscrire, name="desinscrire"),
    path("themes/", views.themes, name="themes"),
    path("themes/<int:pk>/", views.theme_modifier, name="theme_modifier"),
    path("accompagnements/", views.accompagnements, name="accompagnements"),
]
