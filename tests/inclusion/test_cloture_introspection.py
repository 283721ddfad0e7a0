"""Une année close l'est par tous les chemins, pour chaque modèle qui porte une date de l'année.

Le test énumère les modèles (une date, une année, ou une relation vers un enregistrement daté) : chacun est
protégé (inclusion.cloture) ou exempté ici avec sa raison. Un nouveau modèle daté sans garde fait échouer le test.
Puis, pour chaque modèle protégé, chaque chemin d'écriture est essayé sur une année close.
"""

import datetime
import uuid

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from simple_history.models import HistoricalChanges

from formations.models import AccompagnementFormation, Inscription, SessionFormation
from inclusion.annees_closes import AnneeClose, ArriveeJamaisSupprimee, annee_close_de
from inclusion.cloture import ProtegeeParLaCloture, QuerySetCloture
from inclusion.cloture_declencheurs import arguments_des_annees_listees, arguments_du_declencheur
from inclusion.models import ClotureAnnee
from permanences.models import Arrivee, Creneau, Passage, Permanence, Refus, RendezVous
from rapports.models import ChiffreExterne, PointAnalyse, SuiviDonnees
from tests.formations.factories import ThemeFactory
from tests.inclusion.factories import IntervenantFactory, LieuFactory, StructureFactory, demarche

CLOSE, OUVERTE = 2023, 2024
MESSAGE = f"L'année {CLOSE} est close"

# Les modèles datés qui ne sont pas des enregistrements d'une année, et pourquoi.
EXEMPTES = {
    "inclusion.ClotureAnnee": "la clôture elle-même (publier, rouvrir : rapports.services)",
    "rapports.PublicationBilan": "la version publiée, gardée telle quelle ; chaque publication en ajoute une",
    "rapports.RenduBilan": "un rendu mis en cache, reconnu par l'empreinte des données",
    "inclusion.ContactAnnuaire": "date de vérification d'un contact de l'annuaire, hors des chiffres",
    "inclusion.Intervenant": "arrivée et départ d'un membre de l'équipe : texte du Bilan, pas un chiffre",
    "inclusion.TempsDeTravail": "quotité d'un membre de l'équipe : texte du Bilan, pas un chiffre",
    "permanences.Creneau_intervenants": (
        "médiateurs habituels d'un créneau : aucun chiffre ne les lit (Creneau.champs_hors_cloture)"
    ),
    "permanences.Permanence_intervenants": (
        "médiateurs d'une permanence : gardés par le signal m2m_changed et, sur PostgreSQL, par le déclencheur"
    ),
}


def _date_de_l_annee(champ):
    return (isinstance(champ, models.DateField) and not isinstance(champ, models.DateTimeField)) or (
        champ.name == "annee"
    )


def modeles_dates():
    """Les modèles qui portent une date (ou une année), ou une relation vers un modèle protégé."""
    proteges = {m for m in apps.get_models() if issubclass(m, ProtegeeParLaCloture)}
    trouves = set()
    for modele in apps.get_models(include_auto_created=True):
        if issubclass(modele, HistoricalChanges):
            continue  # le journal des modifications : il garde ce qui a été écrit, la purge l'efface
        for champ in modele._meta.concrete_fields:
            if _date_de_l_annee(champ) or (champ.is_relation and champ.related_model in proteges):
                trouves.add(modele)
    return trouves, proteges


def test_chaque_modele_date_est_protege_ou_exempte_avec_sa_raison():
    trouves, proteges = modeles_dates()
    sans_garde = {m._meta.label for m in trouves - proteges} - set(EXEMPTES)
    assert not sans_garde, (
        f"Modèles datés sans garde de la clôture (inclusion.cloture) : {sorted(sans_garde)}"
    )
    assert set(EXEMPTES) <= {m._meta.label for m in trouves}, "exemption d'un modèle qui n'est plus daté"
    for modele in proteges:
        assert isinstance(modele._default_manager.all(), QuerySetCloture), modele
        assert set(CONSTRUCTEURS) == proteges, "ajoutez un constructeur pour essayer chaque chemin"
    assert "intervenants" in Creneau.champs_hors_cloture  # la raison de l'exemption de Creneau_intervenants


def _permanence(annee):
    return Permanence.objects.create(
        date=datetime.date(annee, 3, 6), lieu=LieuFactory(), heure_debut="09:00", heure_fin="12:00"
    )


