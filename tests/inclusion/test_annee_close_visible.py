"""Une année close se voit (#31) : aucune page ne propose de modifier un de ses enregistrements, à aucun rôle.

Rien n'est listé à la main : les familles datées sont les modèles protégés par la clôture (inclusion.cloture), les
pages sont les adresses des applications qui les montrent (résolveur d'URL). Chaque adresse à clé (`<pk>`) est
ouverte avec la clé de chaque enregistrement de l'année close, par chaque rôle :
- une page qui répond 200 est une page de lecture : aucun formulaire d'écriture (POST) ;
- une adresse qui redirige refuse d'emblée : elle dit que l'année est close, jamais « seule la coordination… »
  (la coordination non plus ne peut pas), et la coordination n'a pas de formulaire entier pour l'apprendre ;
puis, sur chaque page (listes comprises), aucun lien, bouton ou formulaire ne mène à une adresse d'écriture d'un
enregistrement de l'année close. Les clés des enregistrements datés sont choisies hors de celles des autres tables
(thèmes, lieux), pour qu'une adresse ouverte avec elles montre bien l'enregistrement daté.
"""

import datetime
import html
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.urls import Resolver404, get_resolver, resolve, reverse
from django.utils import timezone
from freezegun import freeze_time

from inclusion.cloture import ProtegeeParLaCloture
from inclusion.models import ClotureAnnee
from permanences.enums import Service
from tests.formations.factories import (
    AccompagnementFormationFactory,
    InscriptionFactory,
    SessionFormationFactory,
)
from tests.inclusion.factories import LieuFactory, utilisateur
from tests.permanences.factories import (
    ArriveeFactory,
    PassageFactory,
    PermanenceFactory,
    RefusFactory,
    RendezVousFactory,
)

CLOSE = 2025
# Le 10 janvier 2026 : le 17 décembre 2025 est dans le délai de saisie des médiateurs (30 jours). Seule la clôture
# peut donc retirer leurs boutons : le test ne passe pas grâce au délai.
MAINTENANT = "2026-01-10 10:00:00+01:00"
JOUR = datetime.date(CLOSE, 12, 17)
APPLICATIONS = ("permanences", "formations")
# Les paramètres qui amènent une page de liste sur l'année close (la semaine, l'année, toutes les permanences).
REQUETES_DES_LISTES = {
    "permanences:agenda": f"?semaine={JOUR:%Y-%m-%d}",
    "formations:sessions": f"?annee={CLOSE}",
    "permanences:mes_permanences": "?toutes=1",
}
# Les familles datées qu'aucune page de ces applications ne montre, et pourquoi.
SANS_PAGE = {
    "rapports.ChiffreExterne": "chiffres déclarés : administration (refus testé dans tests/rapports)",
    "rapports.PointAnalyse": "analyse du Bilan : page du Bilan, figée (test_annees_closes)",
    "rapports.SuiviDonnees": "dates de suivi : administration (refus testé dans tests/rapports)",
    "permanences.Creneau": "planning : administration (refus testé dans tests/inclusion/test_cloture_creneaux)",
}
ROLES = ("mediation", "arcs", "formation", "coordination")


class _Liens(HTMLParser):
    """Les liens, boutons htmx et formulaires d'une page, dans <main> (l'en-tête a la déconnexion) ; tout le
    document pour un fragment htmx, qui n'a pas de <main>."""

    def __init__(self, tout):
        super().__init__()
        self.dedans = 1 if tout else 0
        self.liens, self.ecritures = [], []

    def handle_starttag(self, balise, attributs):
        attributs = dict(attributs)
        if balise == "main":
            self.dedans += 1
        if not self.dedans:
            return
        if balise == "a" and attributs.get("href"):
            self.liens.append(attributs["href"])
        if attributs.get("hx-get"):
            self.liens.append(attributs["hx-get"])
        for attribut in ("hx-post", "hx-put", "hx-patch", "hx-delete"):
            if attributs.get(attribut):
                self.ecritures.append(attributs[attribut])
        if balise == "form" and (attributs.get("method") or "get").lower() == "post":
            self.ecritures.append(attributs.get("action") or "")

    def handle_endtag(self, balise):
        if balise == "main":
            self.dedans -= 1


def _analyser(contenu):
    texte = contenu.decode()
    analyse = _Liens(tout="<main" not in texte)
    analyse.feed(texte)
    return analyse


def familles_datees():
    return sorted(
        (m for m in apps.get_models() if issubclass(m, ProtegeeParLaCloture)), key=lambda m: m._meta.label
    )


