"""L'annuaire national (export data·inclusion) importé dans le nôtre : rapprochement, tout ou rien, essai."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from inclusion.models import ContactAnnuaire, Structure
from rapports.echanges.data_inclusion import ImportAnnuaireRefuse, importer_annuaire


def _structure(i, nom, siret=None):
    s = {"source": "dora", "id": f"dora--{i}", "nom": nom, "date_maj": "2026-10-01"}
    if siret:
        s["siret"] = siret
    return s


def _service(i, structure, nom):
    return {
        "source": "dora",
        "id": f"dora--service-{i}",
        "structure_id": structure,
        "nom": nom,
        "description": "Accompagnement aux démarches CAF.",
        "date_maj": "2026-10-02",
        "telephone": "+33299000000",
        "courriel": "accueil@caf.example",
    }


def _fichier(*elements):
    return json.dumps({"items": list(elements)}).encode()


FICHIER = _fichier(
    _structure(1, "CAF d'Ille-et-Vilaine", "53479540500019"),
    _structure(2, "France Services Maurepas"),
    _service(1, "dora--1", "Accueil allocataires"),
    _service(2, "dora--2", "Aide aux démarches"),
)


def test_rapproche_par_siret_puis_par_nom_et_cree_le_reste(db):
    Structure.objects.create(nom="CAF 35", siret="53479540500019")  # même SIRET, autre nom
    Structure.objects.create(nom="france services maurepas")  # même nom, casse près
    essai = importer_annuaire(FICHIER, essai=True)
    assert essai == {
        "structures_creees": 0,
        "structures_mises_a_jour": 0,
        "contacts_crees": 2,
        "contacts_mis_a_jour": 0,
    }
    assert ContactAnnuaire.objects.count() == 0  # l'essai n'écrit rien
    importer_annuaire(FICHIER)
    assert Structure.objects.count() == 2
    contact = ContactAnnuaire.objects.get(structure__siret="53479540500019")
    assert contact.service == "Accueil allocataires" and contact.email == "accueil@caf.example"
    assert str(contact.verifie_le) == "2026-10-02"
    # Réimporter met à jour, ne duplique pas.
    assert importer_annuaire(FICHIER)["contacts_mis_a_jour"] == 2 and ContactAnnuaire.objects.count() == 2


def test_une_structure_inconnue_est_creee_avec_son_siret(db):
    comptes = importer_annuaire(_fichier(_structure(9, "Mission locale", "13003013300016")))
    assert comptes["structures_creees"] == 1 and Structure.objects.get().siret == "13003013300016"


@pytest.mark.parametrize(
    "contenu,message",
    [
        (b"pas du json", "fichier illisible"),
        (b"\xff\xfe\x00", "fichier illisible"),
        (b'{"items": 3}', "format inattendu"),
        (b"[1, 2]", "format inattendu"),
        (_fichier(_structure(1, "AB")), "structure n° 1 : nom : texte trop court"),
        (
            _fichier({"source": "dora", "id": "x", "nom": "Sans date"}),
            "structure n° 1 : date_maj : champ obligatoire manquant",
        ),
        (_fichier(_structure(1, "CAF", "123")), "structure n° 1 : siret : texte trop court"),
        (
            _fichier(_structure(1, "CAF d'Ille"), _service(1, "dora--absente", "Accueil")),
            "structure « dora--absente » absente",
        ),
        (
            _fichier(_structure(1, "Bonne structure"), _structure(2, "=1+1", None), _structure(3, "")),
            "structure n° 3",
        ),
    ],
)
def test_un_fichier_fautif_n_ecrit_rien_et_dit_pourquoi(db, contenu, message):
    with pytest.raises(ImportAnnuaireRefuse) as refus:
        importer_annuaire(contenu)
    assert any(message in e for e in refus.value.erreurs), refus.value.erreurs
    assert Structure.objects.count() == 0


def test_la_page_et_la_commande(client, coordination, tmp_path):
    client.force_login(coordination)
    avant = Structure.objects.count()
    page = client.post(
        reverse("rapports:import_annuaire"),
        {"fichier": SimpleUploadedFile("di.json", FICHIER), "essai": "on"},
    )
    assert page.status_code == 200 and "Vérification réussie" in page.content.decode()
    assert Structure.objects.count() == avant
    page = client.post(
        reverse("rapports:import_annuaire"), {"fichier": SimpleUploadedFile("di.json", b"[1]")}
    )
    assert page.status_code == 400 and "Import refusé" in page.content.decode()
    chemin = tmp_path / "di.json"
    chemin.write_bytes(FICHIER)
    sortie = io.StringIO()
    call_command("importer_annuaire", str(chemin), stdout=sortie)
    assert "Import terminé." in sortie.getvalue() and ContactAnnuaire.objects.count() == 2
    chemin.write_bytes(b"[1]")
    with pytest.raises(CommandError, match="rien n'a été écrit"):
        call_command("importer_annuaire", str(chemin), stderr=io.StringIO())
