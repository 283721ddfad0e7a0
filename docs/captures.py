"""Captures d'écran du README, tirées de la démonstration, sur une tablette (768 × 1024) : l'accueil qui confirme
un pointage, la saisie rapide d'un accompagnement et la saisie groupée de fin de permanence. Base SQLite jetable,
serveur local, Chromium de Debian piloté par Playwright.

    make captures   (ou : python docs/captures.py)
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
DOCS = RACINE / "docs"


def port_libre():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def attendre(url, delai=60):
    fin = time.monotonic() + delai
    while time.monotonic() < fin:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - serveur local
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"Le serveur ne répond pas : {url}")


def connecter(page, url, compte):
    page.goto(f"{url}/connexion/")
    page.fill("#id_username", compte)
    page.fill("#id_password", "demo")
    page.click("button[type=submit]")
    page.wait_for_load_state()


def main():
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as dossier:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{dossier}/demo.sqlite3"}
        for commande in (["migrate", "--noinput", "-v0"], ["donnees_demo", "-v0"]):
            subprocess.run([sys.executable, "manage.py", *commande], cwd=RACINE, env=env, check=True)
        port = port_libre()
        serveur = subprocess.Popen(  # noqa: S603 - commande fixe
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=RACINE,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            attendre(f"{url}/connexion/")
            with sync_playwright() as p:
                navigateur = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
                tablette = navigateur.new_context(viewport={"width": 768, "height": 1024}, locale="fr-FR")
                page = tablette.new_page()
                connecter(page, url, "accueil")
                # L'agent garde son lieu (« Mes lieux ») ; un pointage avec le profil, confirmé sur la carte.
                etoiles = page.get_by_role("button", name="☆ Dans mes lieux")
                if etoiles.count():
                    with page.expect_navigation():
                        etoiles.first.click()
                carte = page.locator(".permanence").first
                carte.get_by_role("button", name="40–59 ans").click()
                carte.get_by_role("button", name="Féminin").click()
                carte.get_by_role("button", name="Arrivée", exact=True).click()
                page.locator("#derniers li").first.wait_for()
                page.wait_for_timeout(500)
                page.screenshot(path=str(DOCS / "accueil-tablette.png"))
                tablette.close()

                contexte = navigateur.new_context(viewport={"width": 768, "height": 1024}, locale="fr-FR")
                page = contexte.new_page()
                connecter(page, url, "mediation")
                page.goto(f"{url}/permanences/mes-permanences/")
                page.get_by_role("link", name="Aujourd'hui").first.click()
                page.get_by_role("button", name="Prendre en charge la personne suivante").click()
                page.get_by_text("Préfecture – droit des étrangers", exact=True).click()
                page.locator("#durees [data-duree='20']").click()
                page.get_by_text("Entièrement accompagné", exact=True).click()
                page.wait_for_timeout(500)  # la fin des transitions de Bootstrap
                page.screenshot(path=str(DOCS / "saisie-rapide.png"))

                # La saisie groupée : deux lignes remplies, un tap par champ.
                page.goto(f"{url}/permanences/mes-permanences/")
                page.get_by_role("link", name="Aujourd'hui").first.click()
                page.get_by_role("link", name="Saisie groupée").first.click()
                for numero, choix in (
                    (1, ("Préfecture", "20", "Accompagné", "40–59", "F")),
                    (2, ("CAF", "30")),
                ):
                    for groupe, texte in zip(
                        ("nature", "duree_minutes", "autonomie", "tranche_age", "genre"), choix, strict=False
                    ):
                        page.locator(
                            f"#ligne-{numero} .champ-{groupe} label.btn", has_text=texte
                        ).first.click()
                page.evaluate("window.scrollTo(0, 0)")
                page.wait_for_timeout(500)
                page.screenshot(path=str(DOCS / "saisie-groupee.png"))
                contexte.close()
                navigateur.close()
        finally:
            serveur.terminate()
            serveur.wait(timeout=10)
    print("docs/accueil-tablette.png, docs/saisie-rapide.png, docs/saisie-groupee.png")


if __name__ == "__main__":
    main()
