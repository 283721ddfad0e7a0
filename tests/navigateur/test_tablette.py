"""#31 sur la tablette (768 × 1024), et sur un portable (1366 × 768) pour les débordements et axe :
- une année close se voit : aucun bouton ni lien de modification, un bandeau qui dit depuis quand et qui rouvre ;
- publier le Bilan demande confirmation dans une boîte de dialogue (avec et sans script), puis un seul message ;
- les colonnes clés des tableaux restent visibles sans défilement intérieur ; l'agenda montre samedi et dimanche ;
  l'accueil du médiateur montre la file du jour et un lien par permanence, avec son lieu ;
- le tableau de bord : filtres en cases à cocher aux noms entiers, filtrables au clavier.
"""

import datetime

import pytest
from django.utils import timezone

from formations.enums import StatutSession
from inclusion.models import ClotureAnnee
from permanences.enums import Service
from tests.formations.factories import InscriptionFactory, SessionFormationFactory
from tests.inclusion.factories import IntervenantFactory, LieuFactory, utilisateur
from tests.navigateur.conftest import connecter, surveiller_csp, verifier_accessibilite
from tests.navigateur.test_toutes_les_pages import TAILLES, defauts_de_la_page
from tests.permanences.factories import ArriveeFactory, PassageFactory, PermanenceFactory, RendezVousFactory

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]

TABLETTE = {"width": 768, "height": 1024}
ACTIONS_DE_MODIFICATION = ("Modifier", "Saisir un passage sans arrivée", "Saisie groupée", "Compléter")


def _page(navigateur, live_server, username, viewport=TABLETTE, **options):
    contexte = navigateur.new_context(viewport=viewport, locale="fr-FR", **options)
    page = surveiller_csp(contexte.new_page())
    connecter(page, live_server, username)
    return contexte, page


def _sans_defaut(page, nom):
    debord, violations = defauts_de_la_page(page)
    assert debord <= 0 and not violations, (nom, debord, violations)


def _annee_close():
    """Une permanence, une session et un rendez-vous de l'an dernier, année close."""
    annee = timezone.localdate().year - 1
    jour = datetime.date(annee, 12, 1)
    lieu = LieuFactory(nom="ESC Cleunay")
    mediation = utilisateur("mediation", lieux=[lieu], username="mediation")
    utilisateur("coordination", lieux=[lieu], username="coordination")
    utilisateur("formation", lieux=[lieu], username="formation")
    moi = mediation.intervenant
    permanence = PermanenceFactory(lieu=lieu, date=jour)
    permanence.intervenants.add(moi)
    ArriveeFactory(permanence=permanence)
    ArriveeFactory(permanence=permanence, prise_en_charge_le=timezone.now(), prise_en_charge_par=moi)
    PassageFactory(permanence=permanence, intervenant=moi)
    RendezVousFactory(lieu=lieu, intervenant=moi, date=jour)
    session = SessionFormationFactory(lieu=lieu, date=jour)
    InscriptionFactory(session=session)
    ClotureAnnee.objects.create(annee=annee, close=True)
    return annee, permanence, session


def test_aucune_action_de_modification_sur_une_annee_close(live_server, navigateur, donnees_de_migration):
    annee, permanence, session = _annee_close()
    for username, chemins in (
        ("mediation", [f"/permanences/{permanence.pk}/", f"/permanences/rendez-vous/?semaine={annee}-12-01"]),
        ("coordination", [f"/permanences/{permanence.pk}/", f"/formations/sessions/{session.pk}/"]),
        ("formation", [f"/formations/sessions/{session.pk}/"]),
    ):
        for taille in TAILLES:
            contexte, page = _page(
                navigateur, live_server, username, {"width": taille[0], "height": taille[1]}
            )
            for chemin in chemins:
                page.goto(f"{live_server.url}{chemin}")  # attend « load » (voir test_toutes_les_pages)
                contenu = page.locator("main")
                for action in ACTIONS_DE_MODIFICATION:
                    assert contenu.get_by_role("link", name=action, exact=True).count() == 0, (chemin, action)
                    assert contenu.get_by_role("button", name=action, exact=True).count() == 0, (
                        chemin,
                        action,
                    )
                assert contenu.locator("form[method=post]").count() == 0, chemin
                bandeau = contenu.locator(".bandeau-annee-close")
                assert bandeau.is_visible(), chemin
                texte = bandeau.inner_text()
                assert f"Année {annee} close le " in texte and "la coordination peut la rouvrir" in texte
                assert (bandeau.get_by_role("link").count() == 1) == (username == "coordination")
                _sans_defaut(page, f"{chemin} {taille}")
            contexte.close()


