"""#19, point 7 : chaque adresse de l'application, valeurs hostiles dans chaque paramètre et chaque champ.

Pour chaque adresse (sauf l'administration, la déconnexion et le téléversement, testés à part), la page est
d'abord lue pour connaître les champs de ses formulaires et leurs valeurs possibles ; hypothesis envoie ensuite
des paramètres d'adresse et des formulaires mêlant valeurs hostiles et valeurs valides tirées de la page. Aucune
réponse ne doit être une erreur 500, et une part des envois valides doit réussir (redirection après écriture) :
le test atteint aussi les branches de succès.
"""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.inclusion.test_matrice_des_droits import arguments, monde, motifs_d_url  # noqa: F401 (fixture)
from travaux.enums import StatutTraitement
from travaux.models import Traitement

HOSTILES = [
    "",
    "²",
    "-1",
    "0",
    "99999999999999999999999",
    "9999-12-31",
    "0001-01-01",
    "2024-02-30",
    "25:61",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "{{ 7*7 }}",
    "\x00",
    "\x07",
    "é" * 300,
    '=HYPERLINK("http://x")',
    "../../etc/passwd",
    "NaN",
    "1e308",
    " ",
]
PARAMETRES = ["annee", "semaine", "debut", "fin", "lieux", "intervenants", "q", "demarche", "arrivee"]
PARAMETRES += ["intervenant", "lieu", "service", "statut", "format", "page", "essai"]
EXCLUES = {"logout", "login", "rapports:import", "permanences:service_worker"}
JSON = {"permanences:pointer", "permanences:annuler_pointage"}
LENTES = {"rapports:publier", "formations:emargement", "rapports:export_zip"}
# Corps et fichiers JSON hostiles (#28, point 5) : 200 000 crochets imbriqués (RecursionError avant), des types
# inattendus là où une liste ou un objet est attendu, des nombres géants, de l'UTF-8 invalide.
JSON_HOSTILES = [
    "[]", "null", "1", '"x"', "{", "[" * 5000, "[" * 200_000, '{"a":' * 100_000, "1e999999", "9" * 5000,
    '{"structures": 5}', '{"services": "x"}', '{"items": 5}', '{"items": [1, null]}', '{"structures": [[]]}',
    '{"version": 2, "annee": 2024, "dispositif": 5}', '{"version": 2, "annee": 2024, "dispositif": []}',
    '{"version": 2, "annee": "2024"}', '{"version": 2, "annee": 1e308}', '{"uuid": {"$ne": null}}',
]  # fmt: skip
JSON_HOSTILES_OCTETS = [t.encode() for t in JSON_HOSTILES] + [b"\xff\xfe\x00{", b"\xef\xbb\xbf{}", b""]
REGLAGES = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def champs_de_formulaire(html):
    """{nom de champ: [valeurs valides vues dans la page]} pour les formulaires POST de la page."""
    champs = {}
    for formulaire in re.findall(r"<form[^>]*method=\"post\"[^>]*>(.*?)</form>", html, re.S | re.I):
        for nom, valeur in re.findall(
            r"<input[^>]*name=\"([^\"]+)\"[^>]*?(?:value=\"([^\"]*)\")?[^>]*>", formulaire
        ):
            if nom != "csrfmiddlewaretoken":
                champs.setdefault(nom, []).append(valeur)
        for nom, options in re.findall(
            r"<select[^>]*name=\"([^\"]+)\"[^>]*>(.*?)</select>", formulaire, re.S
        ):
            champs.setdefault(nom, []).extend(re.findall(r"<option[^>]*value=\"([^\"]*)\"", options))
        for nom in re.findall(r"<textarea[^>]*name=\"([^\"]+)\"", formulaire):
            champs.setdefault(nom, []).append("Texte valide")
    return champs


def valides(exemples):
    return [v for v in exemples if v] or [datetime.date.today().isoformat(), "10:00", "30", "Texte valide"]


def valeurs(exemples):
    return st.one_of(st.sampled_from(HOSTILES), st.sampled_from(valides(exemples)), st.text(max_size=30))


def formulaires(champs):
    """Des formulaires tout valides (valeurs de la page) et des formulaires mêlés de valeurs hostiles."""
    tout_valide = st.fixed_dictionaries({c: st.sampled_from(valides(v)) for c, v in champs.items()})
    mele = st.fixed_dictionaries({}, optional={c: valeurs(v) for c, v in champs.items()})
    return st.one_of(tout_valide, mele)


@pytest.fixture
def coordination_connectee(client, monde):  # noqa: F811
    comptes, objets = monde
    client.force_login(comptes["coordination"])
    return client, objets


