"""#19, point 13 : la purge oublie tout ce qu'elle doit, journal des modifications compris."""

import datetime
from io import StringIO

from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from freezegun import freeze_time

from formations import services as formations
from formations.models import AccompagnementFormation
from permanences.models import Arrivee, Passage
from rapports.bilan import bilan_json
from tests.formations.factories import SessionFormationFactory
from tests.inclusion.factories import StructureFactory, utilisateur
from tests.permanences.factories import ArriveeFactory, PassageFactory, PermanenceFactory

NOM, COURRIEL, NOTE, SUPPORT = (
    "Zélie Quenouille",
    "zelie.quenouille@exemple.org",
    "Rappeler Mme Quenouille",
    "Quenouille",
)


def _partout(texte):
    """Les (table, colonne) de toute la base, journal compris, dont une valeur contient ce texte."""
    trouve = []
    with connection.cursor() as curseur:
        for table in connection.introspection.table_names():
            for colonne in connection.introspection.get_table_description(curseur, table):
                nom = connection.ops.quote_name(colonne.name)
                try:
                    curseur.execute(
                        f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)} WHERE CAST({nom} AS TEXT) LIKE %s",  # noqa: S608
                        [f"%{texte}%"],
                    )
                except Exception:  # noqa: BLE001 - colonne sans conversion en texte : rien à y chercher
                    continue
                if curseur.fetchone()[0]:
                    trouve.append((table, colonne.name))
    return trouve


def test_apres_le_delai_plus_rien_ne_nomme_la_personne_nulle_part(db):
    structure = StructureFactory()
    with freeze_time("2023-03-01 10:00:00+01:00"):
        session = SessionFormationFactory(date=datetime.date(2023, 3, 1))
        inscription = formations.inscrire(session=session, structure=structure, nom=NOM, email=COURRIEL)
        inscription.nom = NOM + " "  # une modification : deux lignes au journal
        inscription.save()
        autre = formations.inscrire(
            session=session, structure=structure, nom=NOM + " bis", email="zq@quenouille.org"
        )
        formations.desinscrire(autre)  # supprimée : ne reste qu'au journal
        AccompagnementFormation.objects.create(
            date=datetime.date(2023, 3, 1), duree_minutes=30, structure=structure, nom_professionnel=SUPPORT
        )
        permanence = PermanenceFactory(date=datetime.date(2023, 3, 1))
        arrivee = ArriveeFactory(
            permanence=permanence, horodatage=timezone.now() - datetime.timedelta(minutes=17)
        )
        passage = PassageFactory(permanence=permanence, note=NOTE, arrivee=arrivee, attente_minutes=17)
        passage.save()
    assert _partout("Quenouille") and _partout("zelie.quenouille")  # le test sait les trouver
    from axes.models import AccessAttempt

    with freeze_time("2024-04-01 03:00:00+02:00"):  # journal des connexions vieux de deux mois
        AccessAttempt.objects.create(
            username="zelie.quenouille",
            ip_address="203.0.113.9",
            user_agent="Navigateur",
            failures_since_start=1,
        )
    with freeze_time("2024-06-01 03:00:00+02:00"):
        utilisateur("accueil", username="agent_purge")
        Session.objects.create(
            session_key="x" * 32, session_data="", expire_date=timezone.now() - datetime.timedelta(days=1)
        )
        avant = bilan_json(2023)
        sortie = StringIO()
        call_command("purger_donnees_personnelles", "--appliquer", stdout=sortie)
        apres = bilan_json(2023)
    assert (
        _partout("Quenouille") == []
        and _partout("zelie.quenouille") == []
        and _partout("ZELIE.QUENOUILLE") == []
    )
    assert avant == apres  # le Bilan n'avait pas besoin de ces données
    passage.refresh_from_db()
    assert passage.arrivee_id is None and passage.attente_minutes == 17
    assert Arrivee.objects.get().horodatage.minute == 0
    assert not Session.objects.filter(session_key="x" * 32).exists()
    texte = sortie.getvalue()
    for ligne in (
        "noms et courriels des inscriptions",
        "notes libres des passages",
        "journal des connexions",
    ):
        assert ligne in texte, texte


def test_avant_le_delai_rien_n_est_efface(db):
    with freeze_time("2024-05-30 10:00:00+02:00"):
        session = SessionFormationFactory(date=datetime.date(2024, 5, 30))
        formations.inscrire(session=session, structure=StructureFactory(), nom=NOM, email=COURRIEL)
        PassageFactory(permanence=PermanenceFactory(date=datetime.date(2024, 5, 30)), note=NOTE)
    with freeze_time("2024-06-01 03:00:00+02:00"):
        call_command("purger_donnees_personnelles", "--appliquer", stdout=StringIO())
    assert Passage.objects.get().note == NOTE
    assert _partout("Quenouille")


def test_la_page_donnees_personnelles_liste_chaque_delai(client, db, settings):
    import html

    from django.urls import reverse

    settings.INCLUSION = {**settings.INCLUSION, "DELAI_PURGE_NOTES_PASSAGES_JOURS": 47}
    page = html.unescape(client.get(reverse("donnees_personnelles")).content.decode())
    assert "Notes libres des passages</td><td>47 jours après" in page
    assert "Noms et courriels des inscriptions aux formations" in page and "365 jours après" in page
    assert "pseudonymes" in page and "L'ANCT" in page and "ni freins, ni quartier, ni texte libre" in page
