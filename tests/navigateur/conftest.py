"""Tests de bout en bout dans le Chromium de Debian, piloté par Playwright (jamais `playwright install`)."""

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGUMENTS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
CAPTURES = Path(__file__).resolve().parents[2] / "captures"

# Playwright (API synchrone) tourne dans une boucle asyncio : l'ORM doit être autorisé dans ce fil.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if not os.path.exists(CHROMIUM):
        sauter = pytest.mark.skip(reason="Chromium absent (/usr/bin/chromium) : `make chromium` l'installe")
        for item in items:
            if "navigateur" in item.keywords:
                item.add_marker(sauter)


@pytest.fixture(scope="session")
def navigateur():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        navigateur = p.chromium.launch(executable_path=CHROMIUM, args=ARGUMENTS)
        yield navigateur
        navigateur.close()


@pytest.fixture
def contexte(navigateur):
    contexte = navigateur.new_context(
        viewport={"width": 1280, "height": 900}, locale="fr-FR", accept_downloads=True
    )
    contexte.set_default_timeout(15000)
    yield contexte
    contexte.close()


def surveiller_csp(page):
    """Relève dans la console du navigateur toute ressource bloquée par la politique de sécurité du contenu ; la
    page les note aussi elle-même (`blocages_csp`), ce qui se lit sans attendre les messages de la console. Une
    page déjà surveillée l'est une seule fois (sinon chaque blocage serait noté deux fois)."""
    if hasattr(page, "violations_csp"):
        return page
    page.violations_csp = []
    page.on(
        "console",
        lambda m: page.violations_csp.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.add_init_script(
        "window.__blocages_csp = [];"
        "document.addEventListener('securitypolicyviolation', (e) =>"
        " window.__blocages_csp.push(`${e.violatedDirective} ${e.sourceFile}:${e.lineNumber} ${e.sample}`));"
    )
    return page


def blocages_csp(page):
    """Ce que la politique de sécurité du contenu a bloqué dans la page ouverte, jusqu'ici (à lire avant axe, qui
    injecte ses propres styles)."""
    return page.evaluate("window.__blocages_csp || []")


@pytest.fixture
def page(contexte):
    return surveiller_csp(contexte.new_page())


def connecter(page, live_server, username, mot_de_passe="mot-de-passe-de-test"):
    page.goto(f"{live_server.url}/connexion/")
    page.fill("#id_username", username)
    page.fill("#id_password", mot_de_passe)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def capture(page, nom):
    CAPTURES.mkdir(exist_ok=True)
    page.screenshot(path=str(CAPTURES / f"{nom}.png"), full_page=True)


def script_axe():
    from axe_playwright_python.base import AXE_SCRIPT

    return AXE_SCRIPT


def contexte_avec_axe(navigateur, **options):
    """Un contexte dont chaque page charge axe-core avant ses propres scripts (balayages de nombreuses pages : le
    script n'est pas renvoyé au navigateur à chaque page)."""
    contexte = navigateur.new_context(**options)
    contexte.add_init_script(script_axe())
    return contexte


def violations_axe(page, noeuds=3):
    """Les violations axe-core de la page ouverte, quel que soit leur impact : (règle, impact, premières cibles).
    Seules les violations reviennent du navigateur (pas le rapport entier)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(script_axe())
    return [
        tuple(v)
        for v in page.evaluate(
            "(n) => axe.run(document, {resultTypes: ['violations']}).then((r) =>"
            " r.violations.map((v) => [v.id, v.impact, v.nodes.slice(0, n).map((x) => x.target)]))",
            noeuds,
        )
    ]


def verifier_accessibilite(page, nom):
    """Analyse axe-core : aucune violation, quel que soit son impact."""
    capture(page, nom)
    graves = violations_axe(page)
    assert not graves, f"{nom} : {graves}"
    assert not getattr(page, "violations_csp", []), f"{nom} : {page.violations_csp}"


@pytest.fixture(autouse=True)
def _donnees(donnees_de_migration):
    """Chaque test de navigateur part des données des migrations (voir tests/conftest.py)."""
