"""Les quatre parcours quotidiens, comme une personne les ferait, et l'accessibilité des pages principales."""

import datetime
import re
import time

import pytest
from django.db import OperationalError
from django.utils import timezone
from pypdf import PdfReader

from formations.enums import StatutSession
from formations.models import Inscription, SessionFormation
from permanences.models import Arrivee, Passage, Refus
from tests.demonstration import charger_la_demo
from tests.formations.factories import ThemeFactory
from tests.inclusion.factories import LieuFactory, StructureFactory, utilisateur
from tests.navigateur.conftest import capture, connecter, surveiller_csp, verifier_accessibilite
from tests.permanences.factories import ArriveeFactory, PermanenceFactory
from tests.taches import executer_les_taches

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def attendre(condition, delai=15):
    """Attend qu'une condition (lue dans la page ou la base) devienne vraie."""
    fin = time.monotonic() + delai
    while time.monotonic() < fin:
        try:
            if condition():
                return True
        except OperationalError:  # SQLite en mémoire partagée : table verrouillée par le serveur, on relit
            pass
        time.sleep(0.2)
    raise AssertionError("condition non atteinte à temps")


def agent_sur_tablette(live_server, navigateur, nom_du_lieu):
    """Une permanence de toute la journée, et son agent d'accueil connecté sur une tablette de 768 px."""
    lieu = LieuFactory(nom=nom_du_lieu)
    permanence = PermanenceFactory(
        lieu=lieu, date=timezone.localdate(), heure_debut=datetime.time(0, 0), heure_fin=datetime.time(23, 59)
    )
    utilisateur("accueil", lieux=[lieu], username="agent")
    contexte = navigateur.new_context(viewport={"width": 768, "height": 1024}, locale="fr-FR")
    page = surveiller_csp(contexte.new_page())
    connecter(page, live_server, "agent")
    return permanence, contexte, page


def compteur(page, permanence, nom):
    return page.locator(
        f'.permanence[data-permanence="{permanence.pk}"] [data-compteur="{nom}"]'
    ).inner_text()


def test_accueil_sur_tablette_avec_coupure_reseau(live_server, navigateur):
    permanence, contexte, page = agent_sur_tablette(live_server, navigateur, "ESC Maurepas")
    assert page.url.endswith("/permanences/accueil/")
    verifier_accessibilite(page, "accueil")
    arrivee = page.get_by_role("button", name="Arrivée", exact=True)
    for _ in range(3):
        arrivee.click()
    page.get_by_label("Motif").select_option("complet")
    page.get_by_role("button", name="Refus", exact=True).click()
    attendre(lambda: Arrivee.objects.count() == 3 and Refus.objects.count() == 1)
    assert Refus.objects.get().motif == "complet"
    attendre(
        lambda: compteur(page, permanence, "arrivees") == "3" and compteur(page, permanence, "refus") == "1"
    )
    page.locator("#derniers button", has_text="Annuler").nth(1).click()  # annule une arrivée
    attendre(lambda: Arrivee.objects.actifs().count() == 2)
    attendre(lambda: compteur(page, permanence, "arrivees") == "2")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")

    contexte.set_offline(True)
    arrivee.click()
    arrivee.click()
    attendre(lambda: compteur(page, permanence, "arrivees") == "4")
    assert "2 pointages en attente d'envoi" in page.locator("#file-envoi").inner_text()
    assert Arrivee.objects.actifs().count() == 2  # rien n'est parti
    page.reload()  # sans réseau : la page vient du cache, les pointages de localStorage
    assert "2 pointages en attente d'envoi" in page.locator("#file-envoi").inner_text()
    capture(page, "accueil-hors-ligne")

    contexte.set_offline(False)
    attendre(lambda: Arrivee.objects.actifs().count() == 4, delai=20)
    attendre(lambda: page.locator("#file-envoi").is_hidden())
    attendre(
        lambda: compteur(page, permanence, "arrivees") == "4" and compteur(page, permanence, "refus") == "1"
    )
    assert Arrivee.objects.count() == 5 and Arrivee.objects.filter(annulee_le__isnull=False).count() == 1
    assert Refus.objects.count() == 1
    contexte.close()


