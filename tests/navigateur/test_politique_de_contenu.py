"""La politique de sécurité du contenu est appliquée par le navigateur, et les balayages de pages le voient : un
style ou un script glissé dans la page est bloqué, et `blocages_csp` le relève (sinon ces balayages ne
prouveraient rien)."""

import pytest

from tests.navigateur.conftest import blocages_csp

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def test_un_style_ou_un_script_glisse_dans_la_page_est_bloque_et_releve(live_server, page):
    page.goto(f"{live_server.url}/connexion/")
    assert blocages_csp(page) == []
    page.evaluate(
        """() => {
            document.body.insertAdjacentHTML('beforeend', '<p id="glisse" style="color: rgb(255, 0, 0)">x</p>');
            const s = document.createElement('script');
            s.textContent = 'window.__execute = true';
            document.body.appendChild(s);
        }"""
    )
    page.wait_for_function("window.__blocages_csp.length >= 2")  # la fixture `page` passe par surveiller_csp
    directives = sorted(b.split()[0] for b in blocages_csp(page))
    assert directives == ["script-src-elem", "style-src-attr"], directives
    assert page.evaluate("window.__execute") is None  # le script n'a pas tourné
    assert page.eval_on_selector("#glisse", "e => getComputedStyle(e).color") != "rgb(255, 0, 0)"
