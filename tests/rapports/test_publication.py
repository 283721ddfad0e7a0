"""Publier le Bilan d'une année la clôt : aucun chemin d'écriture ne passe, sauf réouverture motivée."""

import datetime
import hashlib
import html
import json
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from formations.models import Inscription, SessionFormation
from inclusion.annees_closes import AnneeClose
from inclusion.models import ClotureAnnee
from permanences.models import Passage, Permanence, Refus
from permanences.services import PointageInvalide, enregistrer_pointage
from rapports.bilan import Periode, comparer_periodes, json_du_bilan
from rapports.models import PublicationBilan
from rapports.services import PublicationRefusee, publier_bilan, rouvrir_annee
from tests.formations.factories import SessionFormationFactory, ThemeFactory
from tests.inclusion.factories import StructureFactory, utilisateur
from tests.permanences.factories import PassageFactory, PermanenceFactory
from tests.rapports.jeu_de_donnees import construire

MESSAGE = "L'année 2023 est close"


@pytest.fixture
def publie(db, coordination):
    lieux, donnees = construire()
    return lieux, donnees, publier_bilan(2023, auteur=coordination)


def test_publier_garde_le_pdf_et_le_json_et_clot_l_annee(publie, coordination):
    _, _, publication = publie
    assert (publication.annee, publication.version, publication.publie_par) == (2023, 1, coordination)
    assert bytes(publication.pdf).startswith(b"%PDF")
    assert publication.empreinte_pdf == hashlib.sha256(bytes(publication.pdf)).hexdigest()
    assert publication.json == json_du_bilan(comparer_periodes(Periode.annee(2023)))
    assert publication.empreinte_json == hashlib.sha256(publication.json.encode()).hexdigest()
    assert ClotureAnnee.objects.get(annee=2023).close


LE_2_JANVIER = "2024-01-02 09:00:00+01:00"


@pytest.fixture
def publie_le_2_janvier(db, coordination):
    """Le Bilan 2023 publié le 2 janvier 2024 : la permanence du 31 décembre est encore dans les 72 heures
    du pointage hors ligne ; seule la clôture peut refuser ses pointages. L'horloge est gelée pendant la
    préparation, puis par chaque test (une fixture qui rend la main en heure gelée fausse --durations)."""
    with freeze_time(LE_2_JANVIER):
        lieux, _ = construire()
        permanence = PermanenceFactory(lieu=lieux[0], date=datetime.date(2023, 12, 31))
        publier_bilan(2023, auteur=coordination)
    return permanence


@freeze_time(LE_2_JANVIER)
def test_apres_publication_le_pointage_d_une_annee_close_est_refuse(publie_le_2_janvier):
    permanence = publie_le_2_janvier
    agent = utilisateur("accueil", lieux=[permanence.lieu], username="agent_2023")
    horodatage = timezone.make_aware(datetime.datetime(2023, 12, 31, 18))
    for type_pointage in ("arrivee", "refus"):
        with pytest.raises(PointageInvalide, match=MESSAGE):
            enregistrer_pointage(
                user=agent,
                uuid=uuid.uuid4(),
                type_pointage=type_pointage,
                permanence_id=permanence.pk,
                horodatage=horodatage,
            )


def test_apres_publication_chaque_chemin_d_ecriture_de_l_annee_est_refuse(publie):
    lieux, donnees, _ = publie
    permanence = donnees[2023].permanences[0]
    refus_avant = Refus.objects.filter(date__year=2023).count()
    ecritures = {
        "passage créé": lambda: PassageFactory(permanence=permanence),
        "passage modifié": lambda: donnees[2023].passages[0].save(),
        "passage supprimé": lambda: donnees[2023].passages[0].delete(),
        "refus supprimé": lambda: donnees[2023].refus[0].delete(),
        "permanence créée": lambda: PermanenceFactory(date=datetime.date(2023, 6, 5), lieu=lieux[0]),
        "permanence annulée": lambda: _annuler(donnees[2023].permanences[1]),
        "rendez-vous modifié": lambda: donnees[2023].rdv[0].save(),
        "session créée": lambda: SessionFormationFactory(
            date=datetime.date(2023, 5, 2), theme=ThemeFactory()
        ),
        "session annulée": lambda: _annuler_session(donnees[2023].sessions[0]),
        "inscription créée": lambda: Inscription.objects.create(
            session=donnees[2023].sessions[0], structure=StructureFactory()
        ),
    }
    for quoi, ecrire in ecritures.items():
        with pytest.raises(AnneeClose, match=MESSAGE):
            ecrire()
        assert quoi  # chaque chemin lève, rien n'est écrit
    assert Passage.objects.filter(date__year=2023).count() == len(donnees[2023].passages)
    assert Refus.objects.filter(date__year=2023).count() == refus_avant
    assert not SessionFormation.objects.filter(date=datetime.date(2023, 5, 2)).exists()


def _annuler(permanence):
    permanence.annulee = True
    permanence.save(update_fields=["annulee"])


def _annuler_session(session):
    session.statut = "annulee"
    session.save(update_fields=["statut"])


def test_une_annee_close_refuse_aussi_ce_qu_on_y_deplace(publie):
    """Déplacer une permanence de 2024 vers 2023 (ou l'inverse) est une écriture dans 2023."""
    lieux, donnees, _ = publie
    de_2024 = PermanenceFactory(date=datetime.date(2024, 3, 4), lieu=lieux[0])
    de_2024.date = datetime.date(2023, 3, 6)
    with pytest.raises(AnneeClose):
        de_2024.save()
    de_2023 = Permanence.objects.get(pk=donnees[2023].permanences[0].pk)
    de_2023.date = datetime.date(2024, 3, 6)
    with pytest.raises(AnneeClose):
        de_2023.save()