def test_aucune_adresse_ne_repond_500(coordination_connectee):
    client, objets = coordination_connectee
    succes, essais_post = 0, 0
    for nom, motif in motifs_d_url():
        if nom in EXCLUES or nom in JSON:
            continue
        url = reverse(nom, kwargs=arguments(nom, motif, objets))
        page = client.get(url)
        assert page.status_code < 500, (nom, page.status_code)
        html = (
            page.content.decode(errors="replace")
            if page.get("Content-Type", "").startswith("text/html") and not page.streaming
            else ""
        )
        champs = champs_de_formulaire(html)
        nombre = 2 if nom in LENTES else REGLAGES.max_examples

        @settings(REGLAGES, max_examples=nombre)
        @given(requete=st.dictionaries(st.sampled_from(PARAMETRES), st.sampled_from(HOSTILES), max_size=4))
        def adresse(requete):
            reponse = client.get(url, requete)
            assert reponse.status_code < 500, (nom, requete, reponse.status_code)

        adresse()
        if not champs:
            continue

        @settings(REGLAGES, max_examples=nombre)
        @given(donnees=formulaires(champs))
        def formulaire(donnees):
            nonlocal succes, essais_post
            reponse = client.post(url, donnees)
            essais_post += 1
            assert reponse.status_code < 500, (nom, donnees, reponse.status_code)
            succes += reponse.status_code == 302

        formulaire()
    assert essais_post > 100
    assert succes >= 5, f"branches de succès trop rarement atteintes : {succes} sur {essais_post}"


@pytest.mark.parametrize("nom", sorted(JSON))
def test_points_d_entree_json_hostiles(client, monde, nom):  # noqa: F811
    import json

    comptes, objets = monde
    client.force_login(comptes["accueil"])

    @settings(REGLAGES, max_examples=60)
    @given(
        corps=st.one_of(
            st.dictionaries(
                st.sampled_from(
                    ["uuid", "type", "permanence", "horodatage", "motif", "tranche_age", "genre"]
                ),
                st.one_of(
                    st.sampled_from(HOSTILES), st.integers(), st.none(), st.lists(st.integers(), max_size=2)
                ),
                max_size=7,
            ),
            st.sampled_from(JSON_HOSTILES),
        )
    )
    def envoyer(corps):
        texte = corps if isinstance(corps, str) else json.dumps(corps)
        reponse = client.post(reverse(nom), texte, content_type="application/json")
        assert reponse.status_code < 500, (corps, reponse.status_code)

    envoyer()


def test_chaque_formulaire_a_fichier_refuse_les_json_hostiles_sans_500(coordination_connectee):
    """Chaque page qui accepte un fichier (champ « file ») reçoit chaque JSON hostile, les autres champs remplis
    de valeurs valides de la page : jamais d'erreur 500, et un message (dans la page, ou dans celle du travail de
    fond qui le lit, jamais en échec)."""
    from tests.taches import executer_les_taches

    client, objets = coordination_connectee
    pages = en_fond = 0
    for nom, motif in motifs_d_url():
        if nom in {"logout", "login"} or nom in JSON:
            continue
        url = reverse(nom, kwargs=arguments(nom, motif, objets))
        page = client.get(url)
        if not page.get("Content-Type", "").startswith("text/html") or page.streaming:
            continue
        html = page.content.decode(errors="replace")
        fichiers = re.findall(r"<input[^>]*type=\"file\"[^>]*name=\"([^\"]+)\"", html) + re.findall(
            r"<input[^>]*name=\"([^\"]+)\"[^>]*type=\"file\"", html
        )
        if not fichiers:
            continue
        pages += 1
        autres = {c: valides(v)[0] for c, v in champs_de_formulaire(html).items() if c not in fichiers}
        autres.pop("essai", None)  # l'essai n'écrit rien : on veut aussi le chemin qui écrit
        autres.pop("reprendre", None)  # (annuaire national) relancer un import précédent : sans le fichier
        for i, octets in enumerate(JSON_HOSTILES_OCTETS):
            envoi = {**autres, **{c: SimpleUploadedFile(f"hostile-{i}.json", octets) for c in fichiers}}
            reponse = client.post(url, envoi)
            assert reponse.status_code < 500, (nom, octets[:40], reponse.status_code)
            assert reponse.status_code in (200, 302, 400), (nom, octets[:40], reponse.status_code)
            en_fond += reponse.status_code == 302
            executer_les_taches()  # un fichier lu en fond (import, annuaire national) : refusé, jamais en échec
            echecs = Traitement.objects.filter(statut=StatutTraitement.ECHOUE).values_list(
                "message", flat=True
            )
            assert not echecs, (nom, octets[:40], list(echecs))
    assert pages >= 3  # import CSV/zip, annuaire national, autre dispositif
    assert en_fond >= len(JSON_HOSTILES_OCTETS) - 1  # l'annuaire national lit chaque fichier non vide en fond
