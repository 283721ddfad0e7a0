"""Inconnu = null partout (#29) : une part d'une base vide, une famille suivie sans aucun enregistrement dans
l'année, une section vide valent null avec un code de raison ; jamais 0 ni 0,0 %, jamais d'évolution ; une seule
phrase, pas de coquille de tableau."""

import datetime
import html
import re

import pytest

from formations.enums import Presence, StatutSession
from inclusion.models import Quartier
from permanences.enums import Frein, Service, StatutRendezVous, TypeDemande
from permanences.models import Passage
from rapports.bilan import bilan_json
from rapports.comparaison import AUCUN_ENREGISTREMENT, BASE_VIDE, RAISONS_INCONNU
from rapports.models import SuiviDonnees
from rapports.presentation import feuilles_de
from tests.formations.factories import InscriptionFactory, SessionFormationFactory
from tests.inclusion.factories import LieuFactory, StructureFactory, demarche
from tests.permanences.factories import PassageFactory, PermanenceFactory, RefusFactory, RendezVousFactory

SECTIONS = ("permanences", "rendez_vous", "arcs", "formations", "dispositif")


@pytest.fixture
def annee_creuse(db):
    construire_annee_creuse()
    return bilan_json(2024)


def construire_annee_creuse():
    """2023 complète ; 2024 avec des passages sans freins, quartiers, orientations, attente ni refus, des
    rendez-vous seulement « accompagnement technique », aucun rendez-vous ARCS, une session sans participant."""
    lieu = LieuFactory(nom="ESC Maurepas")
    cdas = StructureFactory(nom="CDAS")
    maurepas = Quartier.objects.create(nom="Maurepas", qpv=True)
    p23 = PermanenceFactory(date=datetime.date(2023, 3, 6), lieu=lieu)
    for _ in range(3):
        PassageFactory(
            permanence=p23,
            freins=Passage.encoder_freins([Frein.LANGUE]),
            quartier=maurepas,
            oriente_vers=cdas,
            attente_minutes=10,
        )
    RefusFactory(permanence=p23, annulee_le=None)
    RendezVousFactory(
        date=datetime.date(2023, 4, 3),
        statut=StatutRendezVous.HONORE,
        duree_minutes=30,
        type_demande=TypeDemande.DEMARCHE_EN_LIGNE,
        demarche=demarche("caf"),
    )
    RendezVousFactory(
        service=Service.ARCS, date=datetime.date(2023, 4, 4), statut=StatutRendezVous.HONORE, duree_minutes=40
    )
    tenue = SessionFormationFactory(date=datetime.date(2023, 5, 10), statut=StatutSession.TENUE)
    InscriptionFactory(session=tenue, structure=cdas, present=Presence.PRESENT)

    p24 = PermanenceFactory(date=datetime.date(2024, 3, 4), lieu=lieu)
    for _ in range(2):
        PassageFactory(permanence=p24, attente_minutes=None)
    RendezVousFactory(
        date=datetime.date(2024, 4, 1),
        statut=StatutRendezVous.HONORE,
        duree_minutes=20,
        type_demande=TypeDemande.ACCOMPAGNEMENT_TECHNIQUE,
        demarche=None,
    )
    annulee = SessionFormationFactory(date=datetime.date(2024, 5, 13), statut=StatutSession.ANNULEE)
    InscriptionFactory(session=annulee, structure=cdas, present=Presence.INCONNUE)


def _toutes_les_feuilles(bilan):
    return list(feuilles_de({s: bilan[s] for s in SECTIONS}))


def _inconnue(feuille, raison):
    return feuille["valeur"] is None and feuille.get("inconnu", {}).get("valeur") == raison


def test_famille_suivie_sans_enregistrement_dans_l_annee_est_inconnue(annee_creuse):
    p = annee_creuse["permanences"]
    for table in ("freins_pct", "quartier_pct", "orientations"):
        assert p[table], table
        for code, f in p[table].items():
            assert _inconnue(f, AUCUN_ENREGISTREMENT), (table, code, f)
            assert f["precedent"] is not None and f["evolution_pct"] is None
            assert f.get("evolution_points") is None
    for cle in (
        "refus",
        "taux_sans_reponse_pct",
        "personnes_en_demande",
        "qpv_pct",
        "attente_moyenne_minutes",
    ):
        assert _inconnue(p[cle], AUCUN_ENREGISTREMENT), (cle, p[cle])
        assert p[cle]["evolution_pct"] is None
    assert _inconnue(p["par_lieu"]["ESC Maurepas"]["refus"], AUCUN_ENREGISTREMENT)
    assert p["usagers_recus"]["valeur"] == 2  # le reste de la section est connu


