from django.urls import path

from . import views, vues_echanges

app_name = "rapports"

urlpatterns = [
    path("", views.tableau_de_bord, name="tableau_de_bord"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("bilan/<int:annee>/", views.bilan_html, name="bilan"),
    path("bilan/<int:annee>.pdf", views.bilan_pdf, name="bilan_pdf"),
    path("bilan/<int:annee>.json", views.bilan_json, name="bilan_json"),
    path("bilan/<int:annee>/commentaires/<slug:section>/", views.commentaire, name="commentaire"),
    path("import/", vues_echanges.importer, name="import"),
    path("export.zip", vues_echanges.exporter, name="export_zip"),
    path("coop.xlsx", vues_echanges.exporter_coop, name="export_coop"),
]
