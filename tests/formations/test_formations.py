import datetime
import io
import threading

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time
from pypdf import PdfReader

from formations import services
from formations.enums import Presence, StatutSession
from formations.models import Inscription, SessionFormation
from tests.formations.factories import InscriptionFactory, SessionFormationFactory, ThemeFactory
from tests.inclusion.factories import StructureFactory, utilisateur
from tests.permanences.test_accueil import nombre_de_requetes


@pytest.fixture
def formateur(db):
    return utilisateur("formation", username="formation")


@pytest.fixture
def cdas(db):
    return StructureFactory(nom="CDAS")


def test_capacite_puis_liste_d_attente_et_promotion(cdas):
    session = SessionFormationFactory(capacite=2)
    a = services.inscrire(session=session, structure=cdas, nom="A", email="a@x.fr")
    b = services.inscrire(session=session, structure=cdas, nom="B", email="b@x.fr")
    c = services.inscrire(session=session, structure=cdas, nom="C", email="c@x.fr")
    d = services.inscrire(session=session, structure=cdas, nom="D", email="d@x.fr")
    assert [a.liste_attente, b.liste_attente, c.liste_attente, d.liste_attente] == [False, False, True, True]
    promues = services.desinscrire(a)
    assert [p.nom for p in promues] == ["C"]  # dans l'ordre d'inscription
    assert list(session.inscriptions.filter(liste_attente=False).values_list("nom", flat=True)) == ["B", "C"]


def test_doublon_de_courriel_refuse(cdas):
    session = SessionFormationFactory()
    services.inscrire(session=session, structure=cdas, nom="A", email="a@x.fr")
    with pytest.raises(services.RegleFormation, match="déjà inscrite"):
        services.inscrire(session=session, structure=cdas, nom="A bis", email="A@X.FR")
    assert session.inscriptions.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgresql
def test_deux_inscriptions_simultanees_pour_la_derniere_place(donnees_de_migration):
    cdas = StructureFactory(nom="CDAS")
    session = SessionFormationFactory(capacite=3)
    for i in range(2):
        InscriptionFactory(session=session, structure=cdas)
    barriere = threading.Barrier(2)
    erreurs = []

    def inscrire(nom):
        try:
            barriere.wait()
            services.inscrire(session=session, structure=cdas, nom=nom, email=f"{nom}@x.fr")
        except Exception as e:  # pragma: no cover - remonté par l'assertion
            erreurs.append(e)
        finally:
            connection.close()

    fils = [threading.Thread(target=inscrire, args=(n,)) for n in ("x", "y")]
    for f in fils:
        f.start()
    for f in fils:
        f.join()
    assert not erreurs
    assert session.inscriptions.filter(liste_attente=False).count() == 3
    assert session.inscriptions.filter(liste_attente=True).count() == 1


def test_tenue_exige_deux_presents_et_annulation_garde_les_inscriptions(cdas, formateur):
    session = SessionFormationFactory(date=timezone.localdate())
    i1, i2 = InscriptionFactory(session=session), InscriptionFactory(session=session)
    services.marquer_presence(i1, Presence.PRESENT)
    with pytest.raises(services.RegleFormation, match="au moins 2 participant"):
        services.marquer_tenue(session, user=formateur)
    services.marquer_presence(i2, Presence.PRESENT)
    assert services.marquer_tenue(session, user=formateur).statut == StatutSession.TENUE
    autre = SessionFormationFactory(date=timezone.localdate())
    InscriptionFactory.create_batch(3, session=autre)
    with pytest.raises(services.RegleFormation, match="motif"):
        services.annuler(autre, "  ", user=formateur)
    services.annuler(autre, "Jauge non atteinte", user=formateur)
    autre.refresh_from_db()
    assert autre.statut == StatutSession.ANNULEE and autre.inscriptions.count() == 3


def test_liste_d_attente_ne_peut_etre_presente(cdas):
    session = SessionFormationFactory(capacite=1)
    services.inscrire(session=session, structure=cdas, nom="A")
    attente = services.inscrire(session=session, structure=cdas, nom="B")
    with pytest.raises(services.RegleFormation):
        services.marquer_presence(attente, Presence.PRESENT)


def test_signalement_a_annuler(cdas):
    session = SessionFormationFactory(date=datetime.date(2024, 5, 10))
    InscriptionFactory(session=session)
    with freeze_time("2024-05-01"):
        assert not session.a_annuler  # trop tôt pour signaler
    with freeze_time("2024-05-08"):
        assert session.a_annuler
        InscriptionFactory(session=session)
        assert not SessionFormation.objects.avec_compteurs().get(pk=session.pk).a_annuler


