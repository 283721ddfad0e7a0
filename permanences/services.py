"""Écritures des permanences : créneaux du planning, permanences du jour, pointages idempotents, file d'attente,
passages, annulations et rendez-vous ; appelées par les vues (l'import et la démo écrivent les lignes en nombre
par services_en_masse, et les créneaux par creer_creneau)."""

import datetime
import uuid as uuid_lib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from inclusion.annees_closes import AnneeClose, annees_closes
from inclusion.delais import message_hors_delai, plus_ancien_pointage_admis
from inclusion.enums import Role
from inclusion.forms import entier_ou_rien
from inclusion.models import ClotureAnnee, Intervenant, Lieu, Structure
from inclusion.roles import intervenant_de, roles_de

from .acces import peut_modifier_rendez_vous
from .enums import Genre, MotifRefus, TrancheAge
from .models import Arrivee, Creneau, LieuHabituel, Permanence, Refus

TYPES_POINTAGE = {"arrivee": Arrivee, "refus": Refus}
# Décalage toléré entre l'horloge d'une tablette et celle du serveur.
TOLERANCE_HORLOGE = datetime.timedelta(minutes=5)


def creer_creneau(*, lieu, jour_semaine, heure_debut, heure_fin, valide_du, valide_au=None, intervenants=()):
    """Un créneau du planning et ses médiateurs habituels (l'import et la démonstration passent par ici). La base
    refuse une fin avant le début, une validité à l'envers et un créneau dans une année close."""
    cle = "lieu_id" if isinstance(lieu, int) else "lieu"
    creneau = Creneau.objects.create(
        **{cle: lieu},
        jour_semaine=jour_semaine,
        heure_debut=heure_debut,
        heure_fin=heure_fin,
        valide_du=valide_du,
        valide_au=valide_au,
    )
    if intervenants:
        creneau.intervenants.set(intervenants)
    return creneau


class PointageInvalide(Exception):
    """Pointage refusé : le message, en français, est montré à l'agent."""


def creer_permanences_du_jour(jour, lieux=None):
    """Crée (une seule fois) les permanences d'un jour à partir des créneaux en vigueur.

    Idempotent : une permanence existante (même lieu, date, heure de début) n'est ni dupliquée ni modifiée,
    y compris si elle a été annulée ou déplacée à la main. Nombre de requêtes constant.
    """
    creneaux = Creneau.objects.du_jour(jour).prefetch_related("intervenants")
    if lieux is not None:
        creneaux = creneaux.filter(lieu__in=lieux)
    creneaux = list(creneaux)
    if not creneaux:
        return []
    existantes = set(
        Permanence.objects.filter(date=jour, lieu__in={c.lieu_id for c in creneaux}).values_list(
            "lieu_id", "heure_debut"
        )
    )
    nouvelles = [c for c in creneaux if (c.lieu_id, c.heure_debut) not in existantes]
    if not nouvelles or jour.year in annees_closes():  # une année close ne reçoit plus de permanence
        return []
    with transaction.atomic():
        Permanence.objects.bulk_create(
            [
                Permanence(
                    date=jour, lieu_id=c.lieu_id, heure_debut=c.heure_debut, heure_fin=c.heure_fin, creneau=c
                )
                for c in nouvelles
            ],
            ignore_conflicts=True,
        )
        creees = {
            (p.lieu_id, p.heure_debut): p for p in Permanence.objects.filter(date=jour, creneau__in=nouvelles)
        }
        Lien = Permanence.intervenants.through
        Lien.objects.bulk_create(
            [
                Lien(permanence_id=creees[(c.lieu_id, c.heure_debut)].pk, intervenant_id=i.pk)
                for c in nouvelles
                if (c.lieu_id, c.heure_debut) in creees
                for i in c.intervenants.all()
            ],
            ignore_conflicts=True,
        )
    return list(creees.values())


@dataclass
class ResultatPointage:
    pointage: Arrivee | Refus
    cree: bool


