"""L'analyse de l'équipe : des points par section, leur historique, les chiffres cités par leur clé."""

import html

import pytest
from django.urls import reverse

from echanges.exporteur import archive_zip
from echanges.importeur import importer
from rapports.analyse import cles_inconnues, rendre
from rapports.bilan import bilan_json
from rapports.models import PointAnalyse
from tests.rapports.jeu_de_donnees import construire


@pytest.fixture
def jeu(db):
    return construire()


def _page(client):
    return html.unescape(client.get(reverse("rapports:bilan", args=[2023])).content.decode())


def test_un_point_cite_les_chiffres_par_leur_cle(jeu, client, coordination):
    client.force_login(coordination)
    client.post(
        reverse("rapports:point_ajouter", args=[2023, "analyse_permanences"]),
        {
            "titre": "Une attente toujours aussi importante",
            "texte": "{permanences.usagers_recus} usagers ({permanences.usagers_recus.evolution}), "
            "contre {permanences.usagers_recus.precedent} en 2022.",
        },
    )
    bilan = bilan_json(2023)
    u = bilan["permanences"]["usagers_recus"]
    from rapports.formats import evolution_fr, valeur_fr

    attendu = f"{valeur_fr(u['valeur'])} usagers ({evolution_fr(u['evolution_pct'])}), contre {valeur_fr(u['precedent'])} en 2022."
    page = _page(client)
    assert attendu in page
    # Le chiffre suit les données : un passage de plus, et le texte change sans être réécrit.
    from tests.permanences.factories import PassageFactory

    PassageFactory(permanence=jeu[1][2023].permanences[0])
    assert f"{valeur_fr(u['valeur'] + 1)} usagers" in _page(client)


def test_un_point_modifie_deux_fois_a_deux_entrees_d_historique(jeu, client, coordination):
    client.force_login(coordination)
    client.post(
        reverse("rapports:point_ajouter", args=[2023, "a_retenir"]), {"titre": "Premier", "texte": "A"}
    )
    point = PointAnalyse.objects.get()
    for texte in ("B", "C"):
        client.post(reverse("rapports:point_modifier", args=[point.pk]), {"titre": "Premier", "texte": texte})
    client.post(
        reverse("rapports:point_modifier", args=[point.pk]), {"titre": "Premier", "texte": "C"}
    )  # identique
    modifications = point.history.filter(history_type="~").order_by("history_date")
    assert [h.texte for h in modifications] == ["B", "C"]
    assert all(h.history_user == coordination for h in point.history.all())
    client.post(reverse("rapports:point_supprimer", args=[point.pk]))
    assert not PointAnalyse.objects.exists()
    assert point.history.filter(history_type="-").get().texte == "C"  # supprimé, pas oublié


@pytest.mark.parametrize(
    ("donnees", "message"),
    [
        ({"titre": "x", "texte": "{permanences.inexistant}"}, "Clé inconnue : {permanences.inexistant}"),
        ({"titre": "x", "texte": "{os.system}"}, "Clé inconnue : {os.system}"),
        ({"titre": "", "texte": ""}, "Un point a un titre ou un texte."),
        ({"titre": "x" * 201, "texte": ""}, "200 caractères"),
        ({"titre": "x", "texte": "y" * 2001}, "2000 caractères"),
        ({"titre": "<script>alert(1)</script>", "texte": "{{ 7*7 }} {% debug %}"}, None),
    ],
)
def test_entrees_hostiles_d_un_point(jeu, client, coordination, donnees, message):
    client.force_login(coordination)
    reponse = client.post(reverse("rapports:point_ajouter", args=[2023, "a_retenir"]), donnees, follow=True)
    assert reponse.status_code == 200
    page = reponse.content.decode()
    if message is None:  # enregistré, et affiché comme du texte
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
        assert "{{ 7*7 }}" in html.unescape(page) and "49" not in page.split("a_retenir")[-1][:2000]
    else:
        assert message in html.unescape(page)
        assert not PointAnalyse.objects.exists()


def test_modifier_un_point_inexistant_404(db, client, coordination):
    client.force_login(coordination)
    assert client.post(reverse("rapports:point_modifier", args=[999]), {"titre": "x"}).status_code == 404
    assert client.post(reverse("rapports:point_supprimer", args=[999])).status_code == 404


def test_cles_et_rendu():
    assert cles_inconnues("{permanences.usagers_recus} {formations.structures_pct.CDAS.evolution} {a}") == []
    assert cles_inconnues("{permanences.nimporte} {x.y}") == ["permanences.nimporte", "x.y"]
    indicateurs = {"permanences": {"refus": {"valeur": None, "precedent": 3, "evolution_pct": None}}}
    assert rendre("{permanences.refus} et {permanences.usagers_recus}", indicateurs) == "— et —"
    assert rendre("des accolades {comme ceci}", indicateurs) == "des accolades {comme ceci}"


def test_l_analyse_voyage_dans_l_export_et_revient_a_l_import(jeu, coordination, tmp_path):
    from rapports.services import ajouter_point

    ajouter_point(
        annee=2023, section="analyse_permanences", titre="Attente", texte="Ligne 1\nLigne 2 ; « guillemets »"
    )
    ajouter_point(
        annee=2023, section="analyse_permanences", titre="Réseau", texte="{permanences.refus} refus"
    )
    import io
    import zipfile

    from echanges.sources import SourceFichiers

    with zipfile.ZipFile(io.BytesIO(archive_zip(annee=2023))) as archive:
        (tmp_path / "analyses.csv").write_bytes(archive.read("analyses.csv"))
    attendu = list(PointAnalyse.objects.values_list("annee", "section", "ordre", "titre", "texte"))
    PointAnalyse.objects.all().delete()
    importer(SourceFichiers.dossier(tmp_path), user=coordination)
    assert list(PointAnalyse.objects.values_list("annee", "section", "ordre", "titre", "texte")) == attendu


def test_import_d_analyse_refuse_une_cle_inconnue_avec_sa_ligne(db, tmp_path):
    from echanges.importeur import ImportRefuse
    from echanges.sources import SourceFichiers

    (tmp_path / "analyses.csv").write_text(
        "annee,section,ordre,titre,texte\n2023,a_retenir,1,Ok,Texte\n2023,a_retenir,2,Non,{permanences.xyz}\n"
        "2023,inconnue,3,Non,x\n"
    )
    with pytest.raises(ImportRefuse) as refus:
        importer(SourceFichiers.dossier(tmp_path))
    texte = str(refus.value)
    assert "analyses.csv:3: texte: clé inconnue : {permanences.xyz}" in texte
    assert "analyses.csv:4: section: valeur « inconnue » inconnue" in texte
    assert not PointAnalyse.objects.exists()  # tout ou rien
