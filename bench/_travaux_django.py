"""Actions côté Django pour bench/travaux.py, lancées dans un processus à part (DATABASE_URL de la base mesurée).

python bench/_travaux_django.py televerser ARCHIVE.zip   -> {"requete_s": …, "traitement": pk}
python bench/_travaux_django.py exporter                 -> {"traitement": pk}
python bench/_travaux_django.py bilan ANNEE              -> {"traitement": pk} (le premier rendu, en file)
python bench/_travaux_django.py bilan_stocke ANNEE       -> {"stocke_s": [...], "octets": …}
python bench/_travaux_django.py etat PK                  -> {"statut": …, "resultat": …}
"""

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _client():
    from django.contrib.auth.models import Group, User
    from django.test import Client

    coordination, _ = User.objects.get_or_create(username="bench-coordination", defaults={"is_staff": True})
    coordination.groups.add(Group.objects.get(name="coordination"))
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(coordination)
    return client


def main():
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: F401

    action, *arguments = sys.argv[1:]
    if action == "televerser":
        client = _client()
        client.get("/rapports/import/")  # premier appel : chargement des vues, hors mesure
        with open(arguments[0], "rb") as flux:
            debut = time.perf_counter()
            reponse = client.post("/rapports/import/", {"fichier": flux})
            duree = time.perf_counter() - debut
        assert reponse.status_code == 302, reponse.content[:2000]
        print(
            json.dumps(
                {"requete_s": duree, "traitement": int(reponse["Location"].rstrip("/").split("/")[-1])}
            )
        )
    elif action == "exporter":
        client = _client()
        reponse = client.post("/rapports/export.zip")
        assert reponse.status_code == 302
        print(json.dumps({"traitement": int(reponse["Location"].rstrip("/").split("/")[-1])}))
    elif action == "bilan":  # la première demande du PDF : le rendu est mis en file (la requête ne rend rien)
        reponse = _client().get(f"/rapports/bilan/{arguments[0]}.pdf")
        assert reponse.status_code == 302, reponse.status_code
        print(json.dumps({"traitement": int(reponse["Location"].rstrip("/").split("/")[-1])}))
    elif action == "bilan_stocke":  # le PDF rendu par le processus de fond, servi tel quel
        client = _client()
        adresse = f"/rapports/bilan/{arguments[0]}.pdf"
        stocke_s = []
        for _ in range(5):
            debut = time.perf_counter()
            reponse = client.get(adresse)
            octets = b"".join(reponse.streaming_content)
            stocke_s.append(time.perf_counter() - debut)
            assert octets.startswith(b"%PDF") and reponse["X-Bilan-Rendu"] == "a-jour"
        print(json.dumps({"stocke_s": stocke_s, "octets": len(octets)}))
    elif action == "etat":
        from travaux.models import Traitement

        t = Traitement.objects.get(pk=arguments[0])
        print(json.dumps({"statut": t.statut, "resultat": t.resultat, "message": t.message}))


if __name__ == "__main__":
    main()
