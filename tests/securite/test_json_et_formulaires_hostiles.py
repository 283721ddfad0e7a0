"""#28, point 5 : aucun JSON ni formulaire hostile ne donne une erreur 500 (profondeur et taille vérifiées avant
l'analyse, types vérifiés avant usage, saisie groupée plafonnée)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from echanges.chiffres_importes import ImportChiffresRefuse, lire_bilan
from echanges.data_inclusion import ImportAnnuaireRefuse, lire_fichier
from inclusion import json_sur
from inclusion.json_sur import PROFONDEUR_MAX, JsonRefuse, lire_json, profondeur
from permanences.forms import LIGNES_GROUPEES_MAX
from permanences.models import Passage
from tests.inclusion.factories import LieuFactory, utilisateur
from tests.permanences.factories import PermanenceFactory


def test_la_profondeur_est_mesuree_avant_l_analyse_hors_des_chaines(monkeypatch):
    assert profondeur('{"a": [1, {"b": "[[[[[["}]}') == 3
    assert profondeur('"\\\\"[[') == 2  # une barre oblique échappée ferme bien la chaîne
    assert profondeur("[" * 200_000) == PROFONDEUR_MAX + 1  # le compte s'arrête au premier niveau de trop
    # Refusé avant l'analyse : json.loads n'est jamais appelé (une durée mesurée dépendrait de la machine).
    monkeypatch.setattr(json_sur.json, "loads", lambda *a, **k: pytest.fail("analysé avant d'être refusé"))
    with pytest.raises(JsonRefuse, match="trop imbriqué"):
        lire_json(b"[" * 200_000, taille_max=10**6)
    monkeypatch.undo()
    with pytest.raises(JsonRefuse, match="trop volumineux"):
        lire_json(b" " * 11, taille_max=10)
    assert lire_json(b'\xef\xbb\xbf{"a": [1]}', taille_max=100) == {"a": [1]}


@pytest.mark.parametrize(
    "contenu",
    [b"[" * 200_000, b'{"structures": 5}', b'{"services": "x"}', b'{"items": 5}', b'{"structures": [1]}'],
)
def test_annuaire_national_hostile_refuse_en_francais(contenu):
    """Avant : RecursionError (200 000 crochets) et TypeError ({"structures": 5}), donc 500."""
    with pytest.raises(ImportAnnuaireRefuse) as refus:
        lire_fichier(contenu)
    assert refus.value.erreurs and all(isinstance(e, str) for e in refus.value.erreurs)


@pytest.mark.parametrize(
    "contenu",
    [
        b"[" * 200_000,
        b'{"version": 2, "annee": 2024, "dispositif": 5}',
        b'{"version": 2, "annee": 2024, "dispositif": [1]}',
    ],
)
def test_bilan_d_un_autre_dispositif_hostile_refuse_en_francais(contenu):
    with pytest.raises(ImportChiffresRefuse):
        lire_bilan(contenu)


def test_saisie_groupee_un_total_forge_est_plafonne_avec_un_message(client, db):
    """Avant : form-TOTAL_FORMS=99999 faisait construire 2 000 formulaires à chaque envoi (15 s)."""
    lieu = LieuFactory()
    permanence = PermanenceFactory(lieu=lieu, date=timezone.localdate())
    client.force_login(utilisateur("mediation", lieux=[lieu]))
    url = reverse("permanences:saisie_groupee", args=[permanence.pk])
    gestion = {"form-INITIAL_FORMS": "0", "form-MAX_NUM_FORMS": "1000"}
    # Le nombre de formulaires construits prouve le plafond (une durée mesurée dépendrait de la machine).
    reponse = client.post(url, {**gestion, "form-TOTAL_FORMS": "99999"})
    assert reponse.status_code == 400
    assert len(reponse.context["lignes"].forms) <= LIGNES_GROUPEES_MAX
    assert f"Trop de lignes : {LIGNES_GROUPEES_MAX} au plus" in reponse.content.decode()
    ajout = client.post(url, {**gestion, "form-TOTAL_FORMS": "99999", "ajouter": "1"})
    assert ajout.status_code == 200 and len(ajout.context["lignes"].forms) <= LIGNES_GROUPEES_MAX
    assert not Passage.objects.exists()
