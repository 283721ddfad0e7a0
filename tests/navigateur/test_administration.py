"""Les pages d'administration de la coordination (listes, fiches, ajouts), à 768 et 1366 px, avec les contrôles des
autres pages (test_toutes_les_pages) : pas de défilement horizontal, axe, cibles de 44 px, politique de sécurité
du contenu. Les pages sont trouvées depuis l'accueil de l'administration tel que la coordination le voit : un
modèle ajouté à l'administration entre dans le balayage sans rien écrire."""

import pytest
from django.contrib.auth.models import User

from tests.navigateur.conftest import connecter, contexte_avec_axe, surveiller_csp
from tests.navigateur.test_toutes_les_pages import TAILLES, defauts_de_la_page, donnees_de_chaque_role

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def _fiche_de_la_liste(page, chemin):
    """Sur une liste de l'administration (/admin/<app>/<modèle>/), le lien de sa première fiche, s'il y en a."""
    if chemin.endswith("/add/") or chemin == "/admin/" or chemin.count("/") != 4:
        return None
    premiere = page.locator("#result_list tbody tr th a").first
    return premiere.get_attribute("href") if premiere.count() else None


@pytest.mark.parametrize("largeur, hauteur", TAILLES)  # une largeur par test : les deux processus s'y mettent
def test_l_administration_a_768_et_1366_px(live_server, navigateur, largeur, hauteur):
    """L'accueil, chaque liste et chaque formulaire d'ajout liés depuis l'accueil, et la première fiche de chaque
    liste qui en a une : chacune vue une fois (la fiche est relevée pendant le contrôle de sa liste)."""
    donnees_de_chaque_role()
    User.objects.filter(username="coordination").update(is_staff=True)  # comme dans la démo (demo/donnees)
    contexte = contexte_avec_axe(navigateur, viewport={"width": largeur, "height": hauteur}, locale="fr-FR")
    page = surveiller_csp(contexte.new_page())
    connecter(page, live_server, "coordination")
    page.goto(f"{live_server.url}/admin/")
    liens = page.eval_on_selector_all(
        "#content-main a[href]", "(as) => as.map((a) => a.getAttribute('href'))"
    )
    chemins = ["/admin/"] + sorted(set(liens) - {"/admin/"})
    assert len(chemins) > 30, chemins  # l'accueil a bien listé les modèles de la coordination
    defauts, a_voir = [], list(chemins)
    for chemin in a_voir:  # la première fiche d'une liste s'ajoute à la suite, pendant le parcours
        page.goto(f"{live_server.url}{chemin}")  # attend « load » : l'administration ne charge rien ensuite
        if fiche := _fiche_de_la_liste(page, chemin):
            a_voir.append(fiche)
        debord, violations = defauts_de_la_page(page)
        if debord > 0 or violations:
            defauts.append((largeur, chemin, debord, violations))
    contexte.close()
    assert len(a_voir) > len(chemins), "aucune fiche trouvée dans les listes"
    assert not defauts, "\n".join(map(str, defauts))