def test_publier_demande_confirmation_dans_une_boite_de_dialogue(
    live_server, navigateur, donnees_de_migration
):
    annee = timezone.localdate().year - 1
    PassageFactory(permanence=PermanenceFactory(date=datetime.date(annee, 3, 2)))
    utilisateur("coordination", username="coordination")
    contexte, page = _page(navigateur, live_server, "coordination")
    page.goto(f"{live_server.url}/rapports/bilan/{annee}/")
    page.get_by_role("link", name=f"Publier le Bilan {annee} et clore l'année").click()
    dialogue = page.get_by_role("dialog", name=f"Publier le Bilan {annee} et clore l’année ?")
    assert dialogue.is_visible()
    texte = dialogue.inner_text()
    assert "Publier" in texte and "Figer" in texte and "seule la coordination peut rouvrir" in texte
    verifier_accessibilite(page, "bilan-dialogue-publier-768")
    page.keyboard.press("Escape")  # renoncer : rien n'est publié
    assert not dialogue.is_visible()
    assert not ClotureAnnee.objects.filter(annee=annee).exists()
    page.get_by_role("link", name=f"Publier le Bilan {annee} et clore l'année").click()
    dialogue.get_by_role("button", name="Annuler").click()
    assert not dialogue.is_visible() and not ClotureAnnee.objects.filter(annee=annee).exists()
    page.get_by_role("link", name=f"Publier le Bilan {annee} et clore l'année").click()
    with page.expect_navigation():
        dialogue.get_by_role("button", name=f"Publier et clore l’année {annee}").click()
    assert ClotureAnnee.objects.get(annee=annee).close
    contenu = page.locator("main").inner_text()
    assert f"Bilan {annee} publié (version 1) : l'année {annee} est close." in contenu
    assert (
        "mise à jour en cours" not in contenu
    )  # un seul message, cohérent avec « les données n'ont pas changé »
    assert page.get_by_role("link", name=f"Publier le Bilan {annee}").count() == 0
    _sans_defaut(page, "bilan publié")
    contexte.close()


def test_sans_script_la_confirmation_est_une_page(live_server, navigateur, donnees_de_migration):
    annee = timezone.localdate().year - 1
    PassageFactory(permanence=PermanenceFactory(date=datetime.date(annee, 3, 2)))
    utilisateur("coordination", username="coordination")
    contexte, page = _page(navigateur, live_server, "coordination", java_script_enabled=False)
    page.goto(f"{live_server.url}/rapports/bilan/{annee}/")
    assert not page.locator("#dialogue-publier").is_visible()
    page.get_by_role("link", name=f"Publier le Bilan {annee} et clore l'année").click()
    page.wait_for_load_state()
    dialogue = page.locator("#dialogue-publier")
    assert dialogue.is_visible() and not ClotureAnnee.objects.filter(annee=annee).exists()
    dialogue.get_by_role("button", name=f"Publier et clore l’année {annee}").click()
    page.wait_for_load_state()
    assert ClotureAnnee.objects.get(annee=annee).close
    contexte.close()


def _colonnes_visibles(page, entetes):
    """Chaque en-tête est dans la fenêtre et dans son conteneur, qui ne défile pas à l'intérieur."""
    for entete in entetes:
        cellule = page.get_by_role("columnheader", name=entete, exact=True)
        assert cellule.is_visible(), entete
        boite = cellule.bounding_box()
        assert boite["x"] >= 0 and boite["x"] + boite["width"] <= page.viewport_size["width"], (entete, boite)
        defile = cellule.evaluate(
            "(e) => { const c = e.closest('.table-responsive') || e.closest('table').parentElement;"
            " const b = c.getBoundingClientRect(), r = e.getBoundingClientRect();"
            " return [c.scrollWidth - c.clientWidth, r.right - b.right]; }"
        )
        assert defile[0] <= 0 and defile[1] <= 0.5, (entete, defile)


