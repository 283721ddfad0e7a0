"""Le Bilan rendu une fois par état des données : servi tel quel tant que rien ne change, refait en fond sinon."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from freezegun import freeze_time

from formations.models import Inscription
from inclusion import documents
from inclusion.models import Demarche, IdentiteDispositif, Lieu
from permanences.models import Arrivee, Passage, Refus, RendezVous
from rapports import rendus
from rapports.bilan import Periode, comparer_periodes
from rapports.empreinte import empreinte_des_donnees
from rapports.models import ChiffreExterne, PointAnalyse, RenduBilan, SuiviDonnees
from rapports.presentation import contexte_bilan
from tests.permanences.factories import ArriveeFactory, PermanenceFactory, RendezVousFactory
from tests.rapports.jeu_de_donnees import construire
from tests.taches import executer_les_taches, octets_de, telecharger_le_bilan
from travaux.enums import NatureTraitement
from travaux.models import Traitement


@pytest.fixture
def jeu(db):
    return construire(nb_lieux=2)


@pytest.fixture
def rendus_comptes(monkeypatch):
    """Compte les rendus PDF demandés par rapports.rendus (appels à html_vers_pdf ; la suite peut servir la copie
    d'un rendu déjà fait du même HTML : tests/conftest.py, un_rendu_pdf_par_html)."""
    appels = []
    vrai = rendus.html_vers_pdf

    def compter(html):
        appels.append(1)
        return vrai(html)

    monkeypatch.setattr(rendus, "html_vers_pdf", compter)
    return appels


def test_une_annee_jamais_rendue_est_mise_en_file_et_pas_rendue_dans_la_requete(
    jeu, client, coordination, rendus_comptes
):
    client.force_login(coordination)
    adresse = reverse("rapports:bilan_pdf", args=[2023])
    premier = client.get(adresse)
    travail = Traitement.objects.get(nature=NatureTraitement.BILAN)
    assert premier.status_code == 302 and premier["Location"] == reverse(
        "rapports:traitement", args=[travail.pk]
    )
    assert len(rendus_comptes) == 0  # rien rendu dans la requête
    page = client.get(reverse("rapports:bilan", args=[2023])).content.decode()
    assert (
        "premier rendu en préparation" in page and reverse("rapports:traitement", args=[travail.pk]) in page
    )
    assert "Chiffres clés" in page  # la page HTML du Bilan, elle, est là tout de suite
    assert client.get(reverse("rapports:bilan_document_html", args=[2023]))["Location"] == premier["Location"]
    assert Traitement.objects.filter(nature=NatureTraitement.BILAN).count() == 1  # une seule demande
    assert "En attente" in client.get(premier["Location"]).content.decode()
    executer_les_taches()
    suivi = client.get(premier["Location"]).content.decode()
    assert "Bilan 2023 rendu" in suivi and adresse in suivi
    assert "PDF et HTML à jour" in client.get(reverse("rapports:bilan", args=[2023])).content.decode()
    assert len(rendus_comptes) == 1


def test_une_annee_inchangee_n_est_pas_rendue_deux_fois(jeu, client, coordination, rendus_comptes):
    client.force_login(coordination)
    premier = telecharger_le_bilan(client, 2023)
    assert premier["X-Bilan-Rendu"] == "a-jour" and len(rendus_comptes) == 1
    second = octets_de(client.get(reverse("rapports:bilan_pdf", args=[2023])))
    assert len(rendus_comptes) == 1  # servi depuis le fichier
    assert second == octets_de(premier) and second.startswith(b"%PDF")
    html = client.get(reverse("rapports:bilan_document_html", args=[2023]))
    assert len(rendus_comptes) == 1 and b"<html" in octets_de(html)  # rendu avec le PDF, du même gabarit
    assert Traitement.objects.filter(nature=NatureTraitement.BILAN).count() == 1  # le premier rendu, seul


def test_une_annee_changee_sert_l_ancien_rendu_puis_le_refait_en_fond(
    jeu, client, coordination, rendus_comptes
):
    client.force_login(coordination)
    ancien = octets_de(telecharger_le_bilan(client, 2023))
    passage = Passage.objects.filter(date__year=2023).first()
    # Un changement qui se voit une fois imprimé (les évolutions se calculent sur les valeurs imprimées : 7
    # minutes de plus sur un passage ne changent pas toujours la durée moyenne arrondie à la minute).
    passage.autonomie = "fait_a_sa_place" if passage.autonomie != "fait_a_sa_place" else "autonome"
    passage.save()
    reponse = client.get(reverse("rapports:bilan_pdf", args=[2023]))
    assert reponse["X-Bilan-Rendu"] == "mise-a-jour-en-cours" and octets_de(reponse) == ancien
    assert len(rendus_comptes) == 1  # pas de rendu dans la requête
    page = client.get(reverse("rapports:bilan", args=[2023])).content.decode()
    assert "mise à jour en cours" in page
    assert Traitement.objects.filter(nature=NatureTraitement.BILAN, statut="en_attente").count() == 1
    executer_les_taches()
    assert len(rendus_comptes) == 2
    reponse = client.get(reverse("rapports:bilan_pdf", args=[2023]))
    assert reponse["X-Bilan-Rendu"] == "a-jour" and octets_de(reponse) != ancien
    assert RenduBilan.objects.filter(annee=2023).count() == 2  # le PDF et le HTML, les anciens effacés
    assert "PDF et HTML à jour" in client.get(reverse("rapports:bilan", args=[2023])).content.decode()


def test_une_requete_sur_une_annee_changee_calcule_l_empreinte_une_fois(
    jeu, client, coordination, monkeypatch
):
    client.force_login(coordination)
    telecharger_le_bilan(client, 2023)
    ChiffreExterne.objects.create(annee=2023, indicateur="dispositif.personnes_recues_externes", valeur=3)
    calculs = []
    vraie = rendus.empreinte_des_donnees
    monkeypatch.setattr(rendus, "empreinte_des_donnees", lambda annee: calculs.append(annee) or vraie(annee))
    for nom in ("rapports:bilan_pdf", "rapports:bilan_document_html"):
        calculs.clear()
        reponse = client.get(reverse(nom, args=[2023]))
        assert reponse["X-Bilan-Rendu"] == "mise-a-jour-en-cours" and calculs == [2023], nom
    assert Traitement.objects.filter(nature=NatureTraitement.BILAN, statut="en_attente").count() == 1


def test_une_annee_sans_donnee_reste_un_404(db, client, coordination):
    client.force_login(coordination)
    reponse = client.get(reverse("rapports:bilan_pdf", args=[2031]))
    assert reponse.status_code == 404 and "Aucune donnée pour 2031" in reponse.content.decode()
    assert RenduBilan.objects.count() == 0


def _changer_chaque_famille():
    """Une modification par famille que lit le Bilan, par chacun des chemins d'écriture."""
    passage = Passage.objects.filter(date__year=2023).first()
    yield "passage.save", lambda: passage.save()
    yield (
        "passage update() en masse",
        lambda: Passage.objects.filter(pk=passage.pk).update(autonomie="autonome"),
    )
    yield "passage supprimé", lambda: Passage.objects.filter(date__year=2023).last().delete()
    yield "passage de l'année d'avant", lambda: Passage.objects.filter(date__year=2022).first().save()
    yield "refus", lambda: Refus.objects.filter(date__year=2023).first().save(update_fields=["motif"])
    permanence = PermanenceFactory(date=datetime.date(2023, 5, 2), lieu=Lieu.objects.first())
    yield "arrivée", lambda: ArriveeFactory(permanence=permanence)
    yield (
        "arrivée prise en charge",
        lambda: Arrivee.objects.filter(pk=Arrivee.objects.first().pk).update(
            prise_en_charge_le=datetime.datetime(2023, 5, 2, 10, tzinfo=datetime.UTC)
        ),
    )
    yield "rendez-vous", lambda: RendezVousFactory(date=datetime.date(2023, 6, 1), lieu=Lieu.objects.first())
    yield "rendez-vous honoré", lambda: RendezVous.objects.filter(date__year=2023).update(duree_minutes=44)
    yield "permanence", lambda: PermanenceFactory(date=datetime.date(2023, 7, 3), lieu=Lieu.objects.first())
    yield "inscription", lambda: Inscription.objects.filter(session__date__year=2023).first().delete()
    yield "chiffre déclaré", lambda: ChiffreExterne.objects.create(annee=2023, indicateur="x.y", valeur=3)
    yield "analyse", lambda: PointAnalyse.objects.create(annee=2023, section="a_retenir", titre="Nouveau")
    yield "suivi", lambda: SuiviDonnees.objects.create(famille="refus", depuis=datetime.date(2023, 3, 1))
    yield "identité", lambda: IdentiteDispositif.objects.update_or_create(pk=1, defaults={"nom": "Autre nom"})
    yield "lieu renommé", lambda: Lieu.objects.filter(pk=Lieu.objects.first().pk).update(nom="Renommé")
    yield "démarche", lambda: Demarche.objects.filter(pk=Demarche.objects.first().pk).update(libelle="Autre")


def test_chaque_famille_change_l_empreinte_et_rien_d_autre_ne_la_change(jeu):
    avant = empreinte_des_donnees(2023)
    assert empreinte_des_donnees(2023) == avant  # même état, même empreinte
    Passage.objects.filter(date__year=2019).update(note="hors des deux années")  # aucune ligne : aucun effet
    assert empreinte_des_donnees(2023) == avant
    vues = {avant}
    for quoi, changer in _changer_chaque_famille():
        with freeze_time(datetime.datetime.now() + datetime.timedelta(minutes=len(vues))):
            changer()
        apres = empreinte_des_donnees(2023)
        assert apres not in vues, quoi
        vues.add(apres)


def test_l_empreinte_d_une_annee_ignore_les_autres_annees(jeu):
    avant = empreinte_des_donnees(2023)
    PermanenceFactory(date=datetime.date(2025, 3, 3), lieu=Lieu.objects.first())
    assert empreinte_des_donnees(2023) == avant


def test_la_publication_passe_par_le_meme_rendu(jeu, client, coordination, rendus_comptes):
    from rapports.services import publier_bilan

    publication = publier_bilan(2023, auteur=coordination)
    assert len(rendus_comptes) == 1 and bytes(publication.pdf).startswith(b"%PDF")


def test_chaque_modele_est_dans_l_empreinte_ou_dit_pourquoi_il_n_y_est_pas():
    """Un modèle ajouté sans décider s'il compte pour le Bilan fait échouer ce test."""
    from django.apps import apps

    from rapports.empreinte import ENTIERES

    lus = {
        *ENTIERES,
        "permanences.Passage", "permanences.Refus", "permanences.Arrivee", "permanences.RendezVous",
        "permanences.Permanence", "formations.SessionFormation", "formations.Inscription",
        "formations.AccompagnementFormation",
    }  # fmt: skip
    hors_du_bilan = {
        "travaux.Traitement": "suivi des travaux de fond",
        "rapports.RenduBilan": "le rendu lui-même",
        "echanges.FichierImporte": "empreintes des fichiers importés",
        "api.JetonApi": "accès à l'API",
        "permanences.LieuHabituel": "préférence d'affichage de l'accueil",
    }
    modeles = {
        m._meta.label
        for m in apps.get_models()
        if m._meta.app_label
        in (
            "inclusion",
            "permanences",
            "formations",
            "rapports",
            "travaux",
            "echanges",
            "api",
            "confidentialite",
        )
        and not m._meta.label.split(".")[1].startswith("Historical")
    }
    assert modeles - lus - set(hors_du_bilan) == set()
    assert (lus | set(hors_du_bilan)) - modeles == set()


def test_un_rendu_echoue_se_dit_sur_la_page_du_bilan_et_mene_au_bilan(jeu, client, coordination, monkeypatch):
    client.force_login(coordination)
    client.get(reverse("rapports:bilan", args=[2023]))  # met le premier rendu en file

    def en_panne(html):
        raise RuntimeError("disque plein")

    monkeypatch.setattr(rendus, "html_vers_pdf", en_panne)
    executer_les_taches()
    echoue = Traitement.objects.get(nature=NatureTraitement.BILAN)
    assert echoue.statut == "echoue"
    suivi = client.get(reverse("rapports:traitement", args=[echoue.pk])).content.decode()
    assert "Échec." in suivi and reverse("rapports:bilan", args=[2023]) in suivi
    page = client.get(reverse("rapports:bilan", args=[2023])).content.decode()
    assert "Le dernier rendu du PDF a échoué" in page and "premier rendu en préparation" not in page
    assert Traitement.objects.filter(nature=NatureTraitement.BILAN, statut="en_attente").count() == 1


def test_une_annee_close_ne_demande_aucun_rendu(jeu, client, coordination):
    from inclusion.models import ClotureAnnee

    ClotureAnnee.objects.create(annee=2023, close=True)
    client.force_login(coordination)
    assert client.get(reverse("rapports:bilan", args=[2023])).status_code == 200
    assert not Traitement.objects.exists()


def test_le_meme_html_donne_les_memes_octets_de_pdf_a_toute_heure(jeu):
    """La suite garde un rendu PDF par HTML (tests/conftest.py, un_rendu_pdf_par_html) : c'est juste tant que
    WeasyPrint rend le même HTML en mêmes octets, quelle que soit l'heure (aucune date de création dans le PDF)."""
    vrai = documents.html_vers_pdf.__wrapped__  # le rendu lui-même, sans la copie gardée par la suite
    html = render_to_string("rapports/bilan_pdf.html", contexte_bilan(comparer_periodes(Periode.annee(2023))))
    assert "<svg" in html or "data:image/svg" in html  # graphiques et polices : tout ce que le PDF embarque
    with freeze_time("2024-01-02 09:00"):
        avant = vrai(html)
    with freeze_time("2025-06-30 18:45"):
        apres = vrai(html)
    assert avant == apres
