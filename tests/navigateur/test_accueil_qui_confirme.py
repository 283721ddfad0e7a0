"""L'accueil sur la tablette (768 × 1024) : la carte touchée confirme (« Arrivée notée à 14 h 02 — Annuler »),
l'annulation est sur place pendant son délai, les derniers pointages (lieu, heure, profil) sont à l'écran sans
défiler ; « Mes lieux » d'abord, les autres derrière « Autres lieux » ; le profil en deux taps au plus."""

import datetime

import pytest
from django.utils import timezone

from permanences.models import Arrivee, LieuHabituel
from tests.inclusion.factories import LieuFactory, utilisateur
from tests.navigateur.conftest import capture, connecter, surveiller_csp, verifier_accessibilite
from tests.navigateur.test_parcours import attendre
from tests.navigateur.test_toutes_les_pages import defauts_de_la_page
from tests.permanences.factories import PermanenceFactory

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def heure_fr(moment):
    local = timezone.localtime(moment)
    return f"{local.hour} h {local.minute:02d}"


def agent_de_trois_lieux(live_server, navigateur):
    """Trois lieux ouverts toute la journée ; l'agent peut pointer dans les trois."""
    lieux = [LieuFactory(nom=nom) for nom in ("ESC Cleunay", "ESC Maurepas", "ESC Villejean")]
    permanences = {
        lieu.nom: PermanenceFactory(
            lieu=lieu,
            date=timezone.localdate(),
            heure_debut=datetime.time(0),
            heure_fin=datetime.time(23, 59),
        )
        for lieu in lieux
    }
    agent = utilisateur("accueil", lieux=lieux, username="agent")
    contexte = navigateur.new_context(viewport={"width": 768, "height": 1024}, locale="fr-FR")
    page = surveiller_csp(contexte.new_page())
    connecter(page, live_server, "agent")
    return agent, permanences, contexte, page


def carte(page, nom):
    return page.locator(".permanence", has=page.get_by_role("heading", name=nom))


def test_mes_lieux_d_abord_confirmation_sur_la_carte_et_annulation_sur_place(live_server, navigateur):
    agent, permanences, contexte, page = agent_de_trois_lieux(live_server, navigateur)
    assert page.locator("#autres-lieux").count() == 0  # aucun lieu choisi : toutes les cartes
    with page.expect_navigation():
        carte(page, "ESC Maurepas").get_by_role("button", name="☆ Dans mes lieux").click()
    assert list(LieuHabituel.objects.filter(user=agent).values_list("lieu__nom", flat=True)) == [
        "ESC Maurepas"
    ]
    # Mes lieux d'abord ; les autres derrière « Autres lieux », fermé.
    assert page.locator(".accueil-cartes").first.locator(".permanence").count() == 1
    assert page.locator("#autres-lieux").get_attribute("open") is None
    assert page.locator("#autres-lieux summary").inner_text() == "Autres lieux (2)"
    assert not carte(page, "ESC Cleunay").is_visible()
    maurepas = carte(page, "ESC Maurepas")

    # Le profil en deux taps (grands boutons), puis « Arrivée ».
    maurepas.get_by_role("button", name="40–59 ans").click()
    maurepas.get_by_role("button", name="Féminin").click()
    maurepas.get_by_role("button", name="Arrivée", exact=True).click()
    attendre(lambda: Arrivee.objects.count() == 1)
    arrivee = Arrivee.objects.get()
    assert (arrivee.permanence, arrivee.tranche_age, arrivee.genre) == (
        permanences["ESC Maurepas"],
        "40_59",
        "feminin",
    )
    quand = heure_fr(arrivee.horodatage)
    confirmation = maurepas.locator("[data-confirmation]")
    assert confirmation.inner_text().startswith(f"Arrivée notée à {quand} (40 à 59 ans, féminin) —")
    assert (
        maurepas.get_by_role("button", name="40–59 ans").get_attribute("aria-pressed") == "false"
    )  # remis à zéro
    # Les derniers pointages, à l'écran sans défiler : heure, lieu, profil.
    dernier = page.locator("#derniers li").first
    assert dernier.inner_text().startswith(f"{quand} · Arrivée · ESC Maurepas · 40 à 59 ans, féminin")
    boite = dernier.bounding_box()
    assert boite["y"] + boite["height"] <= 1024 and page.evaluate("window.scrollY") == 0
    largeur, violations = defauts_de_la_page(page)
    assert largeur <= 0 and not violations, violations
    capture(page, "accueil-confirmation")

    # Un second pointage, sans profil ; l'annulation sur la carte annule celui-là, pas le premier.
    maurepas.get_by_role("button", name="Arrivée", exact=True).click()
    attendre(lambda: Arrivee.objects.count() == 2)
    second = Arrivee.objects.latest("enregistre_le")
    attendre(lambda: "(" not in confirmation.inner_text())
    confirmation.get_by_role("button", name="Annuler").click()
    attendre(lambda: Arrivee.objects.actifs().count() == 1)
    second.refresh_from_db()
    assert second.est_annule and not Arrivee.objects.get(pk=arrivee.pk).est_annule
    attendre(lambda: confirmation.inner_text() == f"Arrivée de {heure_fr(second.horodatage)} annulée.")
    assert page.locator("#derniers li").count() == 1
    attendre(lambda: maurepas.locator('[data-compteur="arrivees"]').inner_text() == "1")
    verifier_accessibilite(page, "accueil-mes-lieux")
    contexte.close()


def test_l_annulation_sur_la_carte_dure_le_delai_reglage_compris(live_server, navigateur, settings):
    settings.INCLUSION = {**settings.INCLUSION, "DELAI_ANNULATION_POINTAGE_SECONDES": 6}
    lieu = LieuFactory(nom="ESC Bréquigny")
    PermanenceFactory(
        lieu=lieu, date=timezone.localdate(), heure_debut=datetime.time(0), heure_fin=datetime.time(23, 59)
    )
    utilisateur("accueil", lieux=[lieu], username="agent")
    contexte = navigateur.new_context(viewport={"width": 768, "height": 1024}, locale="fr-FR")
    page = surveiller_csp(contexte.new_page())
    connecter(page, live_server, "agent")
    assert page.locator("#autres-lieux").count() == 0 and "mes lieux" not in page.content().lower()  # un lieu
    page.get_by_role("button", name="Arrivée", exact=True).click()
    zone = page.locator("[data-confirmation]")
    attendre(lambda: zone.get_by_role("button", name="Annuler").is_visible())
    attendre(lambda: zone.get_by_role("button", name="Annuler").count() == 0, delai=15)  # délai passé
    assert zone.inner_text().startswith("Arrivée notée à")
    contexte.close()
