"""La purge quotidienne des données personnelles : ce que le Bilan n'a pas besoin de garder, au-delà du délai.

Chaque étape dit ce qu'elle efface, après quel délai (réglages INCLUSION, listés sur la page « Données
personnelles »), et efface aussi les copies du journal des modifications (django-simple-history) : une donnée
purgée n'y survit pas. Le délai court depuis la date de l'enregistrement lui-même (la date du passage, celle de
la session d'une inscription), jamais depuis le jour où une ligne du journal a été écrite : une inscription
saisie, importée ou modifiée hier pour une session d'il y a deux ans est purgée, journal compris, avec sa
session. Les chiffres du Bilan ne changent pas (aucun indicateur ne lit ces champs).
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Trunc
from django.utils import timezone

from formations.models import AccompagnementFormation, Inscription, SessionFormation
from permanences.models import Arrivee, Passage, RendezVous
from travaux.models import Traitement

from . import purge_journal


@dataclass(frozen=True)
class Etape:
    cle: str
    quoi: str  # ce qui est effacé, pour les personnes
    reglage: str  # le délai (INCLUSION), en jours (ou en heures) ; "" : dès que possible
    unite: str = "jours"

    @property
    def delai(self):
        return settings.INCLUSION[self.reglage] if self.reglage else 0

    @property
    def duree(self):
        return datetime.timedelta(**{"days" if self.unite == "jours" else "hours": self.delai})


ETAPES = [
    Etape("coordonnees", "nom et téléphone des rendez-vous", "DELAI_PURGE_COORDONNEES_JOURS"),
    Etape("notes", "notes libres des passages", "DELAI_PURGE_NOTES_PASSAGES_JOURS"),
    Etape(
        "noms_formation",
        "noms et courriels des inscriptions aux formations, noms des professionnels accompagnés",
        "DELAI_PURGE_NOMS_FORMATION_JOURS",
    ),
    Etape(
        "liens_arrivees",
        "lien entre un passage et l'arrivée pointée ; heure des arrivées arrondie à l'heure",
        "DELAI_LIEN_ARRIVEE_JOURS",
    ),
    Etape(
        "journal_connexions",
        "journal des connexions et des essais (identifiants, adresses, navigateurs)",
        "DELAI_PURGE_JOURNAL_CONNEXIONS_JOURS",
    ),
    Etape("sessions", "sessions de connexion expirées", ""),
    Etape(
        "documents",
        "fichiers téléversés pour un import, documents exportés (zip, XLSX) et suivi de ces travaux (dont les "
        "erreurs d'import, qui citent des cellules)",
        "CONSERVATION_DOCUMENTS_HEURES",
        unite="heures",
    ),
    Etape(
        "journal_administration",
        "noms cités par le journal de l'administration (texte de l'objet, objets liés du détail des modifications)",
        "DELAI_PURGE_COORDONNEES_JOURS",
    ),
    Etape(
        "resultats_travaux",
        "résultats des travaux de fond (arguments, valeur rendue, trace d'une erreur)",
        "CONSERVATION_DOCUMENTS_HEURES",
        unite="heures",
    ),
]


def _limite(etape, maintenant):
    return maintenant - etape.duree


def _existe(queryset, champ="id"):
    """La ligne du journal (ou de la table) dont `champ` désigne un enregistrement de `queryset`."""
    return Exists(queryset.filter(pk=OuterRef(champ)))


def _journal(modele, concernes, date_des_supprimes):
    """Les lignes du journal de `modele` qui appartiennent à un enregistrement purgé, quel que soit le jour où
    elles ont été écrites : celles des enregistrements `concernes` (choisis par leur propre date), et celles
    des enregistrements supprimés depuis, par la date qu'ils portaient (`date_des_supprimes`, un Q sur le
    journal)."""
    return modele.history.filter(_existe(concernes) | (~_existe(modele.objects.all()) & date_des_supprimes))


def rendez_vous_a_purger(maintenant=None):
    maintenant = maintenant or timezone.now()
    limite = _limite(ETAPES[0], maintenant).date()
    return RendezVous.objects.filter(date__lt=limite).exclude(nom_contact="", telephone_contact="")


def _coordonnees(maintenant, appliquer):
    qs = rendez_vous_a_purger(maintenant)
    if not appliquer:
        return qs.count()
    return qs.update(nom_contact="", telephone_contact="", coordonnees_effacees_le=maintenant)


def _notes(maintenant, appliquer):
    limite = _limite(ETAPES[1], maintenant).date()
    passages = Passage.objects.filter(date__lt=limite).exclude(note="")
    historique = _journal(Passage, Passage.objects.filter(date__lt=limite), Q(date__lt=limite)).exclude(
        note=""
    )
    if not appliquer:
        return passages.count()
    historique.update(note="")
    return passages.update(note="")


def _noms_formation(maintenant, appliquer):
    limite = _limite(ETAPES[2], maintenant)
    inscriptions = Inscription.objects.filter(session__date__lt=limite.date()).exclude(nom="", email="")
    accompagnements = AccompagnementFormation.objects.filter(date__lt=limite.date()).exclude(
        nom_professionnel=""
    )
    historique = _journal(
        Inscription, Inscription.objects.filter(session__date__lt=limite.date()), _session_passee(limite)
    ).exclude(nom="", email="")
    if not appliquer:
        return inscriptions.count() + accompagnements.count() + historique.count()
    return (
        inscriptions.update(nom="", email="")
        + accompagnements.update(nom_professionnel="")
        + historique.update(nom="", email="")
    )


def _session_passee(limite):
    """Q sur le journal des inscriptions : la session de l'inscription (supprimée depuis) est antérieure à
    `limite`, d'après la table des sessions ou, si la session a été supprimée aussi, d'après leur journal ; une
    session dont il ne reste aucune trace compte par la date de la ligne du journal."""
    jour, sessions = limite.date(), SessionFormation.objects.all()
    session_supprimee = ~_existe(sessions, "session_id")
    return (
        _existe(sessions.filter(date__lt=jour), "session_id")
        | (
            session_supprimee
            & Exists(SessionFormation.history.filter(id=OuterRef("session_id"), date__lt=jour))
        )
        | (
            session_supprimee
            & ~Exists(SessionFormation.history.filter(id=OuterRef("session_id")))
            & Q(history_date__lt=limite)
        )
    )


def _liens_arrivees(maintenant, appliquer):
    limite = _limite(ETAPES[3], maintenant)
    passages = Passage.objects.filter(date__lt=limite.date(), arrivee__isnull=False)
    historique = _journal(Passage, Passage.objects.filter(date__lt=limite.date()), Q(date__lt=limite.date()))
    historique = historique.filter(arrivee__isnull=False)
    arrivees = Arrivee.objects.filter(horodatage__lt=limite)
    if not appliquer:
        return passages.count()
    historique.update(arrivee=None)
    arrivees.update(
        horodatage=Trunc("horodatage", "hour"),
        enregistre_le=Trunc("enregistre_le", "hour"),
        prise_en_charge_le=Trunc("prise_en_charge_le", "hour"),
    )
    return passages.update(arrivee=None)


def _journal_connexions(maintenant, appliquer):
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    limite = _limite(ETAPES[4], maintenant)
    journaux = [
        AccessAttempt.objects.filter(attempt_time__lt=limite),
        AccessFailureLog.objects.filter(attempt_time__lt=limite),
        AccessLog.objects.filter(attempt_time__lt=limite),
    ]
    if not appliquer:
        return sum(qs.count() for qs in journaux)
    return sum(qs.delete()[0] for qs in journaux)


def _sessions(maintenant, appliquer):
    expirees = Session.objects.filter(expire_date__lt=maintenant)
    return expirees.delete()[0] if appliquer else expirees.count()


def _documents(maintenant, appliquer):
    """Chaque travail fini depuis plus que la conservation : son fichier, puis sa ligne de suivi."""
    expires = Traitement.objects.expires(maintenant)
    if not appliquer:
        return expires.count()
    n = 0
    for traitement in expires:
        if traitement.fichier:
            traitement.fichier.delete(save=False)
        traitement.delete()
        n += 1
    return n


ACTIONS = {
    "coordonnees": _coordonnees,
    "notes": _notes,
    "noms_formation": _noms_formation,
    "liens_arrivees": _liens_arrivees,
    "journal_connexions": _journal_connexions,
    "sessions": _sessions,
    "documents": _documents,
    "journal_administration": purge_journal.journal_administration,
    "resultats_travaux": purge_journal.resultats_de_travaux,
}


def purger(*, appliquer, maintenant=None):
    """{étape: nombre d'enregistrements concernés (effacés si `appliquer`)} ; tout ou rien."""
    maintenant = maintenant or timezone.now()
    with transaction.atomic():
        return {etape: ACTIONS[etape.cle](maintenant, appliquer) for etape in ETAPES}
