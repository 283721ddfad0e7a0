from django.urls import path

from . import views

app_name = "permanences"

urlpatterns = [
    path("accueil/", views.accueil, name="accueil"),
    path("accueil/sw.js", views.service_worker, name="service_worker"),
    path("accueil/compteurs/", views.accueil_compteurs, name="accueil_compteurs"),
    path("accueil/pointer/", views.pointer, name="pointer"),
    path("accueil/annuler/", views.annuler_pointage, name="annuler_pointage"),
    path("mes-permanences/", views.mes_permanences, name="mes_permanences"),
    path("nouvelle/", views.permanence_nouvelle, name="permanence_nouvelle"),
    path("<int:pk>/", views.permanence_detail, name="permanence"),
    path("<int:pk>/file/", views.file_attente, name="file"),
    path("<int:pk>/prendre/", views.prendre_en_charge, name="prendre"),
    path("<int:pk>/annuler/", views.permanence_annuler, name="permanence_annuler"),
    path("<int:pk>/passages/nouveau/", views.passage_nouveau, name="passage_nouveau"),
    path("passages/<int:pk>/", views.passage_modifier, name="passage_modifier"),
    path("rendez-vous/", views.agenda, name="agenda"),
    path("rendez-vous/a-renseigner/", views.rendez_vous_a_renseigner, name="a_renseigner"),
    path("rendez-vous/nouveau/", views.rendez_vous_nouveau, name="rendez_vous_nouveau"),
    path("rendez-vous/<int:pk>/", views.rendez_vous_modifier, name="rendez_vous_modifier"),
    path("rendez-vous/<int:pk>/issue/", views.rendez_vous_resultat, name="rendez_vous_resultat"),
]