# La règle d'accès (Lieu.objects.accessibles_a) réécrite en SQL pour le pointage, chemin chaud de l'application :
# un lieu actif auquel l'intervenant actif du compte est affecté, ou tout lieu actif pour la coordination.
# Écrite une fois ici, avec ses paramètres nommés (_parametres_du_droit) ; lue par les deux requêtes du pointage.
# tests/permanences/test_regle_d_acces.py vérifie qu'elle s'accorde avec le QuerySet.
_DROIT_SUR_LE_LIEU = f"""l.actif AND (%(coordination)s OR EXISTS (
    SELECT 1 FROM {Intervenant.lieux.through._meta.db_table} il
    JOIN {Intervenant._meta.db_table} i ON i.id = il.intervenant_id
    WHERE il.lieu_id = p.lieu_id AND i.user_id = %(user_id)s AND i.actif))"""  # noqa: S608 - noms de tables tirés des modèles


def _parametres_du_droit(user):
    return {"coordination": Role.COORDINATION in roles_de(user), "user_id": user.pk}


def _verifier_permanence(user, permanence_id, horodatage):
    """Vérifie la permanence (existe, non annulée, du jour du pointage) et le droit de l'agent sur son lieu.

    Une seule requête SQL écrite à la main ; lève PointageInvalide avec la raison, en français.
    Renvoie l'identifiant et la date de la permanence.
    """
    with connection.cursor() as curseur:
        curseur.execute(
            f"""SELECT p.date, p.annulee, {_DROIT_SUR_LE_LIEU}
                FROM {Permanence._meta.db_table} p JOIN {Lieu._meta.db_table} l ON l.id = p.lieu_id
                WHERE p.id = %(permanence)s""",  # noqa: S608 - noms de tables tirés des modèles, valeurs en paramètres
            {**_parametres_du_droit(user), "permanence": permanence_id},
        )
        ligne = curseur.fetchone()
    if ligne is None:
        raise PointageInvalide("Permanence inconnue.")
    date, annulee, autorisee = ligne
    if isinstance(date, str):  # SQLite
        date = datetime.date.fromisoformat(date)
    if not autorisee:
        raise PointageInvalide("Permanence inconnue.")  # même réponse qu'inconnue : rien n'est révélé
    if annulee:
        raise PointageInvalide("Cette permanence est annulée : aucun pointage n'est possible.")
    if timezone.localtime(horodatage).date() != date:
        raise PointageInvalide("Le pointage ne correspond pas au jour de la permanence.")
    return permanence_id, date


def _inserer_arrivee(arrivee, *, user):
    """Chemin chaud de l'application : enregistre une arrivée valide en une seule instruction SQL, sans
    transaction explicite (une instruction est atomique). Vrai si elle est enregistrée (`arrivee.pk` rempli).

    L'instruction vérifie ce que vérifie `_verifier_permanence` (permanence non annulée, du jour du pointage,
    droit de l'agent sur le lieu), que l'année n'est pas close (inclusion.cloture) et que l'UUID n'est pas
    déjà celui d'un refus ; elle n'insère rien si une
    condition manque ou si l'UUID existe déjà (ON CONFLICT DO NOTHING). Faux dans ces cas : l'appelant
    reprend alors le chemin général, qui dit pourquoi.
    """
    champs = [
        Arrivee._meta.get_field(nom)
        for nom in ("uuid", "horodatage", "enregistre_le", "modifie_le", "agent", "tranche_age", "genre")
    ]
    arrivee.modifie_le = arrivee.enregistre_le
    valeurs = {
        champ.column: champ.get_db_prep_value(getattr(arrivee, champ.attname), connection) for champ in champs
    }
    jour = timezone.localtime(arrivee.horodatage).date()
    with connection.cursor() as curseur:
        curseur.execute(
            f"""INSERT INTO {Arrivee._meta.db_table} (permanence_id, {", ".join(valeurs)})
                SELECT p.id, {", ".join(f"%({colonne})s" for colonne in valeurs)}
                FROM {Permanence._meta.db_table} p JOIN {Lieu._meta.db_table} l ON l.id = p.lieu_id
                WHERE p.id = %(permanence)s AND p.date = %(jour)s AND NOT p.annulee AND {_DROIT_SUR_LE_LIEU}
                  AND NOT EXISTS (SELECT 1 FROM {Refus._meta.db_table} r WHERE r.uuid = %(uuid)s)
                  AND NOT EXISTS (SELECT 1 FROM {ClotureAnnee._meta.db_table} c WHERE c.annee = %(annee)s AND c.close)
                ON CONFLICT (uuid) DO NOTHING
                RETURNING id""",  # noqa: S608 - noms de tables tirés des modèles, valeurs en paramètres
            {
                **valeurs,
                **_parametres_du_droit(user),
                "permanence": arrivee.permanence_id,
                "jour": Permanence._meta.get_field("date").get_db_prep_value(jour, connection),
                "annee": jour.year,
            },
        )
        ligne = curseur.fetchone()
    if ligne is None:
        return False
    arrivee.pk = ligne[0]
    return True