def _annee_close_peuplee():
    """Un enregistrement de chaque famille datée dans l'année close, à des clés propres à chaque table."""
    lieu = LieuFactory(nom="ESC Cleunay")
    comptes = {role: utilisateur(role, lieux=[lieu], username=role) for role in ROLES}
    moi = comptes["mediation"].intervenant
    permanence = PermanenceFactory(pk=1001, lieu=lieu, date=JOUR)
    permanence.intervenants.add(moi)
    ArriveeFactory(pk=2001, permanence=permanence)  # en attente
    ArriveeFactory(pk=2002, permanence=permanence, prise_en_charge_le=timezone.now(), prise_en_charge_par=moi)
    PassageFactory(pk=3001, permanence=permanence, intervenant=moi)
    RefusFactory(pk=4001, permanence=permanence)
    RendezVousFactory(pk=5001, lieu=lieu, intervenant=moi, date=JOUR)
    RendezVousFactory(
        pk=5002, lieu=lieu, intervenant=comptes["arcs"].intervenant, date=JOUR, service=Service.ARCS
    )
    session = SessionFormationFactory(pk=6001, lieu=lieu, date=JOUR)
    InscriptionFactory(pk=7001, session=session)
    AccompagnementFormationFactory(pk=8001, date=JOUR)
    ClotureAnnee.objects.create(annee=CLOSE, close=True)
    cles = {}
    for modele in familles_datees():
        cles[modele._meta.label] = set(modele._base_manager.values_list("pk", flat=True))
    return comptes, cles


def _adresses():
    """(nom, motif) de chaque adresse des applications qui montrent les enregistrements datés."""
    resolveur = get_resolver()
    for application in APPLICATIONS:
        _, sous_resolveur = resolveur.namespace_dict[application]
        for motif in sous_resolveur.url_patterns:
            yield f"{application}:{motif.name}", motif


def _cle_datee(adresse, cles_datees):
    """La clé d'un enregistrement daté que vise une adresse de ces applications, ou None."""
    try:
        correspondance = resolve(urlsplit(adresse).path)
    except Resolver404:
        return None
    if correspondance.namespace not in APPLICATIONS:
        return None
    cle = correspondance.kwargs.get("pk")
    return cle if cle in cles_datees else None


@pytest.mark.django_db
def test_aucune_page_ne_propose_de_modifier_une_annee_close(client):
    with freeze_time(MAINTENANT):
        comptes, cles = _annee_close_peuplee()
        montrees = {label for label, valeurs in cles.items() if valeurs}
        assert montrees | set(SANS_PAGE) == {m._meta.label for m in familles_datees()}, (
            "Une famille datée sans enregistrement dans ce test ni raison dans SANS_PAGE : ajoutez-la."
        )
        cles_datees = set().union(*cles.values())
        defauts, pages_de_lecture = [], 0
        for role, compte in comptes.items():
            client.force_login(compte)
            ecriture, pages = {}, []
            for nom, motif in _adresses():
                arguments = set(motif.pattern.converters)
                if not arguments:
                    pages.append(reverse(nom) + REQUETES_DES_LISTES.get(nom, ""))
                    continue
                if arguments != {"pk"}:
                    continue
                for cle in sorted(cles_datees):
                    adresse = reverse(nom, kwargs={"pk": cle})
                    reponse = client.get(adresse)
                    html_ = "text/html" in reponse.get("Content-Type", "")
                    if reponse.status_code == 200 and html_:
                        pages.append(adresse)
                        ecriture[adresse] = bool(_analyser(reponse.content).ecritures)
                    elif reponse.status_code in (301, 302):
                        ecriture[adresse] = True
                        suite = html.unescape(client.get(reponse["Location"]).content.decode())
                        if "seule la coordination" in suite or f"L'année {CLOSE} est close" not in suite:
                            defauts.append((role, adresse, "refus qui ne dit pas l'année close"))
                    else:
                        ecriture[adresse] = reponse.status_code == 405  # une action (POST seulement)
            for page in pages:
                reponse = client.get(page)
                if reponse.status_code != 200:
                    continue
                pages_de_lecture += 1
                analyse = _analyser(reponse.content)
                cle_de_la_page = _cle_datee(page, cles_datees)
                for cible in analyse.ecritures:
                    if cle_de_la_page is not None or _cle_datee(cible, cles_datees) is not None:
                        defauts.append(
                            (role, page, f"formulaire ou bouton d'écriture vers « {cible or page} »")
                        )
                for lien in analyse.liens:
                    if _cle_datee(lien, cles_datees) is not None and ecriture.get(urlsplit(lien).path, True):
                        defauts.append((role, page, f"lien d'écriture « {lien} »"))
        assert pages_de_lecture > 20  # le test a bien vu des pages
        assert not defauts, "\n".join(map(str, defauts))


@pytest.mark.django_db
def test_le_bandeau_dit_la_date_de_cloture_et_qui_peut_rouvrir(client):
    with freeze_time(MAINTENANT):
        comptes, _ = _annee_close_peuplee()
        for role, adresse in (
            ("mediation", reverse("permanences:permanence", args=[1001])),
            ("formation", reverse("formations:session", args=[6001])),
            ("coordination", reverse("permanences:permanence", args=[1001])),
        ):
            client.force_login(comptes[role])
            page = html.unescape(client.get(adresse).content.decode())
            assert f"Année {CLOSE} close le 10 janvier 2026" in page
            assert "les données ne changent plus ; la coordination peut la rouvrir" in page
            rouvrir = reverse("rapports:bilan", args=[CLOSE])
            assert (rouvrir in page) == (role == "coordination")  # le chemin de la réouverture, pour elle
