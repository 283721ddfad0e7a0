import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from inclusion.enums import Quotite, Thematique
from inclusion.models import Demarche, Lieu, Structure, TempsDeTravail
from tests.inclusion.factories import IntervenantFactory, LieuFactory, StructureFactory

CODES_ATTENDUS = {
    "prefecture_etrangers",
    "ants",
    "caf",
    "assurance_maladie",
    "france_travail",
    "impots",
    "retraite",
    "logement",
    "energie",
    "banque",
    "scolarite",
    "justice",
    "transports",
    "autre",
}


def test_demarches_semees_avec_thematique_coop(db):
    demarches = {d.code: d for d in Demarche.objects.all()}
    assert set(demarches) >= CODES_ATTENDUS
    assert demarches["prefecture_etrangers"].thematique == Thematique.ETRANGERS_EUROPE
    assert demarches["prefecture_etrangers"].libelle == "Préfecture – droit des étrangers"


def test_nom_de_lieu_unique_sans_tenir_compte_de_la_casse(db):
    LieuFactory(nom="ESC Maurepas")
    with pytest.raises(IntegrityError), transaction.atomic():
        Lieu.objects.create(nom="esc maurepas")


def test_validation_du_nom_de_lieu_en_francais(db):
    LieuFactory(nom="ESC Maurepas")
    with pytest.raises(ValidationError) as erreur:
        Lieu(nom="ESC MAUREPAS").full_clean()
    assert "Un lieu porte déjà ce nom." in str(erreur.value)


def test_nom_de_structure_unique(db):
    Structure.objects.create(nom="CDAS")
    with pytest.raises(IntegrityError), transaction.atomic():
        Structure.objects.create(nom="cdas")


def test_lieux_actifs(db):
    LieuFactory(nom="Ouvert")
    LieuFactory(nom="Fermé", actif=False)
    assert list(Lieu.objects.actifs().values_list("nom", flat=True)) == ["Ouvert"]


def test_code_de_demarche_en_minuscules(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Demarche.objects.create(code="Majuscule", libelle="x", thematique=Thematique.JUSTICE)


def test_historique_de_temps_de_travail(db):
    mediateur = IntervenantFactory(nom="Valentin")
    TempsDeTravail.objects.create(
        intervenant=mediateur,
        depuis=datetime.date(2023, 10, 1),
        quotite=Quotite.TEMPS_PARTIEL,
        pourcentage=50,
    )
    assert mediateur.quotite_au(datetime.date(2023, 9, 30)) == Quotite.TEMPS_PLEIN
    assert mediateur.quotite_au(datetime.date(2023, 10, 2)) == Quotite.TEMPS_PARTIEL
    with pytest.raises(IntegrityError), transaction.atomic():
        TempsDeTravail.objects.create(
            intervenant=mediateur, depuis=datetime.date(2023, 10, 1), quotite=Quotite.TEMPS_PLEIN
        )


@pytest.mark.parametrize(
    "modele",
    [
        "lieu",
        "structure",
        "intervenant",
        "demarche",
        "creneau",
        "permanence",
        "passage",
        "rendezvous",
        "sessionformation",
        "theme",
        "chiffreexterne",
    ],
)
def test_pages_d_administration_pour_la_coordination(client, coordination, modele):
    LieuFactory()
    StructureFactory()
    client.force_login(coordination)
    app = {
        "lieu": "inclusion",
        "structure": "inclusion",
        "intervenant": "inclusion",
        "demarche": "inclusion",
        "creneau": "permanences",
        "permanence": "permanences",
        "passage": "permanences",
        "rendezvous": "permanences",
        "sessionformation": "formations",
        "theme": "formations",
        "chiffreexterne": "rapports",
    }[modele]
    liste = client.get(reverse(f"admin:{app}_{modele}_changelist"))
    assert liste.status_code == 200
    assert client.get(reverse(f"admin:{app}_{modele}_add")).status_code == 200
    assert "Inclusion numérique" in liste.content.decode()