def _session(annee):
    return SessionFormation.objects.create(date=datetime.date(annee, 5, 2), theme=ThemeFactory())


def _horodatage(annee):
    return timezone.make_aware(datetime.datetime(annee, 3, 6, 10))


# Pour chaque modèle protégé : un enregistrement de l'année donnée, pas encore enregistré, et un champ qui compte.
CONSTRUCTEURS = {
    Permanence: (
        lambda a: Permanence(
            date=datetime.date(a, 3, 6), lieu=LieuFactory(), heure_debut="09:00", heure_fin="12:00"
        ),
        "annulee",
        True,
    ),
    Arrivee: (
        lambda a: Arrivee(uuid=uuid.uuid4(), permanence=_permanence(a), horodatage=_horodatage(a)),
        "genre",
        "femme",
    ),
    Refus: (
        lambda a: Refus(
            uuid=uuid.uuid4(), permanence=(p := _permanence(a)), date=p.date, horodatage=_horodatage(a)
        ),
        "motif",
        "complet",
    ),
    Passage: (
        lambda a: Passage(
            permanence=(p := _permanence(a)),
            date=p.date,
            type_demande="demarche_en_ligne",
            demarche=demarche("caf"),
            duree_minutes=20,
            autonomie="autonome",
        ),
        "duree_minutes",
        45,
    ),
    RendezVous: (
        lambda a: RendezVous(
            service="ccas", lieu=LieuFactory(), intervenant=IntervenantFactory(), date=datetime.date(a, 4, 3)
        ),
        "duree_prevue_minutes",
        60,
    ),
    SessionFormation: (
        lambda a: SessionFormation(date=datetime.date(a, 5, 2), theme=ThemeFactory()),
        "capacite",
        3,
    ),
    Inscription: (
        lambda a: Inscription(session=_session(a), structure=StructureFactory()),
        "liste_attente",
        True,
    ),
    AccompagnementFormation: (
        lambda a: AccompagnementFormation(
            date=datetime.date(a, 6, 1), duree_minutes=30, structure=StructureFactory()
        ),
        "duree_minutes",
        90,
    ),
    ChiffreExterne: (
        lambda a: ChiffreExterne(annee=a, indicateur="dispositif.personnes_recues_externes", valeur=10),
        "valeur",
        99999,
    ),
    PointAnalyse: (
        lambda a: PointAnalyse(annee=a, section="permanences", titre="Un point"),
        "titre",
        "Autre",
    ),
    SuiviDonnees: (lambda a: SuiviDonnees(famille="refus", depuis=datetime.date(a, 1, 1)), "depuis", None),
    # Valable sur une période : la fin avancée dans l'année close change ce que son Bilan compte au 31 décembre.
    Creneau: (
        lambda a: Creneau(
            lieu=LieuFactory(),
            jour_semaine=1,
            heure_debut="09:00",
            heure_fin="12:00",
            valide_du=datetime.date(a, 2, 1),
        ),
        "valide_au",
        datetime.date(CLOSE, 6, 30),
    ),
}


def _clore():
    ClotureAnnee.objects.create(annee=CLOSE, close=True)


def _cle(modele):
    return modele._meta.label


def _etat(objet):
    """L'enregistrement tel qu'il est dans la base (toutes ses colonnes)."""
    return type(objet)._base_manager.filter(pk=objet.pk).values().first()


@pytest.mark.parametrize("modele", list(CONSTRUCTEURS), ids=_cle)
def test_chaque_chemin_d_ecriture_est_refuse_dans_une_annee_close(db, modele):
    construire, champ, valeur = CONSTRUCTEURS[modele]
    existant = construire(CLOSE)
    existant.save()
    nouveau, autre = construire(CLOSE), construire(CLOSE)
    if modele is SuiviDonnees:
        nouveau.famille, autre.famille, valeur = "attente", "freins", datetime.date(OUVERTE, 3, 1)
    _clore()
    avant, nombre = _etat(existant), modele.objects.count()

    setattr(existant, champ, valeur)
    lignes = modele.objects.filter(pk=existant.pk)
    refus_attendu = ArriveeJamaisSupprimee if modele is Arrivee else AnneeClose
    chemins = {
        "save() d'un nouvel objet": (AnneeClose, nouveau.save),
        "save() d'une modification": (AnneeClose, existant.save),
        "delete() de l'objet": (refus_attendu, existant.delete),
        "update() du QuerySet": (AnneeClose, lambda: lignes.update(**{champ: valeur})),
        "delete() du QuerySet": (refus_attendu, lignes.delete),
        "bulk_update()": (AnneeClose, lambda: modele.objects.bulk_update([existant], [champ])),
        "bulk_create()": (AnneeClose, lambda: modele.objects.bulk_create([autre])),
    }
    for chemin, (erreur, ecrire) in chemins.items():
        with pytest.raises(erreur) as refus:
            ecrire()
        assert chemin and refus.value.message
        assert _etat(existant) == avant and modele.objects.count() == nombre, chemin


