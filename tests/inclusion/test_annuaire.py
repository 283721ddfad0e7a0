import datetime
import json
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from inclusion.models import ContactAnnuaire, Quartier
from permanences.models import Passage, Refus
from tests.inclusion.factories import StructureFactory, demarche, utilisateur
from tests.permanences.factories import PermanenceFactory


@pytest.fixture
def annuaire(db):
    prefecture = StructureFactory(nom="Préfecture d'Ille-et-Vilaine")
    caf = StructureFactory(nom="CAF")
    c1 = ContactAnnuaire.objects.create(
        structure=prefecture,
        service="Accueil des étrangers",
        nom="Mme Élodie Péan",
        fonction="Référente partenaires",
        telephone="02 99 00 00 00",
    )
    c1.demarches.add(demarche("prefecture_etrangers"))
    c2 = ContactAnnuaire.objects.create(
        structure=caf, service="Pôle partenaires", nom="M. Hervé", verifie_le=datetime.date(2020, 1, 1)
    )
    c2.demarches.add(demarche("caf"))
    return c1, c2


@pytest.mark.parametrize("role", ["accueil", "mediation", "formation", "arcs", "coordination"])
def test_annuaire_lisible_par_tous_les_roles(client, annuaire, role):
    client.force_login(utilisateur(role))
    contenu = client.get(reverse("annuaire")).content.decode()
    assert "Accueil des étrangers" in contenu and "Pôle partenaires" in contenu


def test_recherche_par_mots_avec_ou_sans_accents_et_par_demarche(client, annuaire):
    client.force_login(utilisateur("mediation"))
    for requete in ("etrangers", "Étrangers", "ELODIE pean", "prefecture accueil"):
        contenu = client.get(reverse("annuaire"), {"q": requete}).content.decode()
        assert "Accueil des étrangers" in contenu, requete
        assert "Pôle partenaires" not in contenu, requete
    par_demarche = client.get(reverse("annuaire"), {"demarche": demarche("caf").pk}).content.decode()
    assert "Pôle partenaires" in par_demarche and "Accueil des étrangers" not in par_demarche
    assert list(ContactAnnuaire.objects.rechercher("herve")) == [annuaire[1]]


def test_contacts_non_verifies_depuis_un_an_signales(client, annuaire):
    client.force_login(utilisateur("accueil"))
    contenu = client.get(reverse("annuaire")).content.decode()
    assert contenu.count("À vérifier") == 1
    assert annuaire[1].a_verifier and not annuaire[0].a_verifier


def test_annuaire_modifiable_seulement_par_la_coordination(client, annuaire, coordination):
    client.force_login(utilisateur("mediation"))
    assert client.get(reverse("admin:inclusion_contactannuaire_changelist")).status_code == 302
    client.force_login(coordination)
    assert (
        client.get(reverse("admin:inclusion_contactannuaire_change", args=[annuaire[0].pk])).status_code
        == 200
    )


def test_suggestions_des_structures_pour_la_demarche(client, annuaire):
    client.force_login(utilisateur("mediation"))
    fragment = client.get(
        reverse("suggestions_orientation"), {"demarche": demarche("prefecture_etrangers").pk}
    )
    assert "Préfecture d&#x27;Ille-et-Vilaine" in fragment.content.decode()
    assert "CAF" not in fragment.content.decode()
    assert client.get(reverse("suggestions_orientation"), {"demarche": "x"}).content.decode().strip() == ""


@freeze_time("2024-03-04 10:00:00+01:00")
def test_refus_oriente_depuis_l_accueil(client, lieu, annuaire):
    agent = utilisateur("accueil", lieux=[lieu])
    permanence = PermanenceFactory(lieu=lieu, date=datetime.date(2024, 3, 4))
    client.force_login(agent)
    page = client.get(reverse("permanences:accueil")).content.decode()
    assert 'data-champ="oriente_vers"' in page and "CAF" in page

    def refus(**extra):
        corps = {
            "uuid": str(uuid.uuid4()),
            "type": "refus",
            "permanence": permanence.pk,
            "horodatage": timezone.now().isoformat(),
            "motif": "oriente_ailleurs",
            **extra,
        }
        return client.post(reverse("permanences:pointer"), json.dumps(corps), content_type="application/json")

    assert refus(oriente_vers=annuaire[1].structure_id).status_code == 201
    assert Refus.objects.get().oriente_vers == annuaire[1].structure
    mauvais = refus(oriente_vers=999999)
    assert mauvais.status_code == 400 and "Structure d'orientation inconnue" in mauvais.json()["erreur"]
    assert Refus.objects.count() == 1


@freeze_time("2024-03-04 12:00:00+01:00")
def test_passage_avec_orientation_freins_et_quartier(client, lieu, annuaire):
    mediateur = utilisateur("mediation", lieux=[lieu])
    permanence = PermanenceFactory(lieu=lieu, date=datetime.date(2024, 3, 4))
    quartier = Quartier.objects.create(nom="Maurepas", qpv=True)
    client.force_login(mediateur)
    formulaire = client.get(reverse("permanences:passage_nouveau", args=[permanence.pk])).content.decode()
    assert (
        "Appréhension de l&#x27;outil numérique" in formulaire
        and 'hx-get="/annuaire/suggestions/"' in formulaire
    )
    reponse = client.post(
        reverse("permanences:passage_nouveau", args=[permanence.pk]),
        {
            "type_demande": "demarche_en_ligne",
            "demarche": demarche("prefecture_etrangers").pk,
            "duree_minutes": "30",
            "autonomie": "accompagne",
            "tranche_age": "25_39",
            "genre": "feminin",
            "note": "",
            "freins": ["crainte_demarche", "langue"],
            "quartier": quartier.pk,
            "oriente_vers": annuaire[0].structure_id,
        },
    )
    assert reponse.status_code == 302
    passage = Passage.objects.get()
    assert passage.liste_freins == ["crainte_demarche", "langue"]
    assert passage.quartier == quartier and passage.oriente_vers == annuaire[0].structure
    inconnu = client.post(
        reverse("permanences:passage_nouveau", args=[permanence.pk]),
        {
            "type_demande": "accompagnement_technique",
            "duree_minutes": "30",
            "autonomie": "accompagne",
            "tranche_age": "25_39",
            "genre": "feminin",
            "freins": ["peur_du_noir"],
        },
    )
    assert "Sélectionnez un choix valide" in inconnu.content.decode()
    assert Passage.objects.count() == 1