def test_tableaux_entiers_sur_la_tablette(live_server, navigateur, donnees_de_migration):
    aujourdhui = timezone.localdate()
    lieux = [
        LieuFactory(nom=f"Espace social commun {nom}")
        for nom in ("Cleunay", "Maurepas", "Bréquigny", "Villejean", "Champs-Manceaux")
    ]
    mediation = utilisateur("mediation", lieux=lieux, username="mediation")
    utilisateur("formation", username="formation")
    utilisateur("arcs", lieux=lieux, username="arcs")
    moi = mediation.intervenant
    collegue = IntervenantFactory(nom="Marie-Christine Le Bihan-Kerouredan")
    informaticien = IntervenantFactory(nom="Informaticien public de l'ARCS")
    for i, lieu in enumerate(lieux):
        permanence = PermanenceFactory(lieu=lieu, date=aujourdhui)
        permanence.intervenants.add(moi, collegue)
        for minutes in range(i):
            ArriveeFactory(
                permanence=permanence, horodatage=timezone.now() - datetime.timedelta(minutes=5 + minutes)
            )
        PassageFactory(permanence=permanence, intervenant=moi)
        ancienne = PermanenceFactory(lieu=lieu, date=aujourdhui - datetime.timedelta(days=i + 1))
        ancienne.intervenants.add(moi)
    for statut in StatutSession.values:
        SessionFormationFactory(date=datetime.date(aujourdhui.year, 6, 10), statut=statut, lieu=lieux[0])
    lundi = aujourdhui - datetime.timedelta(days=aujourdhui.weekday())
    for jour in range(7):
        RendezVousFactory(
            lieu=lieux[jour % 5],
            intervenant=informaticien,
            service=Service.ARCS,
            date=lundi + datetime.timedelta(days=jour),
        )

    contexte, page = _page(navigateur, live_server, "mediation")
    page.goto(f"{live_server.url}/permanences/mes-permanences/")
    _colonnes_visibles(page, ["Passages", "À compléter", "Arrivées", "En attente", "Permanence"])
    # Aujourd'hui : une carte par permanence, un lien par lieu (cinq liens différents), et la file du jour.
    cartes = page.locator(".permanence-du-jour")
    assert cartes.count() == 5
    noms = [cartes.nth(i).get_by_role("link").inner_text() for i in range(5)]
    assert len(set(noms)) == 5 and all("Espace social commun" in nom for nom in noms)
    assert "4 personnes en attente" in page.locator(".permanences-du-jour").inner_text()
    assert cartes.nth(0).get_by_role("link").bounding_box()["y"] < 1024  # sans défiler
    verifier_accessibilite(page, "mes-permanences-768")
    contexte.close()

    contexte, page = _page(navigateur, live_server, "formation")
    page.goto(f"{live_server.url}/formations/?annee={aujourdhui.year}")
    _colonnes_visibles(page, ["Présents", "Statut", "Date", "Thème"])
    annulee = page.locator("tr.session-annulee")
    assert annulee.count() == 1 and annulee.get_by_text("Annulée").is_visible()
    assert annulee.locator("s").count() == 1  # le thème barré
    verifier_accessibilite(page, "sessions-768")
    contexte.close()

    contexte, page = _page(navigateur, live_server, "arcs")
    page.goto(f"{live_server.url}/permanences/rendez-vous/?semaine={lundi:%Y-%m-%d}")
    for jour in ("samedi", "dimanche", "lundi"):
        titre = page.locator(".agenda-jour-titre", has_text=jour)
        assert titre.is_visible(), jour
        boite = titre.bounding_box()
        assert boite["x"] >= 0 and boite["x"] + boite["width"] <= 768, (jour, boite)
    assert page.locator(".agenda-jour").count() == 7
    verifier_accessibilite(page, "agenda-768")
    contexte.close()


def test_filtres_du_tableau_de_bord(live_server, navigateur, donnees_de_migration):
    for nom in ("Espace social commun des Champs-Manceaux", "ESC Cleunay", "ESC Maurepas"):
        LieuFactory(nom=nom)
    IntervenantFactory(nom="Marie-Christine Le Bihan-Kerouredan")
    utilisateur("coordination", username="coordination")
    for taille in TAILLES:
        contexte, page = _page(
            navigateur, live_server, "coordination", {"width": taille[0], "height": taille[1]}
        )
        page.goto(f"{live_server.url}/rapports/")
        lieux = page.get_by_role("group", name="Lieux")
        case = lieux.get_by_role("checkbox", name="Espace social commun des Champs-Manceaux")
        etiquette = lieux.get_by_text("Espace social commun des Champs-Manceaux")
        assert etiquette.is_visible()
        assert etiquette.evaluate("(e) => e.scrollWidth <= e.clientWidth")  # le nom entier, pas coupé
        case.check()  # un clic, sans touche de modification
        lieux.get_by_role("checkbox", name="ESC Cleunay").check()
        filtre = lieux.get_by_role("searchbox", name="Filtrer la liste « Lieux »")
        filtre.fill("maur")
        assert lieux.get_by_role("checkbox", name="ESC Maurepas").is_visible()
        assert not lieux.get_by_role("checkbox", name="ESC Cleunay").is_visible()
        filtre.fill("")
        for bouton in ("Importer / exporter", "Exporter ces indicateurs (XLSX)"):
            element = page.get_by_role("link", name=bouton).or_(page.get_by_role("button", name=bouton))
            couleur = element.evaluate("(e) => getComputedStyle(e).color")
            assert couleur == "rgb(11, 79, 138)", (
                bouton,
                couleur,
            )  # la couleur des liens, pas un gris éteint
        _sans_defaut(page, f"tableau de bord {taille}")
        with page.expect_navigation():
            page.get_by_role("button", name="Afficher").click()
        assert page.get_by_role("checkbox", name="ESC Cleunay").is_checked()
        assert page.get_by_role("checkbox", name="Espace social commun des Champs-Manceaux").is_checked()
        contexte.close()