@pytest.mark.parametrize("modele", [m for m in CONSTRUCTEURS if m is not SuiviDonnees], ids=_cle)
def test_deplacer_vers_une_annee_close_est_refuse(db, modele):
    construire, _, _ = CONSTRUCTEURS[modele]
    de_l_annee_ouverte = construire(OUVERTE)
    de_l_annee_ouverte.save()
    relation, _, reste = modele.champ_date_cloture.partition("__")
    if reste:  # la date vient d'une relation : la rattacher à un enregistrement de l'année close
        valeur = getattr(construire(CLOSE), relation)
    else:
        valeur = CLOSE if relation == "annee" else datetime.date(CLOSE, 12, 31)
    # Une date copiée de la permanence (passages, refus) : save() la reprend de la permanence, qu'on déplace.
    copie = not modele._meta.get_field(relation).editable
    permanence_close = _permanence(CLOSE) if copie else None
    _clore()
    avant = _etat(de_l_annee_ouverte)
    with pytest.raises(AnneeClose, match=MESSAGE):
        modele.objects.filter(pk=de_l_annee_ouverte.pk).update(**{relation: valeur})
    if copie:
        de_l_annee_ouverte.permanence = permanence_close
    else:
        setattr(de_l_annee_ouverte, relation, valeur)
    with pytest.raises(AnneeClose, match=MESSAGE):
        de_l_annee_ouverte.save()
    assert _etat(de_l_annee_ouverte) == avant


# Une valeur permise des champs libres qui ne se vident pas (ni null ni texte).
VALEURS_LIBRES = {"jour_semaine": 4, "heure_debut": "08:00", "heure_fin": "13:00", "zeros_confirmes": "2024"}


def _valeur_libre(champ):
    if champ.name in VALEURS_LIBRES:
        return VALEURS_LIBRES[champ.name]
    if champ.null:
        return None
    if isinstance(champ, models.DateTimeField):
        return timezone.now()
    return ""


@pytest.mark.parametrize("modele", [m for m in CONSTRUCTEURS if m.champs_hors_cloture], ids=_cle)
def test_les_champs_qu_aucun_chiffre_ne_lit_restent_modifiables(db, modele):
    """La purge efface les données personnelles d'une année close ; un compte supprimé laisse ses saisies."""
    construire, _, _ = CONSTRUCTEURS[modele]
    existant = construire(CLOSE)
    existant.save()
    _clore()
    champs = [modele._meta.get_field(nom) for nom in modele.champs_hors_cloture]
    valeurs = {f.name: _valeur_libre(f) for f in champs if not f.many_to_many}
    assert modele.objects.filter(pk=existant.pk).update(**valeurs) == 1
    for nom, valeur in valeurs.items():
        setattr(existant, nom, valeur)
    existant.save(update_fields=list(valeurs))
    modele.objects.bulk_update([existant], list(valeurs))


def test_retirer_ou_ajouter_un_mediateur_d_une_permanence_close_est_refuse(db):
    permanence = _permanence(CLOSE)
    present, nouveau = IntervenantFactory(), IntervenantFactory()
    permanence.intervenants.add(present)
    _clore()
    for ecrire in (
        lambda: permanence.intervenants.add(nouveau),
        lambda: permanence.intervenants.remove(present),
        lambda: permanence.intervenants.clear(),
        lambda: nouveau.permanences.add(permanence),
        lambda: present.permanences.clear(),
    ):
        with (
            pytest.raises(AnneeClose, match=MESSAGE),
            transaction.atomic(),
        ):  # add() : atomic sans point de reprise
            ecrire()
    assert list(permanence.intervenants.all()) == [present]