def enregistrer_pointage(
    *,
    user,
    uuid,
    type_pointage,
    permanence_id,
    horodatage,
    motif="",
    tranche_age="",
    genre="",
    oriente_vers=None,
):
    """Enregistre un pointage d'accueil de façon idempotente.

    Le même UUID rejoué (nouvelle tentative réseau, double clic) est acquitté sans second enregistrement.
    Une arrivée valide passe par `_inserer_arrivee` (une instruction SQL) ; tout le reste (refus, rejeu,
    erreur) par le chemin général ci-dessous, qui vérifie dans le même ordre et dit pourquoi il refuse.
    """
    modele = TYPES_POINTAGE.get(type_pointage)
    if modele is None:
        raise PointageInvalide("Type de pointage inconnu : « arrivee » ou « refus » attendu.")
    try:
        uuid = uuid_lib.UUID(str(uuid))
    except ValueError:
        raise PointageInvalide("Identifiant de pointage invalide.") from None
    if horodatage is None:
        raise PointageInvalide("Heure du pointage manquante ou invalide.")
    if timezone.is_naive(horodatage):
        horodatage = timezone.make_aware(horodatage)
    try:
        permanence_id = int(permanence_id)
    except (TypeError, ValueError):
        raise PointageInvalide("Permanence inconnue.") from None
    if not 0 < permanence_id < 2**63:
        raise PointageInvalide("Permanence inconnue.")
    if modele is Arrivee:
        if tranche_age and tranche_age not in TrancheAge.values:
            raise PointageInvalide("Tranche d'âge inconnue.")
        if genre and genre not in Genre.values:
            raise PointageInvalide("Genre inconnu.")
        tranche_age, genre = tranche_age or "", genre or ""
    elif motif and motif not in MotifRefus.values:
        raise PointageInvalide("Motif de refus inconnu.")

    if horodatage < plus_ancien_pointage_admis():
        heures = settings.INCLUSION["TOLERANCE_POINTAGE_HEURES"]
        raise PointageInvalide(
            f"Pointage de plus de {heures} heures : il ne peut plus être enregistré (voyez la coordination)."
        )
    dans_le_futur = horodatage > timezone.now() + TOLERANCE_HORLOGE
    if modele is Arrivee and not dans_le_futur:
        arrivee = Arrivee(
            uuid=uuid,
            permanence_id=permanence_id,
            horodatage=horodatage,
            enregistre_le=timezone.now(),
            agent=user,
            tranche_age=tranche_age,
            genre=genre,
        )
        if _inserer_arrivee(arrivee, user=user):
            return ResultatPointage(arrivee, cree=True)

    existant = _pointage_existant(uuid)
    if existant is not None:
        return _acquitter(existant, modele, permanence_id, user)
    if dans_le_futur:
        raise PointageInvalide("L'heure du pointage est dans le futur : vérifiez l'horloge de la tablette.")
    permanence_id, date = _verifier_permanence(user, permanence_id, horodatage)
    champs = {"uuid": uuid, "permanence_id": permanence_id, "horodatage": horodatage, "agent": user}
    if modele is Refus:
        champs["motif"] = motif or ""
        champs["date"] = date
        if oriente_vers not in (None, ""):
            structure = entier_ou_rien(oriente_vers)
            if structure is None or not Structure.objects.actifs().filter(pk=structure).exists():
                raise PointageInvalide("Structure d'orientation inconnue.")
            champs["oriente_vers_id"] = structure
    else:
        champs.update(tranche_age=tranche_age, genre=genre)
    try:
        with transaction.atomic():
            pointage = modele.objects.create(**champs)
    except AnneeClose as erreur:
        raise PointageInvalide(erreur.message) from None
    except IntegrityError:
        # Deux envois simultanés du même pointage : le premier a gagné.
        existant = _pointage_existant(uuid)
        if existant is None:
            raise
        return _acquitter(existant, modele, permanence_id, user)
    return ResultatPointage(pointage, cree=True)


