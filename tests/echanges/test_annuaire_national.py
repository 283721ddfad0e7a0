"""L'annuaire national (export data·inclusion) importé dans le nôtre : rapprochement, tout ou rien, essai."""

import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from echanges.data_inclusion import ImportAnnuaireRefuse, importer_annuaire
from inclusion.models import ContactAnnuaire, Structure


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


def _comptes(plan):
    return {
        k: plan[k]
        for k in ("structures_creees", "structures_mises_a_jour", "contacts_crees", "contacts_mis_a_jour")
    }


def test_rapproche_par_siret_propose_par_nom_et_cree_le_reste(db):
    Structure.objects.create(nom="CAF 35", siret="53479540500019")  # même SIRET, autre nom
    Structure.objects.create(nom="france services maurepas")  # même nom, casse près : proposé seulement
    essai = importer_annuaire(FICHIER, essai=True)
    assert _comptes(essai) == {
        "structures_creees": 0,
        "structures_mises_a_jour": 1,  # l'identifiant national noté
        "contacts_crees": 1,
        "contacts_mis_a_jour": 0,
    }
    assert essai["propositions"] == [
        {
            "identifiant": "dora:dora--2",
            "nom": "France Services Maurepas",
            "structure": "france services maurepas",
        }
    ]
    assert ContactAnnuaire.objects.count() == 0  # l'essai n'écrit rien
    importer_annuaire(FICHIER)
    assert Structure.objects.count() == 2 and ContactAnnuaire.objects.count() == 1
    contact = ContactAnnuaire.objects.get(structure__siret="53479540500019")
    assert contact.service == "Accueil allocataires" and contact.email == "accueil@caf.example"
    assert str(contact.verifie_le) == "2026-10-02"
    # Réimporter ne duplique pas ; la proposition confirmée rapproche.
    plan = importer_annuaire(FICHIER, rapprocher=["dora:dora--2"])
    assert plan["contacts_crees"] == 1 and plan["propositions"] == [] and ContactAnnuaire.objects.count() == 2
    assert Structure.objects.get(nom="france services maurepas").identifiant_national == "dora:dora--2"


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


def _par_la_page(client, donnees):
    """Demande l'import (POST), fait tourner le travail de fond, et renvoie la page du travail."""
    from django.urls import resolve

    from tests.taches import executer_les_taches

    reponse = client.post(reverse("rapports:import_annuaire"), donnees)
    assert reponse.status_code == 302, reponse.content.decode()[:500]
    executer_les_taches()
    pk = resolve(reponse["Location"]).kwargs["pk"]
    return client.get(reverse("rapports:traitement", kwargs={"pk": pk})).content.decode()


def test_la_page_et_la_commande(client, coordination, tmp_path):
    """L'import se fait en fond, comme l'import CSV : aucune requête web ne lit ni n'écrit le fichier."""
    client.force_login(coordination)
    avant = Structure.objects.count()
    page = _par_la_page(client, {"fichier": SimpleUploadedFile("di.json", FICHIER), "essai": "on"})
    assert "Vérification réussie" in page and "Import de l&#x27;annuaire national" in page
    assert Structure.objects.count() == avant
    page = _par_la_page(client, {"fichier": SimpleUploadedFile("di.json", b"[1]")})
    assert "Import refusé" in page and "format inattendu" in page
    sans_fichier = client.post(reverse("rapports:import_annuaire"), {"essai": "on"})
    assert sans_fichier.status_code == 400 and "Choisissez le fichier" in sans_fichier.content.decode()
    chemin = tmp_path / "di.json"
    chemin.write_bytes(FICHIER)
    sortie = io.StringIO()
    call_command("importer_annuaire", str(chemin), stdout=sortie)
    assert "Import terminé." in sortie.getvalue() and ContactAnnuaire.objects.count() == 2
    chemin.write_bytes(b"[1]")
    with pytest.raises(CommandError, match="rien n'a été écrit"):
        call_command("importer_annuaire", str(chemin), stderr=io.StringIO())


