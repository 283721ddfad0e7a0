from django.urls import path

from . import views

urlpatterns = [
    path("", views.tableau_de_bord, name="tableau_de_bord"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("bilan/<int:annee>/", views.bilan_html, name="bilan"),
    path("bilan/<int:annee>.pdf", views.bilan_pdf, name="bilan_pdf"),
    path("bilan/<int:annee>.json", views.bilan_json, name="bilan_json"),
    path("bilan/<int:annee>.html", views.bilan_document_html, name="bilan_document_html"),
    path("bilan/<int:annee>/analyse/<slug:section>/", views.point_ajouter, name="point_ajouter"),
    path("bilan/<int:annee>/publier/", views.publier, name="publier"),
    path("bilan/<int:annee>/rouvrir/", views.rouvrir, name="rouvrir"),
    path(
        "bilan/<int:annee>/version-<int:version>.<str:format>",
        views.publication,
        name="publication",
    ),
    path("analyse/<int:pk>/modifier/", views.point_modifier, name="point_modifier"),
    path("analyse/<int:pk>/supprimer/", views.point_supprimer, name="point_supprimer"),
]
