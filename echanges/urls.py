from django.urls import path

from . import views

# Noms gardés dans l'espace « rapports » (adresses et liens d'avant #32) : inclusion.urls les y range.
urlpatterns = [
    path("import/", views.televersement, name="import"),
    path("export.zip", views.exporter, name="export_zip"),
    path("coop.xlsx", views.exporter_coop, name="export_coop"),
    path("import/annuaire/", views.import_annuaire, name="import_annuaire"),
    path("import/bilan-externe/", views.import_bilan_externe, name="import_bilan_externe"),
    path("lieux.json", views.lieux_json, name="lieux_json"),
    path("lieux.csv", views.lieux_csv, name="lieux_csv"),
]
