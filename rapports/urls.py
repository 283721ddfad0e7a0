from django.urls import path

from . import views, vues_echanges

app_name = "rapports"

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
    path("import/", vues_echanges.televersement, name="import"),
    path("export.zip", vues_echanges.exporter, name="export_zip"),
    path("coop.xlsx", vues_echanges.exporter_coop, name="export_coop"),
    path("import/annuaire/", vues_echanges.import_annuaire, name="import_annuaire"),
    path("import/bilan-externe/", vues_echanges.import_bilan_externe, name="import_bilan_externe"),
    path("lieux.json", vues_echanges.lieux_json, name="lieux_json"),
    path("lieux.csv", vues_echanges.lieux_csv, name="lieux_csv"),
    path("travaux/<int:pk>/", vues_echanges.traitement, name="traitement"),
    path("travaux/<int:pk>/document", vues_echanges.traitement_fichier, name="traitement_fichier"),
]
