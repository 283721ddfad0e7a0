"""L'empreinte des données d'un Bilan : elle change dès que change l'une des choses que le Bilan lit.

- Les grandes familles (passages, refus, arrivées, rendez-vous) des deux années comparées : leur nombre et leur
  dernière modification (inclusion.modifications tient `modifie_le` sur tous les chemins d'écriture), lus par
  l'index (date, modifie_le) sans parcourir les lignes.
- Le reste, petit, est lu en entier : permanences, créneaux, sessions, inscriptions et accompagnements des deux
  années ; lieux, équipe et temps de travail, démarches, quartiers, thèmes, structures, annuaire ; chiffres
  déclarés, analyse, suivi des données, identité et logos, clôtures et publications ; les réglages qui entrent
  dans les calculs ; la date du jour pour l'année en cours (« au 29 novembre ») ; la version du gabarit.

Deux états différents des données donnent deux empreintes différentes (tests/travaux/test_traitements.py les
essaie famille par famille) ; le même état redonne la même.
"""

import datetime
import hashlib
import json

from django.apps import apps
from django.conf import settings
from django.db.models import Count, Max
from django.utils import timezone

from formations.models import AccompagnementFormation, Inscription, SessionFormation
from permanences.models import Arrivee, Passage, Permanence, Refus, RendezVous

# À relever quand le gabarit ou le calcul du Bilan change : les rendus stockés sont alors refaits.
VERSION_DES_RENDUS = 1


def _grandes_familles(debut, fin):
    resume = Count("pk"), Max("modifie_le")
    return [
        Passage.objects.filter(date__gte=debut, date__lt=fin).aggregate(n=resume[0], m=resume[1]),
        Refus.objects.filter(date__gte=debut, date__lt=fin).aggregate(n=resume[0], m=resume[1]),
        Arrivee.objects.filter(permanence__date__gte=debut, permanence__date__lt=fin).aggregate(
            n=resume[0], m=resume[1]
        ),
        RendezVous.objects.filter(date__gte=debut, date__lt=fin).aggregate(n=resume[0], m=resume[1]),
    ]


# Les petites tables lues en entier (référentiels, équipe, annuaire, réglages de la coordination).
ENTIERES = (
    "permanences.Creneau",
    "formations.Theme",
    "inclusion.ClotureAnnee",
    "inclusion.ContactAnnuaire",
    "inclusion.Demarche",
    "inclusion.IdentiteDispositif",
    "inclusion.Intervenant",
    "inclusion.Lieu",
    "inclusion.LogoPartenaire",
    "inclusion.Quartier",
    "inclusion.Structure",
    "inclusion.TempsDeTravail",
    "rapports.ChiffreExterne",
    "rapports.PointAnalyse",
    "rapports.SuiviDonnees",
    "rapports.PublicationBilan",
)


def _petites_familles(debut, fin):
    datees = [
        Permanence.objects.filter(date__gte=debut, date__lt=fin),
        SessionFormation.objects.filter(date__gte=debut, date__lt=fin),
        Inscription.objects.filter(session__date__gte=debut, session__date__lt=fin),
        AccompagnementFormation.objects.filter(date__gte=debut, date__lt=fin),
        Permanence.intervenants.through.objects.filter(permanence__date__gte=debut, permanence__date__lt=fin),
    ]
    entieres = [apps.get_model(label).objects.all() for label in ENTIERES]
    # Les tables de liaison (équipe d'un lieu, médiateurs habituels d'un créneau, lieux servis d'un contact…).
    liaisons = [
        champ.remote_field.through.objects.all()
        for qs in entieres
        for champ in qs.model._meta.local_many_to_many
    ]
    for qs in [*datees, *entieres, *liaisons]:
        champs = [f.attname for f in qs.model._meta.concrete_fields if f.attname not in ("pdf", "json")]
        yield qs.model._meta.label, list(qs.order_by("pk").values_list(*champs))


def empreinte_des_donnees(annee):
    """SHA-256 de tout ce que lit le Bilan de `annee` (et de l'année d'avant, à laquelle il se compare)."""
    debut, fin = datetime.date(annee - 1, 1, 1), datetime.date(annee + 1, 1, 1)
    h = hashlib.sha256()
    aujourdhui = timezone.localdate()
    entete = {
        "version": VERSION_DES_RENDUS,
        "annee": annee,
        "reglages": settings.INCLUSION,
        "jour": aujourdhui.isoformat() if annee >= aujourdhui.year else "",
        "grandes": _grandes_familles(debut, fin),
    }
    h.update(json.dumps(entete, default=str, sort_keys=True).encode())
    for nom, lignes in _petites_familles(debut, fin):
        h.update(nom.encode())
        h.update(repr(lignes).encode())
    return h.hexdigest()
