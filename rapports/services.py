"""Écritures du domaine des rapports (analyse de l'équipe, publication du Bilan, clôture et réouverture des
années), appelées par les vues, l'import et la démo."""

import hashlib

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from inclusion.models import ClotureAnnee

from .bilan import Periode, comparer_periodes, json_du_bilan, message_aucune_donnee
from .models import PointAnalyse, PublicationBilan, SuiviDonnees, dates_de_suivi_a_figer
from .rendus import documents_du_bilan


@transaction.atomic
def ajouter_point(*, annee, section, titre, texte, auteur=None, ordre=None, raison=None):
    """Ajoute un point à la place `ordre` (l'import), ou à la fin de la section ; l'historique garde qui l'a
    écrit et quand."""
    if ordre is None:
        dernier = (
            PointAnalyse.objects.select_for_update()
            .filter(annee=annee, section=section)
            .aggregate(n=Max("ordre"))["n"]
            or 0
        )
        ordre = dernier + 1
    point = PointAnalyse(
        annee=annee, section=section, ordre=ordre, titre=titre, texte=texte, modifie_par=auteur
    )
    point._history_user, point._change_reason = auteur, raison
    point.save()
    return point


def modifier_point(point, *, titre, texte, auteur=None, raison=None):
    """Modifie un point s'il a changé (une modification = une entrée d'historique) ; renvoie s'il a changé."""
    if (point.titre, point.texte) == (titre, texte):
        return False
    point.titre, point.texte, point.modifie_par = titre, texte, auteur
    point._history_user, point._change_reason = auteur, raison
    point.save()
    return True


def supprimer_point(point):
    point.delete()  # l'historique garde le texte supprimé, qui et quand


class PublicationRefusee(Exception):
    """Publication ou réouverture impossible ; le message dit pourquoi, en français."""


def publier_bilan(annee, *, auteur=None):
    """Publie le Bilan d'une année terminée : garde son PDF et son JSON (empreintes, qui, quand) et clôt l'année.

    Une nouvelle publication (après réouverture) ajoute une version ; les précédentes restent téléchargeables.
    """
    if annee >= timezone.localdate().year:
        raise PublicationRefusee(
            f"L'année {annee} n'est pas terminée : son Bilan se publie à partir du 1er janvier suivant."
        )
    comparaison = comparer_periodes(Periode.annee(annee))
    if not comparaison.a_des_donnees:
        raise PublicationRefusee(message_aucune_donnee(annee))
    with transaction.atomic():
        ClotureAnnee.objects.select_for_update().filter(annee=annee).first()  # une publication à la fois
        if figer_les_dates_de_suivi(annee):  # le document publié dit les dates désormais fixées
            comparaison = comparer_periodes(Periode.annee(annee))
        version = (PublicationBilan.objects.filter(annee=annee).aggregate(n=Max("version"))["n"] or 0) + 1
        edition = f"Version publiée du {timezone.localdate():%d/%m/%Y} (version {version})"
        _, pdf = documents_du_bilan(comparaison, edition=edition)
        texte_json = json_du_bilan(comparaison)
        publication = PublicationBilan.objects.create(
            annee=annee,
            version=version,
            publie_par=auteur,
            pdf=pdf,
            json=texte_json,
            empreinte_pdf=hashlib.sha256(pdf).hexdigest(),
            empreinte_json=hashlib.sha256(texte_json.encode()).hexdigest(),
        )
        cloture, _ = ClotureAnnee.objects.get_or_create(annee=annee)
        cloture.close, cloture.modifiee_par, cloture.motif = True, auteur, ""
        cloture._history_user = auteur
        cloture.save()
    return publication


def figer_les_dates_de_suivi(annee):
    """Avant de clore `annee` : chaque famille sans date de suivi fixée reçoit celle qu'elle a par défaut (voir
    rapports.models.dates_de_suivi_a_figer), notée « fixée à la publication » ; renvoie les lignes créées."""
    lignes = []
    for famille, depuis in dates_de_suivi_a_figer(annee=annee).items():
        # get_or_create : deux publications simultanées (deux années) fixent la même famille une seule fois.
        ligne, creee = SuiviDonnees.objects.get_or_create(
            famille=famille,
            defaults={
                "depuis": depuis,
                "commentaire": f"Date fixée à la publication du Bilan {annee} (la date par défaut de ce jour-là, "
                "au plus tard le 1er janvier qui suit l'année close).",
            },
        )
        if creee:
            lignes.append(ligne)
    return lignes


def rouvrir_annee(annee, *, motif, auteur=None):
    """Rouvre une année close (coordination) : le motif est obligatoire et gardé dans l'historique."""

    motif = (motif or "").strip()
    if not motif:
        raise PublicationRefusee(
            "Indiquez pourquoi l'année est rouverte : le motif est gardé dans l'historique."
        )
    if len(motif) > 1000:
        raise PublicationRefusee("Motif trop long : 1 000 caractères au plus.")
    cloture = ClotureAnnee.objects.filter(annee=annee, close=True).first()
    if cloture is None:
        raise PublicationRefusee(f"L'année {annee} n'est pas close.")
    cloture.close, cloture.motif, cloture.modifiee_par = False, motif, auteur
    cloture._history_user = auteur  # l'historique dit qui a rouvert, même hors d'une requête
    cloture.save()
    return cloture
