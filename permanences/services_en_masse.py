"""Écritures en masse de l'import : les tables des services unitaires, par lots, et leur journal.

Chaque enregistrement importé entre au journal des modifications (auteur de l'import, raison « import »),
comme un enregistrement saisi. L'appelant a vérifié chaque ligne (références, listes de codes, années closes).
"""

from django.db import connection
from django.db.models import Max
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from inclusion.journal import RAISON_IMPORT, journaliser_par_sql

from .models import Arrivee, Passage, Permanence, Refus, RendezVous

# Les champs d'un passage importé, dans l'ordre où l'import les donne (et où COPY les écrit).
CHAMPS_PASSAGE = (
    "permanence_id",
    "type_demande",
    "demarche_id",
    "duree_minutes",
    "autonomie",
    "tranche_age",
    "genre",
    "autre_venue_necessaire",
    "attente_minutes",
    "date",
    "oriente_vers_id",
    "freins",
    "quartier_id",
)


def creer_permanences(nouvelles):
    """Crée les permanences [(Permanence non enregistrée, identifiants des médiateurs)] ; renvoie les
    permanences créées, avec leur identifiant."""
    creees = Permanence.objects.bulk_create([p for p, _ in nouvelles], batch_size=2000)
    Lien = Permanence.intervenants.through
    liens = []
    for (_, mediateurs), creee in zip(nouvelles, creees, strict=True):
        if creee.pk is None:  # SQLite ancien : relire l'identifiant
            creee.pk = Permanence.objects.get(
                lieu_id=creee.lieu_id, date=creee.date, heure_debut=creee.heure_debut
            ).pk
        liens += [Lien(permanence_id=creee.pk, intervenant_id=m) for m in set(mediateurs)]
    Lien.objects.bulk_create(liens, batch_size=5000)
    return creees


def creer_passages(lignes, *, auteur=None):
    """Crée les passages (tuples dans l'ordre de CHAMPS_PASSAGE) avec leur entrée au journal.

    PostgreSQL : COPY, puis le journal en une instruction (les lignes de ce lot : identifiant au-delà du plus
    grand d'avant et heure de création du lot). Ailleurs : bulk_create, qui rend les identifiants.
    """
    if connection.vendor != "postgresql":
        passages = [
            Passage(**dict(zip(CHAMPS_PASSAGE, ligne, strict=True)), cree_par=auteur) for ligne in lignes
        ]
        bulk_create_with_history(
            passages, Passage, batch_size=1000, default_user=auteur, default_change_reason=RAISON_IMPORT
        )
        return
    maintenant = timezone.now()
    avant = Passage.objects.aggregate(n=Max("pk"))["n"] or 0
    colonnes = ", ".join((*CHAMPS_PASSAGE, "note", "cree_le", "modifie_le", "cree_par_id"))
    auteur_id = getattr(auteur, "pk", None)
    with (
        connection.connection.cursor() as curseur,
        curseur.copy(
            f"COPY {Passage._meta.db_table} ({colonnes}) FROM STDIN"  # noqa: S608 - table et colonnes du modèle
        ) as copie,
    ):
        for ligne in lignes:
            copie.write_row((*ligne, "", maintenant, maintenant, auteur_id))
    journaliser_par_sql(Passage, ou="id > %s AND cree_le = %s", parametres=[avant, maintenant], auteur=auteur)


def enregistrer_passages(passages, *, auteur=None, raison=RAISON_IMPORT):
    """Crée des passages (objets Passage) avec leur journal, sur toutes les bases (la démonstration)."""
    bulk_create_with_history(
        passages, Passage, batch_size=2000, default_user=auteur, default_change_reason=raison
    )


def creer_refus(refus, *, auteur=None, raison=RAISON_IMPORT):
    bulk_create_with_history(refus, Refus, batch_size=2000, default_user=auteur, default_change_reason=raison)


def creer_arrivees(arrivees):
    """Les arrivées n'ont pas de journal séparé (voir Arrivee) : la ligne garde quand elle a été enregistrée."""
    Arrivee.objects.bulk_create(arrivees, batch_size=2000)


def creer_rendez_vous(rendez_vous, *, auteur=None, raison=RAISON_IMPORT):
    bulk_create_with_history(
        rendez_vous, RendezVous, batch_size=2000, default_user=auteur, default_change_reason=raison
    )


def completer(modele, objets, champs, *, raison, auteur=None):
    """Modifie `champs` d'objets déjà enregistrés, par lots, avec leur entrée au journal (et, pour les familles
    qui la tiennent, leur date de modification)."""
    if any(f.name == "modifie_le" for f in modele._meta.concrete_fields):
        maintenant = timezone.now()
        for objet in objets:
            objet.modifie_le = maintenant
        champs = [*champs, "modifie_le"]
    bulk_update_with_history(
        objets, modele, champs, batch_size=2000, default_user=auteur, default_change_reason=raison
    )
