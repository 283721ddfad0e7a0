"""#18, petits points : les mots justes (pluriels, valeurs possibles, un seul message)."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inclusion.echanges import ErreurLigne, index_choix, lire_choix
from permanences.enums import Autonomie
from tests.inclusion.factories import utilisateur
from tests.permanences.factories import PermanenceFactory


def test_zero_personne_en_attente_au_singulier(client, lieu):
    permanence = PermanenceFactory(lieu=lieu)
    client.force_login(utilisateur("mediation", lieux=[lieu], username="med_mots"))
    assert (
        "<strong>0</strong> personne en attente."
        in client.get(reverse("permanences:file", args=[permanence.pk])).content.decode()
    )


def test_une_valeur_inconnue_dit_les_valeurs_possibles():
    try:
        lire_choix("très autonome", "autonomie", index_choix(Autonomie.choices))
    except ErreurLigne as erreur:
        message = erreur.message
    assert message == (
        "valeur « très autonome » inconnue (valeurs possibles : autonome, partiellement_autonome, accompagne, "
        "fait_a_sa_place)"
    )


def test_import_termine_dit_une_seule_fois(client, coordination):
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w") as archive:
        archive.writestr("lieux.csv", "nom\nESC Nouveau\n")
    client.force_login(coordination)
    page = client.post(
        reverse("rapports:import"), {"fichier": SimpleUploadedFile("i.zip", tampon.getvalue()), "essai": ""}
    ).content.decode()
    assert page.count("Import terminé.") == 1