def _pointage_existant(uuid):
    """Le pointage (arrivée ou refus) qui porte déjà cet UUID ; None s'il n'y en a pas.

    Une seule requête SQL écrite à la main : c'est le chemin le plus fréquent de l'application.
    """
    valeur = Arrivee._meta.get_field("uuid").get_db_prep_value(uuid, connection)
    tables = (Arrivee._meta.db_table, Refus._meta.db_table)  # noms tirés des modèles, valeurs en paramètres
    sql = "SELECT 'arrivee', id FROM {} WHERE uuid = %s UNION ALL SELECT 'refus', id FROM {} WHERE uuid = %s"
    with connection.cursor() as curseur:
        curseur.execute(sql.format(*tables), [valeur, valeur])
        trouve = curseur.fetchone()
    if trouve is None:
        return None
    type_pointage, pk = trouve
    return TYPES_POINTAGE[type_pointage].objects.get(pk=pk)


def _acquitter(existant, modele, permanence_id, user):
    """Un rejeu n'est acquitté que pour un agent du lieu du pointage : l'UUID d'un pointage d'un autre lieu
    reçoit la même réponse qu'une permanence inconnue."""
    if not Lieu.objects.accessibles_a(user).filter(pk=existant.permanence.lieu_id).exists():
        raise PointageInvalide("Permanence inconnue.")
    if not isinstance(existant, modele) or str(existant.permanence_id) != str(permanence_id):
        raise PointageInvalide("Cet identifiant de pointage est déjà utilisé pour un autre pointage.")
    return ResultatPointage(existant, cree=False)


