"""#33, point 4 : ce qu'il manque à un lieu pour les fichiers nationaux se voit là où on le remplit (liste et
formulaire « Lieux » de l'administration) et sur la page d'import et d'export de la coordination."""

import html

import pytest
from django.urls import reverse

from inclusion.models import Lieu

ATTENDU = "SIRET (ou RNA) à remplir ; commune à remplir ; code postal invalide"


@pytest.fixture
def lieux(db):
    complet = Lieu.objects.create(
        nom="ESC Complet",
        adresse="1 rue de la Paix",
        commune="Rennes",
        code_postal="35000",
        code_insee="35238",
        siret="21350238800019",
    )
    incomplet = Lieu.objects.create(nom="ESC Incomplet", adresse="2 rue Haute", code_postal="350")
    return complet, incomplet


def _page(client, url):
    reponse = client.get(url)
    assert reponse.status_code == 200
    return html.unescape(reponse.content.decode())


def test_la_liste_et_le_formulaire_des_lieux_disent_quoi_remplir(client, coordination, lieux):
    complet, incomplet = lieux
    client.force_login(coordination)
    liste = _page(client, reverse("admin:inclusion_lieu_changelist"))
    assert "à compléter pour les fichiers nationaux" in liste.lower()
    assert ATTENDU in liste
    assert "rien : le lieu est publié" in liste
    fiche = _page(client, reverse("admin:inclusion_lieu_change", args=[incomplet.pk]))
    assert ATTENDU in fiche
    ajout = _page(client, reverse("admin:inclusion_lieu_add"))
    assert "SIRET, commune, code postal et adresse" in ajout


def test_la_page_de_la_coordination_liste_les_lieux_incomplets_et_pourquoi(client, coordination, lieux):
    complet, incomplet = lieux
    client.force_login(coordination)
    page = _page(client, reverse("rapports:import"))
    encart = page[page.index('id="lieux-incomplets"') :]
    encart = encart[: encart.index("</div>")]
    assert "ESC Incomplet</a> : " + ATTENDU in encart
    assert reverse("admin:inclusion_lieu_change", args=[incomplet.pk]) in encart
    assert "ESC Complet" not in encart
    Lieu.objects.filter(pk=incomplet.pk).update(actif=False)
    assert 'id="lieux-incomplets"' not in _page(client, reverse("rapports:import"))
