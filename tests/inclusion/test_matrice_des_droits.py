"""Matrice des droits, générée depuis la configuration des URL : chaque motif × chaque rôle (et anonyme)
a un résultat attendu. Une nouvelle vue absente de la matrice fait échouer le test."""

import datetime
import json

import pytest
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from inclusion.roles import intervenant_de
from rapports.models import PointAnalyse
from tests.formations.factories import InscriptionFactory, SessionFormationFactory, ThemeFactory
from tests.inclusion.factories import LieuFactory, utilisateur
from tests.permanences.factories import PassageFactory, PermanenceFactory, RendezVousFactory
from travaux.enums import NatureTraitement
from travaux.services import demander

ROLES = ["accueil", "mediation", "formation", "arcs", "coordination"]
PUBLIC = "public"  # accessible sans connexion
CONNECTE = "connecté"  # tout compte connecté
JETON = "jeton"  # API : seul un jeton de l'API ouvre l'accès, jamais une session

# Nom d'URL → rôles autorisés (la coordination l'est partout), PUBLIC ou CONNECTE.
MATRICE = {
    "accueil_general": CONNECTE,
    "annuaire": set(ROLES),
    "donnees_personnelles": PUBLIC,
    "mentions_legales": PUBLIC,
    "accessibilite": PUBLIC,
    "suggestions_orientation": set(ROLES),
    "login": PUBLIC,
    "logout": CONNECTE,
    "permanences:accueil": {"accueil"},
    "permanences:service_worker": PUBLIC,
    "permanences:accueil_compteurs": {"accueil"},
    "permanences:pointer": {"accueil"},
    "permanences:annuler_pointage": {"accueil"},
    "permanences:mes_lieux": {"accueil"},
    "permanences:mes_permanences": {"mediation"},
    "permanences:permanence_nouvelle": {"mediation"},
    "permanences:permanence": {"mediation"},
    "permanences:file": {"mediation"},
    "permanences:prendre": {"mediation"},
    "permanences:permanence_annuler": {"mediation"},
    "permanences:passage_nouveau": {"mediation"},
    "permanences:saisie_groupee": {"mediation"},
    "permanences:passage_modifier": {"mediation"},
    "permanences:agenda": {"mediation", "arcs"},
    "permanences:a_renseigner": {"mediation", "arcs"},
    "permanences:rendez_vous_nouveau": {"mediation", "arcs"},
    "permanences:rendez_vous_modifier": {"mediation"},  # rendez-vous CCAS : l'ARCS ne le voit pas (404)
    "permanences:rendez_vous_resultat": {"mediation"},
    "formations:sessions": {"formation"},
    "formations:session_nouvelle": {"formation"},
    "formations:session": {"formation"},
    "formations:session_modifier": {"formation"},
    "formations:session_tenue": {"formation"},
    "formations:session_annuler": {"formation"},
    "formations:emargement": {"formation"},
    "formations:export_inscriptions": {"formation"},
    "formations:presence": {"formation"},
    "formations:desinscrire": {"formation"},
    "formations:themes": {"formation"},
    "formations:theme_modifier": {"formation"},
    "formations:accompagnements": {"formation"},
    "rapports:tableau_de_bord": set(),
    "rapports:export_xlsx": set(),
    "rapports:bilan": set(),
    "rapports:bilan_pdf": set(),
    "rapports:bilan_json": set(),
    "rapports:point_ajouter": set(),
    "rapports:point_modifier": set(),
    "rapports:point_supprimer": set(),
    "rapports:publier": set(),
    "rapports:rouvrir": set(),
    "rapports:publication": set(),
    "rapports:import": set(),
    "rapports:export_zip": set(),
    "rapports:export_coop": set(),
    "rapports:traitement": set(),
    "rapports:traitement_fichier": set(),
    "rapports:bilan_document_html": set(),
    "rapports:lieux_json": set(),
    "rapports:import_annuaire": set(),
    "rapports:import_bilan_externe": set(),
    "rapports:lieux_csv": set(),
    "annuaire_data_inclusion": set(),
    # L'API ne connaît que ses jetons : une session, même de la coordination, n'y ouvre rien (401).
    "api_v1:bilan": JETON,
    "api_v1:indicateurs": JETON,
    "api_v1:lieux": JETON,
    "api_v1:structures": JETON,
    "api_v1:services": JETON,
    "api_v1:openapi-json": PUBLIC,
    "api_v1:api-root": PUBLIC,
}
# Points d'entrée en POST (les autres sont appelés en GET).
POST = {
    "permanences:pointer",
    "permanences:annuler_pointage",
    "permanences:mes_lieux",
    "logout",
    "permanences:prendre",
    "permanences:permanence_annuler",
    "formations:session_tenue",
    "formations:session_annuler",
    "formations:presence",
    "formations:desinscrire",
    "rapports:point_ajouter",
    "rapports:point_modifier",
    "rapports:export_zip",
    "rapports:export_coop",
    "rapports:export_xlsx",
    "rapports:point_supprimer",
    "rapports:publier",
    "rapports:rouvrir",
}
JSON = {"permanences:pointer", "permanences:annuler_pointage"}


def motifs_d_url(resolver=None, espace=""):
    resolver = resolver or get_resolver()
    for motif in resolver.url_patterns:
        if isinstance(motif, URLResolver):
            if motif.app_name == "admin":
                continue
            yield from motifs_d_url(motif, f"{espace}{motif.namespace}:" if motif.namespace else espace)
        else:
            yield f"{espace}{motif.name}", motif