def annuler_pointage(*, user, uuid):
    """Annule un pointage dans le délai réglé ; il est conservé, marqué annulé (qui, quand)."""
    try:
        uuid = uuid_lib.UUID(str(uuid))
    except ValueError:
        raise PointageInvalide("Identifiant de pointage invalide.") from None
    pointage = _pointage_existant(uuid)
    # Même réponse pour un pointage inconnu et pour celui d'un lieu de l'agent : rien n'est révélé.
    if (
        pointage is None
        or not Lieu.objects.accessibles_a(user).filter(pk=pointage.permanence.lieu_id).exists()
    ):
        raise PointageInvalide("Pointage introuvable.")
    if pointage.est_annule:
        return pointage
    delai = datetime.timedelta(seconds=settings.INCLUSION["DELAI_ANNULATION_POINTAGE_SECONDES"])
    if timezone.now() - pointage.enregistre_le > delai:
        minutes = int(delai.total_seconds() // 60)
        raise PointageInvalide(f"Un pointage ne peut plus être annulé après {minutes} minutes.")
    if isinstance(pointage, Arrivee) and pointage.prise_en_charge_le is not None:
        raise PointageInvalide("Cette personne a déjà été prise en charge par un médiateur.")
    pointage.annulee_le = timezone.now()
    pointage.annulee_par = user
    try:
        pointage.save(update_fields=["annulee_le", "annulee_par"])  # save() : l'annulation entre au journal
    except AnneeClose as erreur:
        raise PointageInvalide(erreur.message) from None
    return pointage


def garder_lieu_habituel(*, user, lieu_id, garder):
    """Met un lieu dans « Mes lieux » de l'agent (garder=True) ou l'en retire ; idempotent. Seul un lieu où
    l'agent peut pointer (Lieu.objects.accessibles_a) y entre : PointageInvalide sinon, sans rien révéler."""
    lieu_id = entier_ou_rien(lieu_id)
    if lieu_id is None or not Lieu.objects.accessibles_a(user).filter(pk=lieu_id).exists():
        raise PointageInvalide("Lieu inconnu.")
    if garder:
        LieuHabituel.objects.get_or_create(user=user, lieu_id=lieu_id)
    else:
        LieuHabituel.objects.filter(user=user, lieu_id=lieu_id).delete()


def prendre_en_charge(*, permanence, intervenant):
    """Le médiateur prend la personne suivante de la file ; None si personne n'attend.

    La prise se fait par une mise à jour conditionnelle : deux médiateurs ne prennent jamais la même personne.
    """
    candidates = (
        Arrivee.objects.actifs()
        .filter(permanence=permanence, prise_en_charge_le__isnull=True)
        .order_by("horodatage", "id")
        .values_list("pk", flat=True)[:10]
    )
    for pk in candidates:
        pris = Arrivee.objects.filter(pk=pk, prise_en_charge_le__isnull=True, annulee_le__isnull=True).update(
            prise_en_charge_le=timezone.now(), prise_en_charge_par=intervenant
        )
        if pris:
            return Arrivee.objects.get(pk=pk)
    return None


def attente_minutes(arrivee):
    """Temps d'attente = prise en charge − arrivée, en minutes entières (None si inconnu)."""
    if arrivee is None or arrivee.prise_en_charge_le is None:
        return None
    return max(0, int((arrivee.prise_en_charge_le - arrivee.horodatage).total_seconds() // 60))


class AnnulationImpossible(Exception):
    """Une permanence qui ne peut pas être annulée ; le message dit pourquoi."""


def annuler_permanence(permanence, *, motif, user):
    """Annule une permanence : jamais une fois des personnes accueillies, au-delà du délai de saisie seulement
    par la coordination, jamais dans une année close (AnneeClose, levée par le modèle)."""
    if message := message_hors_delai(permanence.date, user, quoi="Cette permanence"):
        raise AnnulationImpossible(message)
    if permanence.passages.exists() or Arrivee.objects.actifs().filter(permanence=permanence).exists():
        raise AnnulationImpossible(
            "Des personnes ont déjà été accueillies : cette permanence ne peut plus être annulée."
        )
    permanence.annulee = True
    permanence.motif_annulation = motif
    permanence.save(update_fields=["annulee", "motif_annulation"])
    return permanence


def enregistrer_passage(passage, *, permanence, arrivee, user):
    """Enregistre un passage saisi par un médiateur : rattaché à la permanence, à l'arrivée prise en charge (son
    attente en découle) et à l'intervenant du compte."""
    passage.permanence = permanence
    passage.arrivee = arrivee
    passage.intervenant = intervenant_de(user)
    passage.cree_par = user
    passage.attente_minutes = attente_minutes(arrivee)
    passage.save()
    return passage


def enregistrer_rendez_vous(rendez_vous, *, user):
    """Crée ou modifie un rendez-vous ; PermissionDenied pour celui que l'utilisateur ne peut pas gérer (un
    médiateur : les siens ; l'ARCS : ceux de l'ARCS ; la coordination : tous)."""
    if not peut_modifier_rendez_vous(user, rendez_vous):
        raise PermissionDenied("Vous ne pouvez pas enregistrer ce rendez-vous.")
    if rendez_vous.pk is None:
        rendez_vous.cree_par = user
    rendez_vous.save()
    return rendez_vous


@transaction.atomic
def enregistrer_saisie_groupee(*, permanence, lignes, user):
    """Enregistre, tout ou rien, les passages saisis en fin de permanence : [(passage, arrivée ou None)]."""
    return [
        enregistrer_passage(passage, permanence=permanence, arrivee=arrivee, user=user)
        for passage, arrivee in lignes
    ]