def test_une_erreur_serveur_sur_un_pointage_ne_bloque_pas_les_suivants(live_server, navigateur):
    """#19, point 7 : la file s'arrêtait au premier 5xx et ne reprenait jamais."""
    import json

    lieu = LieuFactory(nom="ESC Bréquigny")
    PermanenceFactory(
        lieu=lieu, date=timezone.localdate(), heure_debut=datetime.time(0, 0), heure_fin=datetime.time(23, 59)
    )
    utilisateur("accueil", lieux=[lieu], username="agent")
    contexte = navigateur.new_context(viewport={"width": 768, "height": 1024}, locale="fr-FR")
    page = surveiller_csp(contexte.new_page())
    connecter(page, live_server, "agent")
    empoisonne = {}

    def serveur_en_panne_pour_le_premier(route):
        identifiant = json.loads(route.request.post_data or "{}").get("uuid")
        empoisonne.setdefault("uuid", identifiant)
        if identifiant == empoisonne["uuid"]:
            route.fulfill(status=500, body="Erreur du serveur")
        else:
            route.continue_()

    page.route("**/accueil/pointer/", serveur_en_panne_pour_le_premier)
    arrivee = page.get_by_role("button", name="Arrivée", exact=True)
    arrivee.click()
    attendre(lambda: "erreur du serveur (500)" in page.locator("#erreur-pointage").inner_text())
    arrivee.click()
    # page.evaluate fait tourner la boucle de Playwright, qui seule exécute le gestionnaire de route.
    attendre(lambda: page.evaluate("1") and Arrivee.objects.count() == 1)  # le suivant est passé

    def file_locale():
        return page.evaluate("JSON.parse(localStorage.getItem('inclusion.pointages.v1') || '[]')")

    attendre(lambda: len(file_locale()) == 1)  # la réponse du suivant est traitée
    file = file_locale()
    assert [p["uuid"] for p in file] == [empoisonne["uuid"]] and file[0]["echec"] == "erreur du serveur (500)"
    assert "en échec (erreur du serveur)" in page.locator("#file-envoi").inner_text()
    page.unroute("**/accueil/pointer/")
    attendre(lambda: Arrivee.objects.count() == 2, delai=20)  # gardé, renvoyé, enregistré
    attendre(lambda: page.locator("#file-envoi").is_hidden())
    contexte.close()


def test_mediateur_prend_en_charge_et_saisit_le_passage(live_server, page):
    lieu = LieuFactory(nom="ESC Cleunay")
    permanence = PermanenceFactory(lieu=lieu, date=timezone.localdate())
    ArriveeFactory(permanence=permanence, horodatage=timezone.now() - datetime.timedelta(minutes=10))
    utilisateur("mediation", lieux=[lieu], username="mediateur")
    connecter(page, live_server, "mediateur")
    verifier_accessibilite(page, "mes-permanences")
    page.get_by_role("link", name="Aujourd'hui").click()
    # content() lu pendant que la page suivante se charge rend "" : on attend d'abord un élément de celle-ci.
    page.get_by_role("button", name="Prendre en charge la personne suivante").wait_for()
    assert "1</strong> personne en attente" in page.content()
    verifier_accessibilite(page, "file-attente")
    page.get_by_role("button", name="Prendre en charge la personne suivante").click()
    page.get_by_text("Aide aux démarches en ligne", exact=True).click()
    page.get_by_label("Autre durée (minutes)").fill("25")
    page.get_by_text("Fait à sa place", exact=True).click()
    page.get_by_role("button", name="Enregistrer").click()
    page.locator("#resume-erreurs").wait_for()
    assert "Précisez la démarche pour une aide aux démarches en ligne." in page.content()
    # #31 : le résumé en haut dit tout ce qui manque (âge et genre ne sont plus choisis d'avance), le focus va
    # au premier champ concerné.
    assert page.locator("#resume-erreurs").inner_text() == (
        "Rien n'est enregistré : à compléter ou corriger : démarche, tranche d'âge, genre."
    )
    assert page.evaluate("document.activeElement.name") == "demarche"
    verifier_accessibilite(page, "passage-erreur")
    page.get_by_role("group", name="Tranche d'âge").get_by_text("25 à 39 ans", exact=True).click()
    page.get_by_role("group", name="Genre").get_by_text("Masculin", exact=True).click()
    page.get_by_text("Préfecture – droit des étrangers", exact=True).click()
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Passage enregistré.").wait_for()
    assert "Passage enregistré." in page.content()
    passage = Passage.objects.get()
    assert passage.demarche.code == "prefecture_etrangers" and passage.duree_minutes == 25
    assert passage.attente_minutes is not None and passage.attente_minutes >= 9
    page.get_by_role("link", name="← Mes permanences").click()
    ligne = page.locator("tbody tr", has_text="ESC Cleunay")
    colonne = [t.strip() for t in page.locator("thead th").all_inner_texts()].index("Passages")
    assert ligne.locator("td").nth(colonne).inner_text() == "1"


