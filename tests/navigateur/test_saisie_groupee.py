"""La saisie groupée de fin de permanence sur la tablette (768 × 1024) : cinq lignes à l'écran, un tap par champ,
aucune frappe au clavier ; une ligne ajoutée sans recharger ; une erreur résumée en haut, le focus sur la ligne."""

import datetime
import re

import pytest
from django.utils import timezone

from permanences.models import Passage
from tests.inclusion.factories import LieuFactory, demarche, utilisateur
from tests.navigateur.conftest import capture, connecter, verifier_accessibilite
from tests.navigateur.test_toutes_les_pages import defauts_de_la_page
from tests.permanences.factories import ArriveeFactory, PassageFactory, PermanenceFactory

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]

# Cinq accompagnements typiques : (démarche, durée, autonomie, âge, genre), libellés lus par un lecteur d'écran.
TYPIQUES = [
    ("Préfecture – droit des étrangers", "20 min", "Accompagné entièrement", "40–59 ans", "Féminin"),
    ("CAF", "30 min", "Partiellement autonome", "25–39 ans", "Masculin"),
    ("Technique (accompagnement technique)", "15 min", "Autonome", "60–69 ans", "Féminin"),
    ("Préfecture – droit des étrangers", "45 min", "Fait à sa place", "18–24 ans", "Masculin"),
    (
        "Assurance maladie (Ameli)",
        "20 min",
        "Accompagné entièrement",
        "NC : non communiqué",
        "NC : non communiqué",
    ),
]
ATTENDUS = [
    ("demarche_en_ligne", "prefecture_etrangers", 20, "accompagne", "40_59", "feminin"),
    ("demarche_en_ligne", "caf", 30, "partiellement_autonome", "25_39", "masculin"),
    ("accompagnement_technique", None, 15, "autonome", "60_69", "feminin"),
    ("demarche_en_ligne", "prefecture_etrangers", 45, "fait_a_sa_place", "18_24", "masculin"),
    ("demarche_en_ligne", "assurance_maladie", 20, "accompagne", "non_communique", "non_communique"),
]
CHAMPS = ("nature", "duree_minutes", "autonomie", "tranche_age", "genre")


class Doigt:
    """Tape sur les boutons (leurs étiquettes) et compte les taps ; n'a pas de clavier."""

    def __init__(self, page):
        self.page, self.taps = page, 0

    def taper(self, cible):
        cible.click()
        self.taps += 1

    def choisir(self, numero, champ, nom):
        """Tape le bouton `nom` du champ `champ` de la ligne `numero` (1, 2…)."""
        groupe = self.page.locator(f"#ligne-{numero} .champ-{champ}")
        radio = groupe.get_by_role("radio", name=re.compile(f"^{re.escape(nom)}(,|$)"))
        self.taper(groupe.locator(f"label[for='{radio.get_attribute('id')}']"))


def mediatrice_sur_tablette(live_server, navigateur, *, profils=None):
    """Une permanence du jour (et, si `profils`, une arrivée sans passage par profil noté à l'accueil) ; la
    médiatrice, qui a surtout aidé pour la Préfecture (en tête de ses démarches), connectée sur une tablette."""
    lieu = LieuFactory(nom="ESC Maurepas")
    aujourdhui = timezone.localdate()
    permanence = PermanenceFactory(lieu=lieu, date=aujourdhui)
    mediatrice = utilisateur("mediation", lieux=[lieu], username="mediatrice")
    hier = PermanenceFactory(lieu=lieu, date=aujourdhui - datetime.timedelta(days=1))
    for code, duree in (("prefecture_etrangers", 20), ("prefecture_etrangers", 20), ("caf", 30)):
        PassageFactory(
            permanence=hier, intervenant=mediatrice.intervenant, demarche=demarche(code), duree_minutes=duree
        )
    for i, (age, genre) in enumerate(profils or []):
        ArriveeFactory(
            permanence=permanence,
            horodatage=timezone.now() - datetime.timedelta(minutes=60 - 10 * i),
            tranche_age=age,
            genre=genre,
        )
    contexte = navigateur.new_context(viewport={"width": 768, "height": 1024}, locale="fr-FR")
    page = contexte.new_page()
    connecter(page, live_server, "mediatrice")
    page.goto(f"{live_server.url}/permanences/{permanence.pk}/saisie-groupee/")
    page.evaluate("window.__meme_page = true")  # disparaît si la page est rechargée
    return permanence, contexte, page


def cinq_lignes_a_l_ecran(page):
    page.locator("#ligne-1").scroll_into_view_if_needed()
    page.evaluate(
        "window.scrollTo(0, document.getElementById('ligne-1').getBoundingClientRect().top + scrollY - 4)"
    )
    hauteur = page.evaluate("window.innerHeight")
    bas = page.locator("#ligne-5").bounding_box()
    barre = page.locator(".barre-saisie-groupee").bounding_box()
    return bas["y"] + bas["height"] <= min(hauteur, barre["y"] + 1)


def passages(permanence):
    return [
        (
            p.type_demande,
            p.demarche.code if p.demarche else None,
            p.duree_minutes,
            p.autonomie,
            p.tranche_age,
            p.genre,
        )
        for p in Passage.objects.filter(permanence=permanence).select_related("demarche").order_by("pk")
    ]


