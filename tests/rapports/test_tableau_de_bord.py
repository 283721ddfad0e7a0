"""Le tableau de bord (#31) : le fichier exporté porte la période montrée, les filtres sont des cases à cocher aux
noms entiers, chaque « — » dit pourquoi."""

import datetime
import html
import re

from django.urls import reverse
from freezegun import freeze_time

from tests.inclusion.factories import IntervenantFactory, LieuFactory
from tests.permanences.factories import PassageFactory, PermanenceFactory
from tests.taches import exporter

# Un dimanche de décembre : la période par défaut va du 1er janvier à aujourd'hui inclus.
AUJOURDHUI = "2026-12-06 15:00:00+01:00"


def _nom_du_fichier(reponse):
    return re.search(r'filename="([^"]+)"', reponse["Content-Disposition"]).group(1)


def test_le_fichier_exporte_porte_la_periode_montree_fin_incluse(client, coordination):
    with freeze_time(AUJOURDHUI):
        PassageFactory(permanence=PermanenceFactory(date=datetime.date(2026, 3, 2)))
        client.force_login(coordination)
        page = html.unescape(client.get(reverse("rapports:tableau_de_bord")).content.decode())
        assert "Période du 01/01/2026 au 06/12/2026" in page
        # Le formulaire d'export de la page reprend les filtres de l'adresse (aucun ici : la période par défaut).
        document = exporter(client, reverse("rapports:export_xlsx") + "?")
        assert _nom_du_fichier(document) == "indicateurs-20260101-20261206.xlsx"
        document = exporter(client, reverse("rapports:export_xlsx") + "?debut=2026-11-01&fin=2026-12-06")
        assert _nom_du_fichier(document) == "indicateurs-20261101-20261206.xlsx"


def test_les_filtres_sont_des_cases_a_cocher_aux_noms_entiers(client, coordination):
    lieu = LieuFactory(nom="Espace social commun des Champs-Manceaux")
    IntervenantFactory(nom="Marie-Christine Le Bihan-Kerouredan")
    client.force_login(coordination)
    page = html.unescape(client.get(reverse("rapports:tableau_de_bord")).content.decode())
    assert "<select" not in page.split('<form method="get"')[1].split("</form>")[0]
    assert f'type="checkbox" name="lieux" value="{lieu.pk}"' in page
    assert "<legend" in page and "Espace social commun des Champs-Manceaux</label>" in page
    assert "Marie-Christine Le Bihan-Kerouredan" in page
    assert 'data-filtre-cases="cases-lieux"' in page and "js/filtre_cases.js" in page
    coche = html.unescape(
        client.get(reverse("rapports:tableau_de_bord") + f"?lieux={lieu.pk}").content.decode()
    )
    assert re.search(rf'name="lieux" value="{lieu.pk}"[^>]*checked', coche)
    # Aucun bouton gris (« désactivé » à l'œil) : Importer / exporter, Exporter ces indicateurs.
    assert "btn-outline-secondary" not in page


def test_chaque_tiret_d_un_grand_chiffre_dit_pourquoi(client, coordination):
    with freeze_time(AUJOURDHUI):
        PassageFactory(permanence=PermanenceFactory(date=datetime.date(2026, 3, 2)))
        autre = IntervenantFactory()  # aucun passage : sous ce filtre, tout est « — »
        client.force_login(coordination)
        reponse = client.get(
            reverse("rapports:tableau_de_bord") + f"?debut=2026-01-01&fin=2026-12-06&intervenants={autre.pk}"
        )
    page = html.unescape(reponse.content.decode())
    # Chaque grille de grands chiffres, suivie de ses notes : la raison d'un « — » est la note que sa tuile
    # appelle (<sup>n</sup>, #29 : les raisons en note, pas dans la tuile).
    tirets = 0
    for grille in page.split('<div class="grille-chiffres">')[1:]:
        notes = re.search(r'<ol class="notes petit">(.*?)</ol>', grille, re.S)
        notes = re.findall(r"<li>(.*?)</li>", notes.group(1), re.S) if notes else []
        for tuile in re.findall(r'<div class="chiffre">(.*?)</div>', grille, re.S):
            if '<p class="chiffre-valeur">—</p>' not in tuile:
                continue
            tirets += 1
            renvoi = re.search(r"<sup>(\d+)</sup>", tuile)
            assert renvoi and int(renvoi.group(1)) <= len(notes), tuile
            assert notes[int(renvoi.group(1)) - 1].strip(), tuile
    assert tirets, "le filtre devait laisser des « — »"
