"""#33, point 1 : la purge choisit par la date de l'enregistrement lui-même, journal des modifications compris.

Une ligne du journal d'une inscription part avec sa session, quel que soit le jour où elle a été écrite : saisie,
modification tardive, désinscription, session supprimée, import, données de démonstration.
"""

import datetime
from io import StringIO

from django.core.management import call_command
from django.utils import timezone
from freezegun import freeze_time

from echanges.importeur import importer
from echanges.sources import SourceFichiers
from formations import services as formations
from formations.models import Inscription, SessionFormation
from permanences.models import Passage
from tests.demonstration import charger_la_demo
from tests.echanges.test_echanges import FICHIERS, ecrire
from tests.formations.factories import SessionFormationFactory
from tests.inclusion.factories import StructureFactory
from tests.permanences.factories import PassageFactory, PermanenceFactory
from tests.securite.test_purge import _partout


def _purger():
    call_command("purger_donnees_personnelles", "--appliquer", stdout=StringIO())


def _noms_restants(limite):
    """Les lignes (table ou journal) d'une inscription d'une session antérieure à `limite` qui portent encore
    un nom ou un courriel."""
    passees = SessionFormation.objects.filter(date__lt=limite).values("pk")
    actuelles = Inscription.objects.filter(session__date__lt=limite).exclude(nom="", email="").count()
    journal = Inscription.history.filter(session_id__in=passees).exclude(nom="", email="").count()
    return actuelles, journal


def test_une_modification_tardive_ne_repousse_pas_la_purge(db):
    structure = StructureFactory()
    with freeze_time("2023-02-20 10:00:00+01:00"):
        session = SessionFormationFactory(date=datetime.date(2023, 3, 1))
        gardee = formations.inscrire(
            session=session, structure=structure, nom="Yvonne Tardive", email="yt@a.fr"
        )
        partie = formations.inscrire(
            session=session, structure=structure, nom="Yann Partoulet", email="yp@a.fr"
        )
        autre = SessionFormationFactory(date=datetime.date(2023, 3, 8))
        formations.inscrire(session=autre, structure=structure, nom="Yseult Supprimee", email="ys@a.fr")
    with freeze_time("2024-05-20 10:00:00+02:00"):  # un an plus tard, moins d'un an avant la purge
        gardee.nom = "Yvonne Tardive (corrigé)"
        gardee.save()
        formations.desinscrire(partie)  # ne reste qu'au journal, avec une ligne écrite ce jour
        autre.inscriptions.all().delete()
        autre.delete()  # la session elle-même n'est plus qu'au journal
    assert _partout("Tardive") and _partout("Partoulet") and _partout("Supprimee")
    with freeze_time("2024-06-01 03:00:00+02:00"):
        _purger()
    assert _partout("Tardive") == [] and _partout("Partoulet") == [] and _partout("Supprimee") == []
    assert _partout("yt@a.fr") == [] and _partout("yp@a.fr") == [] and _partout("ys@a.fr") == []


def test_une_session_recente_garde_ses_noms_meme_au_journal_ancien(db):
    """L'inverse : une inscription écrite il y a plus d'un an pour une session de moins d'un an reste."""
    with freeze_time("2023-05-01 10:00:00+02:00"):
        session = SessionFormationFactory(date=datetime.date(2023, 9, 1))
        formations.inscrire(
            session=session, structure=StructureFactory(), nom="Zacharie Patient", email="zp@a.fr"
        )
    with freeze_time("2024-06-01 03:00:00+02:00"):
        _purger()
    assert Inscription.history.filter(nom="Zacharie Patient").count() == 1


def test_la_note_d_un_passage_suit_la_date_du_passage(db):
    with freeze_time("2024-01-10 10:00:00+01:00"):
        passage = PassageFactory(
            permanence=PermanenceFactory(date=datetime.date(2024, 1, 10)), note="Appeler M. Xu"
        )
    with freeze_time("2024-05-30 10:00:00+02:00"):  # note reprise tard : le journal a une ligne du jour
        passage.note = "Appeler M. Xu lundi"
        passage.save()
        supprime = PassageFactory(
            permanence=PermanenceFactory(date=datetime.date(2024, 1, 12)), note="Mme Xu"
        )
        supprime.delete()
        # Une permanence saisie au mauvais jour puis ramenée en janvier : ses passages la suivent (update), leur
        # journal garde le jour d'avant.
        deplacee = PermanenceFactory(date=datetime.date(2024, 5, 29))
        PassageFactory(permanence=deplacee, note="Rappeler Mme Xu")
        deplacee.date = datetime.date(2024, 1, 15)
        deplacee.save()
    with freeze_time("2024-06-01 03:00:00+02:00"):
        _purger()
    assert _partout("Xu") == []
    assert Passage.history.exclude(note="").count() == 0


def test_inscriptions_importees_purgees_avec_leur_session(db, tmp_path):
    with freeze_time("2024-05-20 10:00:00+02:00"):  # import tardif d'une session de mai 2023
        importer(SourceFichiers.dossier(ecrire(tmp_path, FICHIERS)))
    assert Inscription.history.filter(nom="Awa Diallo").exists()
    with freeze_time("2024-06-01 03:00:00+02:00"):
        _purger()
    assert _noms_restants(datetime.date(2023, 6, 2)) == (0, 0)
    assert _partout("Diallo") == [] and _partout("awa@cdas.fr") == [] and _partout("Léo Martin") == []


def test_purge_des_donnees_de_demonstration(db):
    """Le jeu de la démo (2022-2023) est écrit aujourd'hui : son journal aussi. Tout part pourtant."""
    charger_la_demo(historique_seul=True)
    limite = timezone.localdate() - datetime.timedelta(days=365)
    assert _noms_restants(limite)[1] > 400  # le test voit ce qu'il cherche
    nom, email = Inscription.objects.values_list("nom", "email").first()
    _purger()
    assert _noms_restants(limite) == (0, 0)
    assert _partout(nom) == [] and _partout(email) == [] and _partout("Professionnel·le") == []
