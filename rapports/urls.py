from django.urls import path

from . import views

app_name = "rapports"

urlpatterns = [
    path("", views.tableau_de_bord, name="tableau_de_bord"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("bilan/<int:annee>/", views.bilan_html, name="bilan"),
    path("bilan/<int:annee>.pdf", views.bilan_pdf, name="bilan_pdf"),
    path("bilan/<int:annee>.json", views.bilan_json, name="bilan_json"),
    path("bilan/<int:annee>/commentaires/<slug:section>/", views.commentaire, name="commentaire"),
]
