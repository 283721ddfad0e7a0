"""Les pages ajoutées avec le Bilan document et la sécurité : 768 px sans défilement horizontal, axe sans
violation grave, aucune ressource bloquée par la politique de contenu."""

import pytest

from tests.inclusion.factories import utilisateur
from tests.navigateur.conftest import connecter, surveiller_csp, verifier_accessibilite
from tests.rapports.jeu_de_donnees import construire

pytestmark = pytest.mark.navigateur


def test_pages_du_bilan_a_768_px(live_server, navigateur, donnees_de_migration):
    construire()
    utilisateur("coordination", username="coordination_768", is_staff=True)
    contexte = navigateur.new_context(viewport={"width": 768, "height": 1024}, locale="fr-FR")
    page = surveiller_csp(contexte.new_page())
    connecter(page, live_server, "coordination_768")
    for chemin, nom in (
        ("/rapports/bilan/2023/", "bilan-768"),
        ("/rapports/bilan/2030/", "bilan-vide-768"),
        ("/donnees-personnelles/", "donnees-personnelles-768"),
        ("/rapports/?debut=2031-01-01&fin=2031-03-31", "tableau-de-bord-vide-768"),
    ):
        page.goto(f"{live_server.url}{chemin}")
        debord = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        fautifs = page.evaluate(
            "() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > innerWidth"
            " + 0.5).slice(0, 5).map(e => e.tagName + '.' + e.className)"
        )
        assert debord <= 0, (chemin, debord, fautifs)
        verifier_accessibilite(page, nom)
    contexte.close()
