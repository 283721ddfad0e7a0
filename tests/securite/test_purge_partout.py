"""#28, point 3 : après le délai, la purge oublie partout : journal de l'administration (texte de l'objet et
détail des modifications), liens d'historique vers l'arrivée pointée, messages gardés en session, résultats des
travaux de fond. Et plus aucun `__str__` ne nomme une personne."""

import datetime
import json
import uuid
from io import StringIO

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from freezegun import freeze_time

from formations import services as formations
from formations.models import Inscription, SessionFormation
from inclusion.models import ContactAnnuaire
from permanences.models import Passage, RendezVous
from tests.formations.factories import AccompagnementFormationFactory, SessionFormationFactory
from tests.inclusion.factories import StructureFactory, utilisateur
from tests.permanences.factories import ArriveeFactory, PassageFactory, PermanenceFactory, RendezVousFactory
from tests.securite.test_purge import _partout

NOM, COURRIEL = "Zoé Pimprenelle", "zoe.pimprenelle@exemple.org"


def _colonnes_non_nulles(nom_de_colonne):
    """Les tables dont la colonne `nom_de_colonne` a au moins une valeur (journal des modifications compris)."""
    trouve = []
    with connection.cursor() as curseur:
        for table in connection.introspection.table_names():
            colonnes = {c.name for c in connection.introspection.get_table_description(curseur, table)}
            if nom_de_colonne in colonnes:
                q = connection.ops.quote_name
                curseur.execute(f"SELECT COUNT(*) FROM {q(table)} WHERE {q(nom_de_colonne)} IS NOT NULL")  # noqa: S608
                if curseur.fetchone()[0]:
                    trouve.append(table)
    return trouve


@pytest.mark.django_db
def test_apres_le_delai_ni_nom_ni_courriel_ni_lien_nulle_part_journal_de_l_administration_compris():
    coordination = utilisateur("coordination", username="coord_purge", is_staff=True)
    structure = StructureFactory()
    with freeze_time("2023-03-01 10:00:00+01:00"):
        session = SessionFormationFactory(date=datetime.date(2023, 3, 1))
        inscription = formations.inscrire(session=session, structure=structure, nom=NOM, email=COURRIEL)
        # Ce que le journal de l'administration avait gardé avant (Inscription.__str__ portait le nom) : une
        # inscription ajoutée, et une session changée avec une inscription ajoutée en ligne liée.
        for modele, pk, texte, message in [
            (Inscription, inscription.pk, f"{NOM} – {session}", "[]"),
            (
                SessionFormation,
                session.pk,
                str(session),
                json.dumps([{"added": {"name": "inscription", "object": f"{NOM} – {session}"}}]),
            ),
        ]:
            LogEntry.objects.create(
                user=coordination,
                content_type=ContentType.objects.get_for_model(modele),
                object_id=str(pk),
                object_repr=texte,
                action_flag=ADDITION if modele is Inscription else CHANGE,
                change_message=message,
            )
        # Un passage lié à l'arrivée pointée, changé ensuite : le lien est aussi dans son historique.
        permanence = PermanenceFactory(date=datetime.date(2023, 3, 1))
        arrivee = ArriveeFactory(
            permanence=permanence, horodatage=timezone.now() - datetime.timedelta(minutes=9)
        )
        passage = PassageFactory(permanence=permanence, arrivee=arrivee, attente_minutes=9)
        passage.duree_minutes = 25
        passage.save()
        # Un résultat de travail de fond dont la trace cite une cellule importée.
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.create(
            id=uuid.uuid4(),
            status="FAILED",
            args_kwargs={"args": [1], "kwargs": {}},
            task_path="rapports.traitements.taches.executer_traitement",
            queue_name="default",
            backend_name="default",
            finished_at=timezone.now(),
            traceback=f"ValueError: ligne 3 : « {NOM} » n'est pas une date",
        )
    with freeze_time("2023-03-01 11:00:00+01:00"):  # un message qui cite la personne, gardé en session
        stockage = SessionStore()
        stockage["_messages"] = json.dumps([[Message(constants.SUCCESS, f"{NOM} inscrite.").message]])
        stockage.set_expiry(9 * 3600)
        stockage.create()
    assert _partout("Pimprenelle") and _colonnes_non_nulles("arrivee_id")  # le test sait les trouver
    assert ("django_admin_log", "object_repr") in _partout("Pimprenelle")
    with freeze_time("2024-06-01 03:00:00+02:00"):
        sortie = StringIO()
        call_command("purger_donnees_personnelles", "--appliquer", stdout=sortie)
    assert _partout("Pimprenelle") == [] and _partout("pimprenelle@") == []
    assert _colonnes_non_nulles("arrivee_id") == []  # ni le passage ni son historique
    assert Passage.objects.get().attente_minutes == 9
    ligne = LogEntry.objects.get(content_type__model="inscription")
    assert ligne.object_repr == f"inscription n° {inscription.pk}" and ligne.user == coordination
    detail = json.loads(LogEntry.objects.get(content_type__model="sessionformation").change_message)
    assert detail == [{"added": {"name": "inscription", "object": "inscription (texte effacé)"}}]
    assert "journal de l'administration" in sortie.getvalue()
    assert "résultats des travaux de fond" in sortie.getvalue()


def test_aucun_str_ne_nomme_une_personne(db):
    """Le journal de l'administration recopie `__str__` : aucun ne porte le nom, le courriel ou le téléphone."""
    structure = StructureFactory()
    objets = [
        Inscription.objects.create(
            session=SessionFormationFactory(), structure=structure, nom=NOM, email=COURRIEL
        ),
        Inscription.objects.create(session=SessionFormationFactory(), structure=structure, email=COURRIEL),
        ContactAnnuaire.objects.create(structure=structure, nom=NOM, email=COURRIEL, telephone="0611223344"),
        RendezVousFactory(nom_contact=NOM, telephone_contact="0611223344"),
        AccompagnementFormationFactory(nom_professionnel=NOM),
        PassageFactory(note=f"Rappeler {NOM}"),
    ]
    for objet in objets:
        texte = str(objet)
        assert "Pimprenelle" not in texte and "pimprenelle" not in texte and "0611223344" not in texte, texte
    assert isinstance(RendezVous.objects.first(), RendezVous)