@freeze_time("2024-05-10 12:00:00+02:00")
def test_pages_formation_inscription_presence_tenue(client, formateur, cdas):
    client.force_login(formateur)
    theme = ThemeFactory(nom="Intelligence artificielle")
    reponse = client.post(
        reverse("formations:session_nouvelle"),
        {
            "theme": theme.pk,
            "date": "2024-05-10",
            "heure_debut": "09:30",
            "heure_fin": "12:00",
            "capacite": "1",
        },
    )
    session = SessionFormation.objects.get()
    assert reponse["Location"] == reverse("formations:session", args=[session.pk])
    url = reverse("formations:session", args=[session.pk])
    client.post(url, {"nom": "Awa Diallo", "email": "awa@cdas.fr", "structure": cdas.pk})
    attente = client.post(
        url, {"nom": "Léo Martin", "email": "leo@cdas.fr", "structure": cdas.pk}, follow=True
    )
    assert "Session complète : Léo Martin est sur liste d&#x27;attente" in attente.content.decode()
    doublon = client.post(url, {"nom": "Awa", "email": "AWA@cdas.fr", "structure": cdas.pk})
    assert "déjà inscrite" in doublon.content.decode()
    awa = Inscription.objects.get(nom="Awa Diallo")
    fragment = client.post(
        reverse("formations:presence", args=[awa.pk]), {"present": "oui"}, HTTP_HX_REQUEST="true"
    )
    assert 'aria-pressed="true">Présent·e' in fragment.content.decode()
    refus = client.post(reverse("formations:session_tenue", args=[session.pk]), follow=True)
    assert "au moins 2 participant·e·s présent·e·s (1 marqué·e·s présent·e·s)" in refus.content.decode()
    session.refresh_from_db()
    assert session.statut == StatutSession.PROGRAMMEE


def test_feuille_d_emargement_pdf(client, formateur, cdas):
    session = SessionFormationFactory(theme=ThemeFactory(nom="Outils collaboratifs"))
    InscriptionFactory(session=session, nom="Awa Diallo", structure=cdas)
    InscriptionFactory(session=session, nom="Léo Martin", structure=cdas)
    InscriptionFactory(session=session, nom="En Attente", liste_attente=True)
    client.force_login(formateur)
    reponse = client.get(reverse("formations:emargement", args=[session.pk]))
    assert reponse["Content-Type"] == "application/pdf"
    texte = "".join(page.extract_text() for page in PdfReader(io.BytesIO(reponse.content)).pages)
    assert "Feuille d'émargement" in texte
    assert "Outils collaboratifs" in texte
    assert "Awa Diallo" in texte and "Léo Martin" in texte
    assert "En Attente" not in texte


def test_export_xlsx_des_inscriptions(client, formateur, cdas):
    from openpyxl import load_workbook

    session = SessionFormationFactory()
    InscriptionFactory(
        session=session, nom="Awa Diallo", email="awa@cdas.fr", structure=cdas, present=Presence.PRESENT
    )
    client.force_login(formateur)
    reponse = client.get(reverse("formations:export_inscriptions", args=[session.pk]))
    feuille = load_workbook(io.BytesIO(reponse.content))["Inscriptions"]
    lignes = list(feuille.values)
    assert lignes[0][:5] == ("Nom", "Courriel", "Structure", "Inscription", "Présence")
    assert lignes[1][:5] == ("Awa Diallo", "awa@cdas.fr", "CDAS", "confirmée", "Présent·e")


@pytest.mark.parametrize("role", ["accueil", "mediation", "arcs"])
def test_formations_reservees_au_role_formation(client, db, role):
    session = SessionFormationFactory()
    client.force_login(utilisateur(role))
    for url in [
        reverse("formations:sessions"),
        reverse("formations:session", args=[session.pk]),
        reverse("formations:emargement", args=[session.pk]),
        reverse("formations:themes"),
    ]:
        assert client.get(url).status_code == 403


def test_liste_des_sessions_requetes_constantes(client, formateur, django_assert_num_queries):
    client.force_login(formateur)
    url = reverse("formations:sessions") + "?annee=2023"
    SessionFormationFactory()
    avant = nombre_de_requetes(client, url)
    for i in range(15):
        s = SessionFormationFactory(date=datetime.date(2023, 1, 1) + datetime.timedelta(days=i * 7))
        InscriptionFactory.create_batch(3, session=s)
    with django_assert_num_queries(avant):
        contenu = client.get(url).content.decode()
    assert "16 sessions en 2023" in contenu


def test_accompagnement_individuel_duree_validee(client, formateur, cdas):
    client.force_login(formateur)
    reponse = client.post(
        reverse("formations:accompagnements"),
        {"date": "2024-02-01", "duree_minutes": "0", "structure": cdas.pk},
    )
    assert "au moins 1 minute" in reponse.content.decode()
    ok = client.post(
        reverse("formations:accompagnements"),
        {"date": "2024-02-01", "duree_minutes": "132", "structure": cdas.pk},
    )
    assert ok.status_code == 302