def _declencheurs(nom):
    """{table: (fonction, arguments)} des déclencheurs de ce nom."""
    with connection.cursor() as curseur:
        curseur.execute(
            "SELECT c.relname, p.proname, t.tgargs FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_proc p ON p.oid = t.tgfoid WHERE t.tgname = %s",
            [nom],
        )
        return {
            table: (fonction, tuple(bytes(args).decode().split("\x00")[:-1]))
            for table, fonction, args in curseur.fetchall()
        }


@pytest.mark.postgresql
def test_chaque_table_protegee_a_son_declencheur_qui_suit_le_modele(db):
    declencheurs = {table: arguments for table, (_, arguments) in _declencheurs("annee_close").items()}
    fonctions = {table: fonction for table, (fonction, _) in _declencheurs("annee_close").items()}
    listees = _declencheurs("annees_listees_close")
    _, proteges = modeles_dates()
    for modele in proteges:
        table = modele._meta.db_table
        assert declencheurs.get(table) == arguments_du_declencheur(modele), modele
        periode = "inclusion_periode_close" if modele.champ_fin_cloture else "inclusion_annee_close"
        assert fonctions[table] == periode, modele
        if modele.champs_annees:
            assert listees.get(table) == (
                "inclusion_annees_listees_close",
                arguments_des_annees_listees(modele),
            )
        else:
            assert table not in listees, modele
    assert declencheurs["permanences_creneau"] == (
        "valide_du",
        "valide_au",
        "heure_debut,heure_fin,jour_semaine",
    )
    assert declencheurs["rapports_suividonnees"][3] == "commentaire,zeros_confirmes"
    lien = Permanence.intervenants.through._meta.db_table
    assert declencheurs[lien] == ("permanence_id", "permanences_permanence", "date", "", "annee")


@pytest.mark.postgresql
def test_la_base_refuse_le_sql_brut_sur_un_passage_d_une_annee_close(db):
    """Le déclencheur PostgreSQL : INSERT, UPDATE, DELETE écrits à la main (sans l'ORM) sont refusés."""
    construire, _, _ = CONSTRUCTEURS[Passage]
    passage = construire(CLOSE)
    passage.save()
    _clore()
    table = Passage._meta.db_table
    colonnes = ", ".join(f.column for f in Passage._meta.concrete_fields if not f.primary_key)
    ecritures = {
        "INSERT": (f"INSERT INTO {table} ({colonnes}) SELECT {colonnes} FROM {table} WHERE id = %s"),  # noqa: S608
        "UPDATE": f"UPDATE {table} SET duree_minutes = 99 WHERE id = %s",  # noqa: S608
        "DELETE": f"DELETE FROM {table} WHERE id = %s",  # noqa: S608
        "UPDATE de la date": f"UPDATE {table} SET date = '2024-01-02' WHERE id = %s",  # noqa: S608
    }
    avant = _etat(passage)
    for quoi, sql in ecritures.items():
        with pytest.raises(IntegrityError) as refus, transaction.atomic(), connection.cursor() as curseur:
            curseur.execute(sql, [passage.pk])
        assert annee_close_de(refus.value).message.startswith(MESSAGE), quoi
    assert _etat(passage) == avant and Passage.objects.count() == 1
    with connection.cursor() as curseur:  # la purge efface la note, même dans une année close
        curseur.execute(f"UPDATE {table} SET note = '', arrivee_id = NULL WHERE id = %s", [passage.pk])  # noqa: S608


@pytest.mark.postgresql
def test_le_copy_de_l_import_est_refuse_par_la_base(db):
    """Le COPY de l'import (permanences.services_en_masse) ne passe pas par l'ORM : la base le refuse seule, même
    si la vérification ligne à ligne de l'import était oubliée."""
    from permanences.services_en_masse import CHAMPS_PASSAGE, creer_passages

    permanence = _permanence(CLOSE)
    _clore()
    valeurs = {
        "permanence_id": permanence.pk,
        "type_demande": "accompagnement_technique",
        "demarche_id": None,
        "duree_minutes": 20,
        "autonomie": "autonome",
        "tranche_age": "non_communique",
        "genre": "non_communique",
        "autre_venue_necessaire": False,
        "attente_minutes": None,
        "date": permanence.date,
        "oriente_vers_id": None,
        "freins": "",
        "quartier_id": None,
    }
    with pytest.raises(Exception) as refus, transaction.atomic():
        creer_passages([tuple(valeurs[c] for c in CHAMPS_PASSAGE)])
    assert annee_close_de(refus.value).message.startswith(MESSAGE)
    assert not Passage.objects.exists()