def test_cinq_accompagnements_en_25_taps_au_plus_sans_clavier(live_server, navigateur):
    permanence, contexte, page = mediatrice_sur_tablette(live_server, navigateur)
    assert page.locator("#lignes .ligne-groupee").count() == 5
    capture(page, "saisie-groupee")
    assert cinq_lignes_a_l_ecran(page)
    # Les durées dans l'ordre des valeurs, la plus saisie (20) marquée ; la Préfecture en tête des démarches.
    visibles = "(els) => els.map((e) => e.firstChild.textContent)"  # sans le texte pour lecteur d'écran
    durees = page.locator("#ligne-1 .choix-duree > label.btn")
    assert durees.evaluate_all(visibles) == ["10", "15", "20", "30", "45"]
    assert page.locator("#ligne-1 .choix-duree label.frequente").evaluate_all(visibles) == ["20"]
    assert page.locator("#ligne-1 .champ-nature label.btn").evaluate_all(visibles)[:3] == [
        "Technique",
        "Préfecture",
        "CAF",
    ]
    assert page.locator("#ligne-1 .champ-nature summary").inner_text().startswith("Autres démarches")
    verifier_accessibilite(page, "saisie-groupee")
    doigt = Doigt(page)
    for numero, valeurs in enumerate(TYPIQUES, start=1):
        for champ, nom in zip(CHAMPS, valeurs, strict=True):
            doigt.choisir(numero, champ, nom)
    assert doigt.taps == 25  # un tap par champ : démarche, durée, autonomie, âge, genre
    capture(page, "saisie-groupee-remplie")
    with page.expect_navigation():
        page.get_by_role("button", name="Tout enregistrer").click()  # et « Tout enregistrer »
    assert "5 passages enregistrés." in page.content()
    assert passages(permanence) == ATTENDUS
    contexte.close()


def test_avec_le_profil_de_l_accueil_15_taps_au_plus(live_server, navigateur):
    profils = [(a[4], a[5]) for a in ATTENDUS]
    permanence, contexte, page = mediatrice_sur_tablette(live_server, navigateur, profils=profils)
    assert page.locator("#lignes .ligne-groupee").count() == 5  # une ligne par arrivée sans passage
    assert page.locator("#ligne-1 .ligne-arrivee").is_visible()
    assert cinq_lignes_a_l_ecran(page)
    doigt = Doigt(page)
    for numero, valeurs in enumerate(TYPIQUES, start=1):
        for champ, nom in zip(CHAMPS[:3], valeurs[:3], strict=True):
            doigt.choisir(numero, champ, nom)
    assert doigt.taps == 15  # l'âge et le genre viennent de l'accueil
    with page.expect_navigation():
        page.get_by_role("button", name="Tout enregistrer").click()
    assert "5 passages enregistrés." in page.content()
    assert passages(permanence) == ATTENDUS
    assert Passage.objects.filter(permanence=permanence, arrivee__isnull=False).count() == 5
    contexte.close()


DUREE_10_LIGNE_3 = "id_form-2-duree_minutes_1"  # le premier bouton visible (5 minutes est sous « Autre »)


def test_une_ligne_incomplete_resume_en_haut_focus_sur_la_ligne_rien_de_perdu(live_server, navigateur):
    permanence, contexte, page = mediatrice_sur_tablette(live_server, navigateur)
    doigt = Doigt(page)
    page.get_by_role("button", name="Ajouter une ligne").click()  # sans recharger la page
    assert page.locator("#lignes .ligne-groupee").count() == 6 and page.evaluate("window.__meme_page")
    assert page.evaluate("document.activeElement.id") == "id_form-5-nature_0"
    for numero, valeurs in enumerate([*TYPIQUES, TYPIQUES[0]], start=1):
        for champ, nom in zip(CHAMPS, valeurs, strict=True):
            if (numero, champ) != (3, "duree_minutes"):  # la durée de la ligne 3 est oubliée
                doigt.choisir(numero, champ, nom)
    with page.expect_navigation():
        page.get_by_role("button", name="Tout enregistrer").click()
    assert not Passage.objects.filter(permanence=permanence).exists()
    resume = page.locator("#resume-erreurs")
    assert resume.inner_text() == "Rien n'est enregistré : 1 ligne à compléter (ligne 3 : durée)."
    assert page.evaluate("document.activeElement.id") == DUREE_10_LIGNE_3
    ligne = page.locator("#ligne-3").bounding_box()
    assert ligne["y"] >= 0 and ligne["y"] + ligne["height"] <= 1024  # la ligne est à l'écran
    assert page.locator("#ligne-3 .erreur-champ").inner_text() == "Choisissez la durée."
    # Rien de ce qui a été choisi n'est perdu, la ligne ajoutée comprise.
    assert page.locator("#lignes .ligne-groupee").count() == 6
    assert page.locator("#ligne-6 .champ-genre input:checked").get_attribute("value") == "feminin"
    assert page.locator("#ligne-3 .champ-autonomie input:checked").get_attribute("value") == "autonome"
    largeur, violations = defauts_de_la_page(page)
    assert largeur <= 0 and not violations, violations
    capture(page, "saisie-groupee-erreur")
    page.evaluate("window.scrollTo(0, 0)")
    resume.get_by_role("link", name="ligne 3 : durée").click()
    assert page.evaluate("document.activeElement.id") == DUREE_10_LIGNE_3
    doigt.choisir(3, "duree_minutes", "15 min")
    with page.expect_navigation():
        page.get_by_role("button", name="Tout enregistrer").click()
    assert "6 passages enregistrés." in page.content()
    assert passages(permanence)[:5] == ATTENDUS
    contexte.close()
