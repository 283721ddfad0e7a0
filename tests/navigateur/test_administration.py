"""Les pages d'administration de la coordination (listes, fiches, ajouts), à 768 et 1366 px, avec les contrôles des
autres pages (test_toutes_les_pages) : pas de défilement horizontal, axe, cibles de 44 px, politique de sécurité
du contenu. Les pages sont trouvées depuis l'accueil de l'administration tel que la coordination le voit : un
modèle ajouté à l'administration entre dans le balayage sans rien écrire."""

import pytest
from django.contrib.auth.models import User

from tests.navigateur.conftest import connecter, contexte_avec_axe, surveiller_csp
from tests.navigateur.test_toutes_les_pages import TAILLES, defauts_de_la_page, donnees_de_chaque_role

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def _pages_de_l_administration(page, url):
    """L'accueil, chaque liste et chaque formulaire d'ajout liés depuis l'accueil, et la première fiche de chaque
    liste qui en a une."""
    page.goto(f"{url}/admin/")
    liens = page.eval_on_selector_all(
        "#content-main a[href]", "(as) => as.map((a) => a.getAttribute('href'))"
    )
    chemins = ["/admin/"] + sorted(set(liens))
    fiches = []
    for chemin in chemins:
        if chemin.endswith("/add/") or chemin == "/admin/" or chemin.count("/") != 4:
            continue
        page.goto(f"{url}{chemin}")
        premiere = page.locator("#result_list tbody tr th a").first
        if premiere.count():
            fiches.append(premiere.get_attribute("href"))
    return chemins + fiches


@pytest.mark.parametrize("largeur, hauteur", TAILLES)  # une largeur par test : les deux processus s'y mettent
def test_l_administration_a_768_et_1366_px(live_server, navigateur, largeur, hauteur):
    donnees_de_chaque_role()
    User.objects.filter(username="coordination").update(is_staff=True)  # comme dans la démo (demo/donnees)
    contexte = navigateur.new_context(locale="fr-FR")
    page = contexte.new_page()
    connecter(page, live_server, "coordination")
    chemins = _pages_de_l_administration(page, live_server.url)
    contexte.close()
    assert len(chemins) > 30, chemins  # l'accueil a bien listé les modèles de la coordination
    defauts = []
    contexte = contexte_avec_axe(navigateur, viewport={"width": largeur, "height": hauteur}, locale="fr-FR")
    page = surveiller_csp(contexte.new_page())
    connecter(page, live_server, "coordination")
    for chemin in chemins:
        page.goto(f"{live_server.url}{chemin}")  # attend « load » : l'administration ne charge rien ensuite
        debord, violations = defauts_de_la_page(page)
        if debord > 0 or violations:
            defauts.append((largeur, chemin, debord, violations))
    contexte.close()
    assert not defauts, "\n".join(map(str, defauts))