def test_coordinateur_formation_de_la_session_a_l_emargement(live_server, page):
    ThemeFactory(nom="Outils collaboratifs")
    StructureFactory(nom="CDAS")
    utilisateur("formation", username="formation")
    connecter(page, live_server, "formation")
    verifier_accessibilite(page, "sessions")
    page.get_by_role("link", name="Programmer une session").click()
    page.get_by_label("Thème").select_option(label="Outils collaboratifs")
    page.get_by_label("Date").fill((timezone.localdate() + datetime.timedelta(days=1)).isoformat())
    page.get_by_label("Capacité").fill("8")
    page.get_by_role("button", name="Enregistrer").click()
    assert "Session programmée." in page.content()
    for nom, courriel in (("Awa Diallo", "awa@cdas.fr"), ("Léo Martin", "leo@cdas.fr")):
        page.get_by_label("Nom").fill(nom)
        page.get_by_label("Courriel").fill(courriel)
        page.get_by_label("Structure").select_option(label="CDAS")
        page.get_by_role("button", name="Inscrire").click()
        assert f"{nom} est inscrit·e." in page.content()
    verifier_accessibilite(page, "session")
    for nom in ("Awa Diallo", "Léo Martin"):
        # Chaque présence est acquittée par le serveur avant la suivante, et la base n'est lue qu'après : sur
        # SQLite en mémoire partagée, une lecture du test pendant une écriture du serveur verrouille la table.
        with page.expect_response(lambda r: "/presence/" in r.url) as reponse:
            page.get_by_role("group", name=f"Présence de {nom}").get_by_role(
                "button", name="Présent·e"
            ).click()
        assert reponse.value.status == 200, nom
    attendre(lambda: Inscription.objects.filter(present="oui").count() == 2)
    page.get_by_role("button", name="Marquer la session tenue").click()
    assert "Session marquée tenue." in page.content()
    assert SessionFormation.objects.get().statut == StatutSession.TENUE
    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Feuille d'émargement (PDF)").click()
    texte = "".join(p.extract_text() for p in PdfReader(telechargement.value.path()).pages)
    assert "Awa Diallo" in texte and "Léo Martin" in texte and "Outils collaboratifs" in texte


