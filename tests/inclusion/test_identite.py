"""Identité du dispositif : les logos téléversés sont des images sûres, sinon un message clair (jamais 500)."""

import html
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from inclusion.models import IdentiteDispositif


def _png(largeur=120, hauteur=40, format_="PNG"):
    tampon = io.BytesIO()
    Image.new("RGB", (largeur, hauteur), "#0b4f8a").save(tampon, format=format_)
    return tampon.getvalue()


def _envoyer(client, fichier):
    donnees = {
        "nom": "Projet inclusion numérique",
        "nom_court": "Inclusion ESC",
        "organisation": "CCAS",
        "site_web": "https://exemple.org/",
        "texte_de_cloture": "",
        "partenaires-TOTAL_FORMS": "0",
        "partenaires-INITIAL_FORMS": "0",
        "fichier_logo": fichier,
    }
    return client.post(reverse("admin:inclusion_identitedispositif_add"), donnees)


@pytest.mark.parametrize(
    ("nom", "contenu", "message"),
    [
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "n'est pas une image PNG ou JPEG",
        ),
        ("logo.png", b"pas une image", "n'est pas une image PNG ou JPEG"),
        ("logo.gif", _png(format_="GIF"), "PNG ou JPEG seulement"),
        ("grand.png", _png(5000, 10), "4 000 × 4 000 pixels au plus"),
        ("lourd.png", b"\x89PNG" + b"0" * (1024 * 1024 + 1), "1 Mo au plus"),
    ],
)
def test_logo_hostile_refuse_avec_un_message(client, coordination, nom, contenu, message):
    client.force_login(coordination)
    reponse = _envoyer(client, SimpleUploadedFile(nom, contenu))
    assert reponse.status_code == 200
    assert message in html.unescape(reponse.content.decode())
    assert not IdentiteDispositif.objects.exists()


def test_logo_valide_garde_en_base_et_sur_la_couverture(client, coordination):
    client.force_login(coordination)
    assert _envoyer(client, SimpleUploadedFile("logo.png", _png())).status_code == 302
    identite = IdentiteDispositif.actuelle()
    assert identite.logo_type == "image/png" and identite.logo_data_uri.startswith("data:image/png;base64,")
    # Une seule identité : plus de page d'ajout une fois la première enregistrée.
    assert client.get(reverse("admin:inclusion_identitedispositif_add")).status_code == 403


def test_en_tete_et_pied_de_page_au_nom_du_dispositif(client, db):
    identite = IdentiteDispositif.objects.create(
        nom="Réseau numérique de Bréquigny", nom_court="Numérique Bréquigny"
    )
    page = client.get(reverse("donnees_personnelles")).content.decode()
    assert 'class="navbar-brand"' in page and "Numérique Bréquigny</a>" in page
    assert "<footer" in page and "Réseau numérique de Bréquigny" in page
    assert "Données personnelles · Numérique Bréquigny</title>" in page
    identite.delete()
    assert (
        "Inclusion numérique ESC</a>" in client.get(reverse("donnees_personnelles")).content.decode()
    )  # par défaut


def test_mentions_legales_et_accessibilite_publiques_et_liees_au_pied_de_page(client, db, settings):
    from django.urls import reverse

    settings.MENTIONS_LEGALES = {**settings.MENTIONS_LEGALES, "HEBERGEUR": "Ville de Rennes, salle serveurs"}
    mentions = client.get(reverse("mentions_legales")).content.decode()
    assert "Ville de Rennes, salle serveurs" in mentions and "Direction de la publication" in mentions
    accessibilite = client.get(reverse("accessibilite")).content.decode()
    assert "partiellement conforme" in accessibilite and "Défenseur des droits" in accessibilite
    for page in (mentions, accessibilite):
        assert (
            f'href="{reverse("mentions_legales")}"' in page and f'href="{reverse("accessibilite")}"' in page
        )