@freeze_time(LE_2_JANVIER)
def test_pointage_de_l_accueil_refuse_par_http_avec_le_message(publie_le_2_janvier, client):
    permanence = publie_le_2_janvier
    client.force_login(utilisateur("accueil", lieux=[permanence.lieu], username="agent_http"))
    horodatage = "2023-12-31T18:00:00+01:00"
    reponse = client.post(
        reverse("permanences:pointer"),
        json.dumps(
            {
                "uuid": str(uuid.uuid4()),
                "type": "arrivee",
                "permanence": permanence.pk,
                "horodatage": horodatage,
            }
        ),
        content_type="application/json",
    )
    assert reponse.status_code == 400 and MESSAGE in reponse.json()["erreur"]


def test_la_coordination_ne_modifie_pas_non_plus_une_annee_close(publie, client, coordination):
    from tests.permanences.test_mediation import donnees_passage

    _, donnees, _ = publie
    permanence = donnees[2023].permanences[0]
    client.force_login(coordination)
    avant = Passage.objects.count()
    # Refusée d'emblée (#31), sans formulaire : le message de l'année close, pas « seule la coordination… ».
    for envoi in (client.get, lambda adresse: client.post(adresse, donnees_passage())):
        reponse = envoi(reverse("permanences:passage_nouveau", args=[permanence.pk]))
        assert reponse.status_code == 302
        page = html.unescape(client.get(reponse["Location"]).content.decode())
        assert MESSAGE in page and "seule la coordination" not in page
    assert Passage.objects.count() == avant


def test_un_import_qui_touche_une_annee_close_est_refuse_avec_ses_lignes(publie, tmp_path):
    from echanges.importeur import ImportRefuse, importer
    from echanges.sources import SourceFichiers

    lieux, _, _ = publie
    (tmp_path / "refus.csv").write_text(
        f"date,lieu,nombre\n2024-03-04,{lieux[0].nom},1\n2023-03-06,{lieux[0].nom},2\n06/03/2023,{lieux[0].nom},1\n"
    )
    PermanenceFactory(date=datetime.date(2024, 3, 4), lieu=lieux[0])
    with pytest.raises(ImportRefuse) as refus:
        importer(SourceFichiers.dossier(tmp_path))
    texte = str(refus.value)
    assert (
        "refus.csv:3: date: L'année 2023 est close" in texte
        and "refus.csv:4: date: L'année 2023 est close" in texte
    )
    assert "refus.csv:2" not in texte
    assert not Refus.objects.filter(date=datetime.date(2024, 3, 4)).exists()  # tout ou rien


def test_rouvrir_demande_un_motif_garde_dans_l_historique_puis_republier(publie, coordination):
    _, donnees, _ = publie
    with pytest.raises(PublicationRefusee, match="motif"):
        rouvrir_annee(2023, motif="  ", auteur=coordination)
    rouvrir_annee(2023, motif="Passages de décembre saisis en retard", auteur=coordination)
    PassageFactory(permanence=donnees[2023].permanences[0])  # de nouveau permis
    historique = ClotureAnnee.objects.get(annee=2023).history.order_by("history_date")
    assert [(h.close, h.motif) for h in historique][-1] == (False, "Passages de décembre saisis en retard")
    assert historique.last().history_user == coordination
    deuxieme = publier_bilan(2023, auteur=coordination)
    assert deuxieme.version == 2 and PublicationBilan.objects.filter(annee=2023).count() == 2
    assert ClotureAnnee.objects.get(annee=2023).close


def test_pas_de_publication_d_une_annee_en_cours_ni_sans_donnees(db):
    with pytest.raises(PublicationRefusee, match="n'est pas terminée"):
        publier_bilan(timezone.localdate().year)
    with pytest.raises(PublicationRefusee, match="Aucune donnée pour 2019"):
        publier_bilan(2019)


def test_la_page_dit_ce_qui_a_change_depuis_la_publication(publie, client, coordination):
    _, donnees, publication = publie
    client.force_login(coordination)
    page = html.unescape(client.get(reverse("rapports:bilan", args=[2023])).content.decode())
    assert "Année close" in page and "Les données n'ont pas changé" in page
    assert f"SHA-256 du PDF {publication.empreinte_pdf}" in page
    client.post(reverse("rapports:rouvrir", args=[2023]), {"motif": "Correction"})
    PassageFactory(permanence=donnees[2023].permanences[0])
    page = html.unescape(client.get(reverse("rapports:bilan", args=[2023])).content.decode())
    assert "Les données ont changé depuis la version publiée" in page
    n = len(donnees[2023].passages)
    assert (
        f'<th scope="row">Usagers reçus</th><td>2023</td><td class="text-end">{n}</td><td class="text-end">{n + 1}</td>'
        in page
    )
    telechargement = client.get(reverse("rapports:publication", args=[2023, 1, "pdf"]))
    assert telechargement["Content-Type"] == "application/pdf" and telechargement.content == bytes(
        publication.pdf
    )
    assert client.get(reverse("rapports:publication", args=[2023, 1, "exe"])).status_code == 404
    assert client.get(reverse("rapports:publication", args=[2023, 9, "pdf"])).status_code == 404


def test_publier_et_rouvrir_par_la_page(db, client, coordination):
    construire()
    client.force_login(coordination)
    reponse = client.post(reverse("rapports:publier", args=[2023]), follow=True)
    assert "Bilan 2023 publié (version 1) : l'année 2023 est close." in html.unescape(
        reponse.content.decode()
    )
    reponse = client.post(reverse("rapports:rouvrir", args=[2023]), {"motif": ""}, follow=True)
    assert "Indiquez pourquoi l'année est rouverte" in html.unescape(reponse.content.decode())
    assert ClotureAnnee.objects.get(annee=2023).close