def test_coordination_bilan_commentaire_et_pdf(live_server, page):
    charger_la_demo()
    connecter(page, live_server, "coordination", "demo")
    verifier_accessibilite(page, "tableau-de-bord")
    page.goto(f"{live_server.url}/rapports/bilan/2023/")
    assert "10\u202f613" in page.content()
    verifier_accessibilite(page, "bilan")
    section = page.locator("#section-analyse_permanences")
    section.get_by_text("Ajouter un point d'analyse").click()
    section.get_by_label("Titre du point").last.fill("Les permanences sont de plus en plus chargées.")
    section.locator("textarea").last.fill("Il faut renforcer l'équipe : {permanences.refus} refus.")
    section.get_by_role("button", name="Enregistrer l'analyse").click()
    assert "Point ajouté à « Analyse des permanences »." in page.content()
    assert "Il faut renforcer l'équipe : 1\u202f545 refus." in page.content()
    # Le premier rendu de l'année est mis en file : le lien mène à la page qui suit le travail, qui montre le
    # téléchargement quand le processus de fond (ici : le test) l'a fait.
    page.get_by_role("link", name="Télécharger le PDF").click()
    page.get_by_role("heading", name="Rendu du Bilan (PDF et HTML)").wait_for()
    assert executer_les_taches() == 1
    with page.expect_download(timeout=180_000) as telechargement:
        page.get_by_role("link", name="Télécharger le PDF").click(timeout=180_000)
    lecteur = PdfReader(telechargement.value.path())
    texte = "\n".join(p.extract_text() for p in lecteur.pages).replace("\u202f", " ").replace("\xa0", " ")
    assert "Les permanences sont de plus en plus chargées." in texte
    assert "Il faut renforcer l’équipe : 1 545 refus." in texte  # apostrophe typographique dans le PDF
    # Les documents arrondissent les évolutions à une décimale (le JSON garde −6,73).
    for chiffre in ("10 613", "5 541", "21,8 %", "−6,7 %", "4 151", "521", "+33,5 pts"):
        assert chiffre in texte, chiffre


def test_accessibilite_connexion_et_agenda(live_server, page):
    page.goto(f"{live_server.url}/connexion/")
    verifier_accessibilite(page, "connexion")
    lieu = LieuFactory()
    utilisateur("mediation", lieux=[lieu], username="mediateur")
    connecter(page, live_server, "mediateur")
    page.goto(f"{live_server.url}/permanences/rendez-vous/")
    verifier_accessibilite(page, "agenda")
    page.goto(f"{live_server.url}/permanences/rendez-vous/nouveau/")
    verifier_accessibilite(page, "rendez-vous")


def test_saisie_rapide_d_un_accompagnement_en_six_gestes_au_plus(live_server, page):
    """Le cas typique (démarche en ligne, Préfecture, 20 min, accompagné, 40–59 ans, féminin) : avant, dix gestes
    et une saisie au clavier (listes déroulantes, durée tapée) ; maintenant six au plus, « Enregistrer » compris."""
    from tests.inclusion.factories import demarche
    from tests.permanences.factories import PassageFactory

    lieu = LieuFactory(nom="ESC Maurepas")
    aujourdhui = timezone.localdate()
    permanence = PermanenceFactory(lieu=lieu, date=aujourdhui)
    mediateur = utilisateur("mediation", lieux=[lieu], username="mediatrice")
    # La veille, cette médiatrice a surtout aidé pour la Préfecture : la démarche vient en tête de la grille.
    hier = PermanenceFactory(lieu=lieu, date=aujourdhui - datetime.timedelta(days=1))
    PassageFactory(
        permanence=hier, intervenant=mediateur.intervenant, demarche=demarche("caf"), duree_minutes=45
    )
    for _ in range(2):
        PassageFactory(
            permanence=hier, intervenant=mediateur.intervenant, demarche=demarche("prefecture_etrangers")
        )
    page.set_viewport_size({"width": 768, "height": 1024})
    connecter(page, live_server, "mediatrice")
    page.goto(f"{live_server.url}/permanences/{permanence.pk}/passages/nouveau/")
    premiere = page.locator("#id_demarche label").first.inner_text()
    assert premiere == "Préfecture – droit des étrangers"
    # #31 : les durées dans l'ordre des valeurs, partout ; celle que la médiatrice saisit le plus est marquée.
    assert page.locator("#durees button").evaluate_all("(bs) => bs.map((b) => b.firstChild.textContent)") == [
        "5", "10", "15", "20", "30", "45", "60", "90", "120"
    ]  # fmt: skip
    assert page.locator("#durees button.frequente").inner_text().startswith("20")
    verifier_accessibilite(page, "saisie-rapide")

    gestes = [
        page.get_by_text("Préfecture – droit des étrangers", exact=True),
        page.locator("#durees").get_by_role("button", name=re.compile(r"^20( |$)")),
        page.get_by_text("Entièrement accompagné", exact=True),
        page.get_by_text("40 à 59 ans", exact=True),
        page.get_by_text("Féminin", exact=True),
        page.get_by_role("button", name="Enregistrer"),
    ]
    for geste in gestes:
        geste.click()
    assert len(gestes) <= 6
    assert "Passage enregistré." in page.content()
    passage = Passage.objects.get(permanence=permanence)
    assert (
        passage.type_demande,
        passage.demarche.code,
        passage.duree_minutes,
        passage.autonomie,
        passage.tranche_age,
        passage.genre,
    ) == ("demarche_en_ligne", "prefecture_etrangers", 20, "accompagne", "40_59", "feminin")

    # « Comme le précédent » : le même accompagnement en un geste de plus qu'« Enregistrer ».
    page.goto(f"{live_server.url}/permanences/{permanence.pk}/passages/nouveau/")
    page.get_by_role("link", name="Comme le précédent").click()
    page.get_by_role("button", name="Enregistrer").click()
    assert Passage.objects.filter(permanence=permanence, duree_minutes=20, tranche_age="40_59").count() == 2


