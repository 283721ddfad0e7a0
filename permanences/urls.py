from django.urls import path

from .views import accueil, mediation, rendez_vous

app_name = "permanences"

urlpatterns = [
    path("accueil/", accueil.accueil, name="accueil"),
    path("accueil/sw.js", accueil.service_worker, name="service_worker"),
    path("accueil/compteurs/", accueil.accueil_compteurs, name="accueil_compteurs"),
    path("accueil/pointer/", accueil.pointer, name="pointer"),
    path("accueil/annuler/", accueil.annuler_pointage, name="annuler_pointage"),
    path("accueil/mes-lieux/", accueil.mes_lieux, name="mes_lieux"),
    path("mes-permanences/", mediation.mes_permanences, name="mes_permanences"),
    path("nouvelle/", mediation.permanence_nouvelle, name="permanence_nouvelle"),
    path("<int:pk>/", mediation.permanence_detail, name="permanence"),
    path("<int:pk>/file/", mediation.file_attente, name="file"),
    path("<int:pk>/prendre/", mediation.prendre_en_charge, name="prendre"),
    path("<int:pk>/annuler/", mediation.permanence_annuler, name="permanence_annuler"),
    path("<int:pk>/passages/nouveau/", mediation.passage_nouveau, name="passage_nouveau"),
    path("<int:pk>/saisie-groupee/", mediation.saisie_groupee, name="saisie_groupee"),
    path("passages/<int:pk>/", mediation.passage_modifier, name="passage_modifier"),
    path("rendez-vous/", rendez_vous.agenda, name="agenda"),
    path("rendez-vous/a-renseigner/", rendez_vous.rendez_vous_a_renseigner, name="a_renseigner"),
    path("rendez-vous/nouveau/", rendez_vous.rendez_vous_nouveau, name="rendez_vous_nouveau"),
    path("rendez-vous/<int:pk>/", rendez_vous.rendez_vous_modifier, name="rendez_vous_modifier"),
    path("rendez-vous/<int:pk>/issue/", rendez_vous.rendez_vous_resultat, name="rendez_vous_resultat"),
]