def _caf_tenue_a_la_main():
    caf = Structure.objects.create(nom="CAF")
    return ContactAnnuaire.objects.create(
        structure=caf, service="Accueil allocataires", nom="Mme Durand", telephone="0299111111",
        email="mme.durand@caf.example",
    )  # fmt: skip


def test_un_homonyme_n_ecrase_jamais_un_contact_tenu_a_la_main(db):
    """Avant : la structure nationale « caf » (sans SIRET) prenait notre « CAF » par son nom, casse ignorée, et
    écrasait le téléphone et le courriel tenus à la main."""
    contact = _caf_tenue_a_la_main()
    fichier = _fichier(_structure(1, "caf"), _service(1, "dora--1", "Accueil allocataires"))
    plan = importer_annuaire(fichier)
    contact.refresh_from_db()
    assert (contact.telephone, contact.email) == ("0299111111", "mme.durand@caf.example")
    assert plan["propositions"][0]["structure"] == "CAF" and Structure.objects.count() == 1
    # Rapprochement confirmé : le contact saisi à la main garde ses champs, montrés comme gardés.
    plan = importer_annuaire(fichier, rapprocher=["dora:dora--1"])
    contact.refresh_from_db()
    assert (contact.telephone, contact.email) == ("0299111111", "mme.durand@caf.example")
    assert {g["champ"] for g in plan["gardes"]} == {"telephone", "email"}
    # Et seulement avec la confirmation d'écraser.
    importer_annuaire(fichier, rapprocher=["dora:dora--1"], ecraser=True)
    contact.refresh_from_db()
    assert (contact.telephone, contact.email) == ("+33299000000", "accueil@caf.example")


def test_un_champ_modifie_a_la_main_apres_un_import_est_garde(db):
    importer_annuaire(FICHIER)
    contact = ContactAnnuaire.objects.get(service="Accueil allocataires")
    contact.email = "mon.contact@caf.example"  # corrigé à la main
    contact.save()
    Structure.objects.filter(pk=contact.structure_id).update(
        nom="CAF renommée"
    )  # reconnue par son identifiant
    nouveau = FICHIER.replace(b"+33299000000", b"+33299999999")
    plan = importer_annuaire(nouveau)
    contact.refresh_from_db()
    assert contact.email == "mon.contact@caf.example" and contact.telephone == "+33299999999"
    assert [g["champ"] for g in plan["gardes"]] == ["email"]
    assert Structure.objects.count() == 2


def test_l_essai_montre_les_changements_champ_par_champ(client, coordination):
    importer_annuaire(FICHIER)
    nouveau = FICHIER.replace(b"+33299000000", b"+33299999999")
    plan = importer_annuaire(nouveau, essai=True)
    assert {"objet": "contact « CAF d'Ille-et-Vilaine – Accueil allocataires »", "champ": "telephone",
            "avant": "+33299000000", "apres": "+33299999999"} in plan["changements"]  # fmt: skip
    assert ContactAnnuaire.objects.filter(telephone="+33299999999").count() == 0
    client.force_login(coordination)
    page = _par_la_page(client, {"fichier": SimpleUploadedFile("di.json", nouveau), "essai": "on"})
    assert 'id="changements"' in page and "+33299999999" in page and "Vérification réussie" in page
    Structure.objects.create(nom="Mission locale")
    page = _par_la_page(
        client,
        {"fichier": SimpleUploadedFile("di.json", _fichier(_structure(7, "mission locale"))), "essai": "on"},
    )
    assert 'name="rapprocher" value="dora:dora--7"' in page
    reprendre = re.search(r'name="reprendre" value="(\d+)"', page).group(1)
    page = _par_la_page(
        client, {"reprendre": reprendre, "rapprocher": "dora:dora--7"}
    )  # même fichier, confirmé
    assert "Import terminé." in page
    assert Structure.objects.get(nom="Mission locale").identifiant_national == "dora:dora--7"
