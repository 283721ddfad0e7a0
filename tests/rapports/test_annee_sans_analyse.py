"""Une année sans analyse ni formation (#29) : pas de titre orphelin, pas de note de l'annexe sur les formations.
À part des tests qui lisent la démonstration (test_evolutions_imprimees.py) : celle-ci y est écrite une fois pour
le module, et cette année-ci se construit dans une base vide."""

import html

import pytest


def test_sans_analyse_pas_de_titre_orphelin_et_la_page_invite_a_l_ecrire(annee_creuse, client, coordination):
    from tests.rapports.test_inconnu import _texte_pdf
    from tests.taches import octets_de, telecharger_le_bilan

    client.force_login(coordination)
    texte = _texte_pdf(octets_de(telecharger_le_bilan(client, 2024)))
    assert "Analyse des permanences" not in texte and "Analyse des formations" not in texte
    page = html.unescape(client.get("/rapports/bilan/2024/").content.decode())
    assert "Aucun point d'analyse pour 2024" in page and "Analyse des permanences" in page
    # À retenir : un seul grand chiffre quand aucun chiffre n'est déclaré (pas « 3 / 3 »).
    a_retenir = page[page.index('id="section-a_retenir"') : page.index('id="section-methodologie"')]
    assert a_retenir.count('class="chiffre"') == 1


def test_sans_formation_pas_de_note_sur_les_formations(annee_creuse):
    from rapports.a_savoir import a_savoir
    from rapports.bilan import Periode, comparer_periodes

    notes_2024 = " ".join(a_savoir(comparer_periodes(Periode.annee(2024)).indicateurs))
    assert "226" not in notes_2024 and "41,8" not in notes_2024 and "participations" not in notes_2024


@pytest.fixture
def annee_creuse(db):
    from tests.rapports.test_inconnu import construire_annee_creuse

    construire_annee_creuse()