def test_l_accueil_apres_retour_arriere_montre_les_compteurs_du_moment(live_server, navigateur):
    """« Retour » ramène l'accueil : la page n'est jamais servie périmée (no-store, relecture au pageshow)."""
    permanence, contexte, page = agent_sur_tablette(live_server, navigateur, "ESC Cleunay")
    page.get_by_role("button", name="Arrivée", exact=True).click()
    attendre(lambda: compteur(page, permanence, "arrivees") == "1")
    # Le pointage est acquitté par le serveur (plus rien en file) avant de quitter la page.
    attendre(lambda: Arrivee.objects.count() == 1 and page.locator("#file-envoi").is_hidden())
    page.goto(f"{live_server.url}/annuaire/")
    ArriveeFactory(permanence=permanence, horodatage=timezone.now())  # un collègue a pointé entre-temps
    page.go_back()
    attendre(lambda: compteur(page, permanence, "arrivees") == "2", delai=3)
    contexte.close()


def test_la_saisie_rapide_au_clavier_fleches_et_entree(live_server, page):
    """Sans souris : Tab jusqu'au groupe, flèches pour choisir dans le groupe, Entrée pour enregistrer."""
    lieu = LieuFactory(nom="ESC Villejean")
    permanence = PermanenceFactory(lieu=lieu, date=timezone.localdate())
    utilisateur("mediation", lieux=[lieu], username="clavier")
    connecter(page, live_server, "clavier")
    page.goto(f"{live_server.url}/permanences/{permanence.pk}/passages/nouveau/")
    page.focus("#id_type_demande_1")
    page.keyboard.press("ArrowRight")  # « Accompagnement technique »
    page.focus("[name=duree_minutes]")
    page.keyboard.type("15")
    page.focus("#id_autonomie_1")
    page.keyboard.press("ArrowRight")  # « Partiellement autonome »
    assert page.evaluate("document.activeElement.value") == "partiellement_autonome"
    page.focus("#id_tranche_age_7")  # rien n'est choisi d'avance : « Non communiqué » se dit aussi
    page.keyboard.press("Space")
    page.focus("#id_genre_2")
    page.keyboard.press("Space")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Passage enregistré." in page.content()
    passage = Passage.objects.get(permanence=permanence)
    assert (passage.type_demande, passage.duree_minutes, passage.autonomie) == (
        "accompagnement_technique",
        15,
        "partiellement_autonome",
    )
