"""Les personnes reçues par un autre dispositif, déclarées depuis son Bilan JSON, avec leur source."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from echanges.chiffres_importes import ImportChiffresRefuse, declarer_un_autre_dispositif
from rapports.bilan import bilan_json
from rapports.models import ChiffreExterne
from tests.rapports.jeu_de_donnees import construire


def _bilan_d_un_autre(annee=2023, enregistres=412, declares=900):
    return json.dumps(
        {
            "version": 2,
            "annee": annee,
            "dispositif": {
                "personnes_recues": {"valeur": enregistres + declares},
                "personnes_recues_hors_declares": {"valeur": enregistres},
                "personnes_recues_externes": {"valeur": declares},
            },
        }
    ).encode()


def test_le_total_du_dispositif_compte_l_autre_dispositif_sans_ses_propres_declares(db, coordination):
    construire()
    avant = bilan_json(2023)["dispositif"]["personnes_recues"]["valeur"]
    chiffre = declarer_un_autre_dispositif(_bilan_d_un_autre(), source="ERE de Rennes", auteur=coordination)
    assert (chiffre.annee, chiffre.valeur, chiffre.source) == (
        2023,
        412,
        "ERE de Rennes (Bilan JSON importé)",
    )
    bilan = bilan_json(2023)
    assert bilan["dispositif"]["personnes_recues"]["valeur"] == avant + 412
    assert {"annee": 2023, "indicateur": "dispositif.personnes_recues_externes", "valeur": 412,
            "source": "ERE de Rennes (Bilan JSON importé)"} in bilan["chiffres_declares"]  # fmt: skip
    # Le même dispositif réimporté met à jour son chiffre, sans doublon.
    declarer_un_autre_dispositif(_bilan_d_un_autre(enregistres=420), source="ERE de Rennes")
    assert ChiffreExterne.objects.get().valeur == 420
    assert ChiffreExterne.objects.get().history.first().history_user is None


def test_un_chiffre_d_une_autre_source_n_est_pas_ecrase(db):
    ChiffreExterne.objects.create(
        annee=2023, indicateur="dispositif.personnes_recues_externes", valeur=10, source="ERE"
    )
    with pytest.raises(ImportChiffresRefuse, match="existe déjà pour 2023"):
        declarer_un_autre_dispositif(_bilan_d_un_autre(), source="Réseau voisin")
    assert ChiffreExterne.objects.get().valeur == 10


@pytest.mark.parametrize(
    "contenu,message",
    [
        (b"{", "Fichier illisible"),
        (b"[]", "version 2 attendue"),
        (json.dumps({"version": 1, "annee": 2023}).encode(), "version 2 attendue"),
        (json.dumps({"version": 2, "annee": "2023"}).encode(), "Année du Bilan absente"),
        (json.dumps({"version": 2, "annee": 1999}).encode(), "Année du Bilan absente"),
        (json.dumps({"version": 2, "annee": 2023, "dispositif": {}}).encode(), "ne donne pas de nombre"),
        (_bilan_d_un_autre(enregistres=-5), "ne donne pas de nombre"),
        (
            json.dumps(
                {
                    "version": 2,
                    "annee": 2023,
                    "dispositif": {"personnes_recues_hors_declares": {"valeur": True}},
                }
            ).encode(),
            "ne donne pas de nombre",
        ),
        (b" " * (5 * 1024 * 1024 + 1), "trop volumineux"),
    ],
)
def test_un_fichier_hostile_est_refuse_en_francais(db, contenu, message):
    with pytest.raises(ImportChiffresRefuse, match=message):
        declarer_un_autre_dispositif(contenu, source="X")
    assert ChiffreExterne.objects.count() == 0


def test_la_page(client, coordination):
    client.force_login(coordination)
    adresse = reverse("rapports:import_bilan_externe")
    page = client.post(
        adresse, {"source": "ERE", "fichier": SimpleUploadedFile("b.json", _bilan_d_un_autre())}
    )
    assert page.status_code == 200 and "Chiffre déclaré pour 2023" in page.content.decode()
    page = client.post(adresse, {"source": "", "fichier": SimpleUploadedFile("b.json", _bilan_d_un_autre())})
    assert page.status_code == 400
    page = client.post(adresse, {"source": "Autre", "fichier": SimpleUploadedFile("b.json", b"nope")})
    assert page.status_code == 400 and "Fichier illisible" in page.content.decode()
