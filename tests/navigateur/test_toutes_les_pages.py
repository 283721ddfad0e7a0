"""Chaque page de chaque rôle, sur la tablette de l'accueil (768 × 1024) et sur un portable (1366 × 768) : pas de
défilement horizontal, aucune violation axe-core quel que soit son impact, aucune cible tactile de moins de 44 px,
rien de bloqué par la politique de sécurité du contenu."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.formations.factories import InscriptionFactory, SessionFormationFactory
from tests.inclusion.factories import LieuFactory, utilisateur
from tests.navigateur.conftest import (
    blocages_csp,
    connecter,
    contexte_avec_axe,
    surveiller_csp,
    violations_axe,
)
from tests.permanences.factories import ArriveeFactory, PassageFactory, PermanenceFactory, RendezVousFactory
from tests.taches import executer_les_taches
from travaux.enums import NatureTraitement
from travaux.services import demander, demander_import

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]

TAILLES = [(768, 1024), (1366, 768)]


def _zip_de_lieux(texte):
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w") as archive:
        archive.writestr("lieux.csv", texte)
    return tampon.getvalue()


def donnees_de_chaque_role():
    lieu = LieuFactory(nom="ESC Maurepas")
    aujourdhui = timezone.localdate()
    permanence = PermanenceFactory(lieu=lieu, date=aujourdhui)
    ArriveeFactory(permanence=permanence, horodatage=timezone.now() - datetime.timedelta(minutes=5))
    comptes = {
        role: utilisateur(role, lieux=[lieu], username=role)
        for role in ("accueil", "mediation", "arcs", "formation", "coordination")
    }
    passage = PassageFactory(permanence=permanence, intervenant=comptes["mediation"].intervenant)
    rdv = RendezVousFactory(lieu=lieu, intervenant=comptes["mediation"].intervenant, date=aujourdhui)
    session = SessionFormationFactory(lieu=lieu, date=aujourdhui + datetime.timedelta(days=7))
    InscriptionFactory(session=session)
    refuse = demander_import(SimpleUploadedFile("i.zip", _zip_de_lieux("nom,adresse\nESC A,\n,sans nom\n")))
    executer_les_taches()
    attente = demander(NatureTraitement.EXPORT_COMPLET)
    pages = {
        "accueil": ["/", "/permanences/accueil/", "/annuaire/"],
        "mediation": [
            "/permanences/mes-permanences/",
            f"/permanences/{permanence.pk}/",
            f"/permanences/{permanence.pk}/passages/nouveau/",
            f"/permanences/{permanence.pk}/saisie-groupee/",
            f"/permanences/passages/{passage.pk}/",
            "/permanences/nouvelle/",
            "/permanences/rendez-vous/",
            "/permanences/rendez-vous/nouveau/",
            "/permanences/rendez-vous/a-renseigner/",
            f"/permanences/rendez-vous/{rdv.pk}/",
            f"/permanences/rendez-vous/{rdv.pk}/issue/",
        ],
        "arcs": ["/permanences/rendez-vous/", "/permanences/rendez-vous/nouveau/"],
        "formation": [
            "/formations/",
            f"/formations/sessions/{session.pk}/",
            "/formations/sessions/nouvelle/",
            f"/formations/sessions/{session.pk}/modifier/",
            "/formations/themes/",
            "/formations/accompagnements/",
        ],
        "coordination": [
            "/rapports/",
            "/rapports/import/",
            f"/rapports/bilan/{aujourdhui.year}/",
            f"/rapports/travaux/{refuse.pk}/",
            f"/rapports/travaux/{attente.pk}/",
            "/rapports/import/annuaire/",
            "/rapports/import/bilan-externe/",
        ],
        None: ["/connexion/", "/mentions-legales/", "/accessibilite/", "/donnees-personnelles/"],
    }
    return pages


def defauts_de_la_page(page):
    largeur = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    bloque = blocages_csp(page)  # avant axe, qui injecte ses propres styles
    petites = page.evaluate(
        """[...document.querySelectorAll('.btn, button, select, input.form-control')]
            .filter((e) => e.offsetParent !== null && e.getBoundingClientRect().height < 44)
            .map((e) => (e.innerText || e.name || e.id).trim().slice(0, 30))"""
    )
    violations = violations_axe(page, noeuds=2)
    if petites:
        violations.append(("cible-tactile-de-moins-de-44-px", "inclusion", petites[:5]))
    if bloque:
        violations.append(("bloque-par-la-csp", "inclusion", bloque[:3]))
    return largeur, violations


@pytest.mark.parametrize("largeur, hauteur", TAILLES)  # une largeur par test : les deux processus s'y mettent
def test_chaque_page_de_chaque_role_a_768_et_1366_px(live_server, navigateur, largeur, hauteur):
    pages = donnees_de_chaque_role()
    defauts = []
    for role, chemins in pages.items():
        contexte = contexte_avec_axe(
            navigateur, viewport={"width": largeur, "height": hauteur}, locale="fr-FR"
        )
        page = surveiller_csp(contexte.new_page())
        if role:
            connecter(page, live_server, role)
        for chemin in chemins:
            # goto attend « load » : feuilles de style, scripts, images (polices du système), scripts de la page
            # déjà passés. Ce qu'une page demande ensuite (service worker de l'accueil, compteurs relus toutes
            # les 10 s) ne change pas ce qui est vérifié ; attendre 500 ms sans réseau (« networkidle ») ne
            # faisait qu'allonger chaque page.
            page.goto(f"{live_server.url}{chemin}")
            debord, violations = defauts_de_la_page(page)
            if debord > 0 or violations:
                defauts.append((largeur, role, chemin, debord, violations))
        contexte.close()
    assert not defauts, "\n".join(map(str, defauts))


def test_les_controles_voient_un_defaut_de_chaque_sorte(navigateur):
    """Les contrôles des balayages voient ce qu'ils cherchent : une image sans texte, un lien qu'on ne peut nommer
    (axe, chargé au début de chaque page du contexte), un débord horizontal, un bouton de moins de 44 px."""
    contexte = contexte_avec_axe(navigateur, viewport={"width": 768, "height": 1024}, locale="fr-FR")
    page = surveiller_csp(contexte.new_page())
    page.set_content(
        '<html lang="fr"><head><title>Essai</title></head><body><main><h1>Essai</h1>'
        '<img src="data:,"><a href="/x"></a><div style="width: 2000px">large</div>'
        '<button class="btn" style="height: 20px">petit</button></main></body></html>'
    )
    debord, violations = defauts_de_la_page(page)
    contexte.close()
    regles = {v[0] for v in violations}
    assert debord > 0
    assert {"image-alt", "link-name", "cible-tactile-de-moins-de-44-px"} <= regles, violations
