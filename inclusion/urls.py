from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from api.vues import api
from confidentialite import views as confidentialite_views
from echanges import urls as echanges_urls
from echanges import views as echanges_views
from rapports import urls as rapports_urls
from travaux import urls as travaux_urls

from . import views

admin.site.site_header = "Inclusion numérique en ESC : administration"
admin.site.site_title = "Inclusion numérique"
admin.site.index_title = "Données de référence"

urlpatterns = [
    path("", views.accueil_general, name="accueil_general"),
    path("connexion/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("annuaire/", views.annuaire, name="annuaire"),
    path("mentions-legales/", views.mentions_legales, name="mentions_legales"),
    path("accessibilite/", views.accessibilite, name="accessibilite"),
    path("donnees-personnelles/", confidentialite_views.donnees_personnelles, name="donnees_personnelles"),
    path("annuaire/suggestions/", views.suggestions_orientation, name="suggestions_orientation"),
    path(
        "annuaire/data-inclusion/<str:quoi>.json",
        echanges_views.annuaire_data_inclusion,
        name="annuaire_data_inclusion",
    ),
    path("permanences/", include("permanences.urls")),
    path("formations/", include("formations.urls")),
    # Le Bilan et le tableau de bord, les échanges et les travaux de fond sous /rapports/ et l'espace de noms
    # « rapports » d'avant leur séparation en applications (#32) : adresses, liens et noms inchangés.
    path(
        "rapports/",
        include(
            (rapports_urls.urlpatterns + echanges_urls.urlpatterns + travaux_urls.urlpatterns, "rapports"),
        ),
    ),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

handler403 = "inclusion.views.erreur_403"
handler404 = "inclusion.views.erreur_404"
handler500 = "inclusion.views.erreur_500"
