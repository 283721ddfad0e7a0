import pytest
from tests.navigateur.conftest import blocages_csp, surveiller_csp
pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]

def test_csp_vue(live_server, navigateur):
    page = surveiller_csp(navigateur.new_context().new_page())
    page.goto(live_server.url + "/connexion/")
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color:red\">x</p>')")
    page.wait_for_timeout(300)
    assert blocages_csp(page), "la CSP aurait dû bloquer un style en ligne"
