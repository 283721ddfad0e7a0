"""Un import téléversé dans le navigateur, fait par un vrai processus de fond : la barre avance jusqu'au bout
et la page dit le résultat (PostgreSQL : le processus de fond voit la base de test)."""

import time
import zipfile

import pytest

from inclusion.models import Lieu
from tests.inclusion.factories import utilisateur
from tests.navigateur.conftest import connecter, verifier_accessibilite
from tests.taches import lancer_un_processus_de_fond

pytestmark = [pytest.mark.navigateur, pytest.mark.postgresql]


def test_la_barre_d_avancement_suit_l_import_jusqu_au_resultat(live_server, page, tmp_path):
    utilisateur("coordination", username="coordination_import", is_staff=True)
    archive = tmp_path / "lieux.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("lieux.csv", "nom\n" + "".join(f"ESC {i}\n" for i in range(50_000)))
    connecter(page, live_server, "coordination_import")
    page.goto(f"{live_server.url}/rapports/import/")
    page.set_input_files("#id_fichier", str(archive))
    page.get_by_role("button", name="Importer").click()
    page.wait_for_url("**/rapports/travaux/*/")
    assert page.get_by_text("En attente.").is_visible()
    processus = lancer_un_processus_de_fond()
    try:
        valeurs = []
        # Jusqu'à 6 minutes (une machine chargée) ; le test s'arrête dès que l'import est terminé.
        limite = time.monotonic() + 360
        while time.monotonic() < limite:
            # Valeur et texte lus d'un seul coup dans la page : htmx peut remplacer le fragment entre deux lectures.
            valeur, fini = page.evaluate(
                "() => [document.querySelector('progress').value,"
                " document.getElementById('etat-traitement').innerText.includes('Import terminé.')]"
            )
            valeurs.append(int(valeur))
            if fini:
                break
            page.wait_for_timeout(200)
        else:
            raise AssertionError(f"import non terminé : {valeurs[-5:]}")
    finally:
        processus.kill()
        processus.wait(10)
    assert valeurs == sorted(valeurs) and valeurs[-1] == 100  # la barre ne recule jamais et finit pleine
    assert any(0 < v < 100 for v in valeurs), valeurs  # elle a été vue en route
    assert page.get_by_text("lieux.csv : 50\u202f000 lignes", exact=True).is_visible()
    assert Lieu.objects.count() == 50_000
    verifier_accessibilite(page, "import-termine")
    page.reload()
    assert page.get_by_text("Import terminé.").is_visible()  # survit à un rechargement