def test_chaque_url_a_une_entree_dans_la_matrice():
    noms = {nom for nom, _ in motifs_d_url()}
    assert noms - set(MATRICE) == set(), "vue sans entrée dans la matrice des droits"
    assert set(MATRICE) - noms == set(), "entrée de matrice sans vue"


@pytest.fixture
def monde(db):
    lieu = LieuFactory()
    comptes = {
        role: utilisateur(role, lieux=[lieu], username=role, is_staff=role == "coordination")
        for role in ROLES
    }
    permanence = PermanenceFactory(lieu=lieu, date=timezone.localdate())
    session = SessionFormationFactory()
    objets = {
        "permanence": permanence.pk,
        "passage": PassageFactory(permanence=permanence).pk,
        "rdv": RendezVousFactory(
            lieu=lieu, intervenant=intervenant_de(comptes["mediation"]), date=datetime.date.today()
        ).pk,
        "session": session.pk,
        "inscription": InscriptionFactory(session=session).pk,
        "theme": ThemeFactory().pk,
        "point": PointAnalyse.objects.create(annee=2023, section="a_retenir", titre="Point").pk,
        "traitement": demander(NatureTraitement.EXPORT_COMPLET).pk,
    }
    return comptes, objets


def arguments(nom, motif, objets):
    cles = motif.pattern.converters.keys()
    if not cles:
        return {}
    if nom.startswith("rapports:point_") and "pk" in cles:
        return {"pk": objets["point"]}
    if nom == "api_v1:bilan":
        return {"annee": 2023}
    if nom == "annuaire_data_inclusion":
        return {"quoi": "structures"}
    if nom.startswith("rapports:traitement"):
        return {"pk": objets["traitement"]}
    if nom == "rapports:publication":
        return {"annee": 2023, "version": 1, "format": "pdf"}
    if nom.startswith("rapports:"):
        return {"annee": 2023, **({"section": "a_retenir"} if "section" in cles else {})}
    objet = {
        "permanences:passage_modifier": "passage",
        "permanences:rendez_vous_modifier": "rdv",
        "permanences:rendez_vous_resultat": "rdv",
        "formations:presence": "inscription",
        "formations:desinscrire": "inscription",
        "formations:theme_modifier": "theme",
    }.get(nom) or ("session" if nom.startswith("formations:") else "permanence")
    return {"pk": objets[objet]}


def appeler(client, nom, url):
    if nom in JSON:
        return client.post(url, json.dumps({}), content_type="application/json")
    return client.post(url, {}) if nom in POST else client.get(url)


@pytest.mark.parametrize("qui", ["anonyme", *ROLES])
def test_matrice_des_droits(client, monde, qui):
    comptes, objets = monde
    if qui != "anonyme":
        client.force_login(comptes[qui])
    ecarts = []
    for nom, motif in motifs_d_url():
        if nom == "logout":
            continue  # la déconnexion termine la session : testée à part
        url = reverse(nom, kwargs=arguments(nom, motif, objets))
        reponse = appeler(client, nom, url)
        attendu = MATRICE[nom]
        if attendu == JETON:
            if reponse.status_code != 401:
                ecarts.append((nom, reponse.status_code))
            continue
        if attendu == PUBLIC:
            autorise = True
        elif qui == "anonyme":
            autorise = False
        else:
            autorise = attendu == CONNECTE or qui == "coordination" or qui in attendu
        if autorise:
            ok = reponse.status_code not in (401, 403) and not (
                reponse.status_code == 302 and reponse["Location"].startswith(reverse("login"))
            )
        elif qui == "anonyme":
            ok = (reponse.status_code == 302 and reponse["Location"].startswith(reverse("login"))) or (
                nom in JSON and reponse.status_code == 401
            )
        else:
            ok = reponse.status_code in (403, 404)
        if not ok:
            ecarts.append((nom, reponse.status_code))
    assert not ecarts, f"{qui} : {ecarts}"


def test_administration_reservee_au_personnel(client, monde):
    comptes, _ = monde
    client.force_login(comptes["mediation"])
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("admin:login"))
    client.force_login(comptes["coordination"])
    assert client.get(reverse("admin:index")).status_code == 200


def test_deconnexion_en_post_seulement(client, monde):
    comptes, _ = monde
    client.force_login(comptes["accueil"])
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("permanences:accueil")).status_code == 302


def test_meme_role_lieux_differents(client, db):
    """Deux agents et deux médiateurs sur des lieux différents ne voient que leurs permanences."""
    lieu_a, lieu_b = LieuFactory(), LieuFactory()
    perm_a = PermanenceFactory(lieu=lieu_a, date=timezone.localdate())
    perm_b = PermanenceFactory(lieu=lieu_b, date=timezone.localdate())
    for role in ("accueil", "mediation"):
        a = utilisateur(role, lieux=[lieu_a], username=f"{role}_a")
        b = utilisateur(role, lieux=[lieu_b], username=f"{role}_b")
        for compte, sienne, autre in ((a, perm_a, perm_b), (b, perm_b, perm_a)):
            client.force_login(compte)
            if role == "accueil":
                page = client.get(reverse("permanences:accueil")).content.decode()
                assert (
                    f'data-permanence="{sienne.pk}"' in page and f'data-permanence="{autre.pk}"' not in page
                )
            else:
                assert client.get(reverse("permanences:permanence", args=[sienne.pk])).status_code == 200
                assert client.get(reverse("permanences:permanence", args=[autre.pk])).status_code == 404