def test_part_d_une_base_vide_est_inconnue_dans_chaque_section(annee_creuse):
    b = annee_creuse
    # Rendez-vous : aucun rendez-vous « démarche en ligne » en 2024, la répartition par démarche n'existe pas.
    assert _inconnue(b["rendez_vous"]["demarches_pct"]["caf"], BASE_VIDE)
    assert b["rendez_vous"]["demarches_pct"]["caf"]["precedent"] == 100.0
    assert b["rendez_vous"]["types_demande_pct"]["accompagnement_technique"]["valeur"] == 100.0
    # Formations : une session (annulée) mais aucun participant : pas de « 0,0 % du CDAS ».
    assert _inconnue(b["formations"]["structures_pct"]["CDAS"], BASE_VIDE)
    assert b["formations"]["sessions_programmees"]["valeur"] == 1
    # ARCS : aucun rendez-vous en 2024, la section entière est inconnue.
    arcs = b["arcs"]
    assert _inconnue(arcs["rendez_vous_tenus"], AUCUN_ENREGISTREMENT)
    for f in arcs["tranche_age_pct"].values():
        assert f["valeur"] is None and f["inconnu"]["valeur"] in RAISONS_INCONNU
    # Dispositif : connu (des passages et des rendez-vous).
    assert b["dispositif"]["personnes_recues_hors_declares"]["valeur"] == 3


def test_aucune_part_nulle_d_une_base_vide_ni_evolution_sans_les_deux_valeurs(annee_creuse):
    """Les invariants, sur chaque feuille de chaque section."""
    for chemin, f in _toutes_les_feuilles(annee_creuse):
        for cle in ("valeur", "precedent"):
            if f[cle] is None:
                assert f.get("inconnu", {}).get(cle) in RAISONS_INCONNU, (chemin, f)
            else:
                assert cle not in f.get("inconnu", {}), (chemin, f)
        if f["valeur"] is None or f["precedent"] is None:
            assert f["evolution_pct"] is None and f.get("evolution_points") is None, (chemin, f)
    # Une table de parts n'a jamais que des 0 : soit une part est positive, soit toutes sont inconnues.
    for section in SECTIONS:
        for nom, table in annee_creuse[section].items():
            if nom.endswith("_pct") and isinstance(table, dict) and "valeur" not in table:
                valeurs = [f["valeur"] for f in table.values()]
                assert any(v for v in valeurs) or all(v is None for v in valeurs), (section, nom, valeurs)


def test_zero_confirme_par_la_coordination_est_un_vrai_zero(annee_creuse):
    SuiviDonnees.objects.create(famille="refus", depuis=datetime.date(2023, 1, 1), zeros_confirmes="2024")
    p = bilan_json(2024)["permanences"]
    assert p["refus"]["valeur"] == 0 and p["refus"]["evolution_pct"] == -100.0
    assert p["taux_sans_reponse_pct"]["valeur"] == 0.0  # 0 refus sur 2 personnes en demande : une vraie part
    # Les autres familles restent inconnues ; la confirmation est gardée dans l'historique.
    assert p["freins_pct"]["langue"]["valeur"] is None
    assert SuiviDonnees.history.filter(zeros_confirmes="2024").exists()


def test_annee_de_zero_confirme_refusee_si_ce_n_est_pas_une_annee(db, client, coordination):
    from rapports.models import annees_de, valider_annees

    assert annees_de("2024, 2025;2026") == {2024, 2025, 2026}
    with pytest.raises(Exception, match="n'est pas une année"):
        valider_annees("2024, deux mille")


def _texte_pdf(pdf):
    import io

    from pypdf import PdfReader

    texte = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"[\s\u202f\u00a0]+", " ", texte)


def test_le_document_dit_l_inconnu_une_fois_sans_coquille_ni_zero(annee_creuse, client, coordination):
    from tests.taches import octets_de, telecharger_le_bilan

    client.force_login(coordination)
    page = html.unescape(client.get("/rapports/bilan/2024/").content.decode())
    texte = _texte_pdf(octets_de(telecharger_le_bilan(client, 2024)))
    for document in (re.sub(r"<[^>]+>", " ", page), texte):
        # Le document a ses apostrophes typographiques (test_typographie) : les phrases se comparent sans elles.
        document = re.sub(r"[\s\u202f\u00a0]+", " ", document).replace("’", "'")
        assert "aucune donnée" not in document.lower()
        for libelle in (
            "Freins à l'autonomie",
            "Quartiers de résidence",
            "Orientations vers les partenaires",
        ):
            phrase = f"{libelle} : aucun enregistrement en 2024"
            assert document.count(phrase) == 1, (libelle, document.count(phrase))
        assert "Démarches des rendez-vous : base vide en 2024" in document
        assert (
            "Aucun refus enregistré en 2024, alors que l'accueil les pointe depuis le 01/01/2023" in document
        )
        # Aucune part d'une base vide ni « −100 % » d'une famille sans enregistrement (« autre venue : 0,0 % » sur
        # deux passages est, lui, un vrai zéro).
        assert not re.search(r"(Langue|Maurepas|CDAS|CAF|Préfecture|QPV\)) —? ?0(,0)? (%|—)", document), (
            document
        )
    # Pas de tableau réduit à ses en-têtes ou à une ligne de message.
    assert not re.search(r"<tbody>\s*</tbody>", page)
    assert 'colspan="4"' not in page
