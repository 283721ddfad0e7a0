"""Les étapes de la purge qui oublient là où une donnée personnelle a été recopiée (#28, point 3) : journal de
l'administration (objet et détail des modifications), résultats des travaux de fond (arguments, valeur rendue,
trace d'une erreur). Appelées par confidentialite.purge avec les autres étapes.

Le journal de l'administration (django_admin_log) garde le texte d'un objet (`__str__`) au moment de l'action,
et le texte des lignes liées ajoutées ou changées (« Zoé … – Découverte de l'IA – 08/12/2026 ») : après le délai,
ce texte devient « inscription n° 12 ». Plus aucun `__str__` ne porte de nom de personne (un test le vérifie),
mais les lignes écrites avant restent à nettoyer.
"""

import datetime
import json

from django.conf import settings
from django.contrib.admin.models import LogEntry

# Les modèles dont le texte a pu nommer une personne reçue ou un professionnel formé.
MODELES_NOMMANT = {
    ("formations", "inscription"),
    ("formations", "accompagnementformation"),
    ("permanences", "rendezvous"),
    ("permanences", "passage"),
    ("permanences", "arrivee"),
    ("permanences", "refus"),
    ("inclusion", "contactannuaire"),
}


def texte_neutre(nom_du_modele, identifiant):
    return f"{nom_du_modele} n° {identifiant}"


def _neutraliser_message(message):
    """Le détail JSON d'une action sans le texte des objets liés (« object ») ; None s'il n'y a rien à changer."""
    try:
        elements = json.loads(message)
    except ValueError:
        return None
    if not isinstance(elements, list):
        return None
    change = False
    for element in elements:
        for detail in element.values() if isinstance(element, dict) else ():
            if isinstance(detail, dict) and "object" in detail:
                neutre = f"{detail.get('name', 'objet')} (texte effacé)"
                change = change or detail["object"] != neutre
                detail["object"] = neutre
    return json.dumps(elements) if change else None


def journal_administration(maintenant, appliquer):
    """Les lignes du journal de l'administration plus vieilles que DELAI_PURGE_COORDONNEES_JOURS : texte de l'objet
    neutre pour les modèles qui nomment quelqu'un, texte des objets liés effacé du détail pour toutes. Renvoie le
    nombre de lignes."""
    limite = maintenant - datetime.timedelta(days=settings.INCLUSION["DELAI_PURGE_COORDONNEES_JOURS"])
    anciennes = LogEntry.objects.filter(action_time__lt=limite).select_related("content_type")
    a_changer = []
    for ligne in anciennes.iterator():
        champs = {}
        ct = ligne.content_type
        if ct is not None and (ct.app_label, ct.model) in MODELES_NOMMANT:
            neutre = texte_neutre(ct.name, ligne.object_id)
            if ligne.object_repr != neutre:
                champs["object_repr"] = neutre
        if ligne.change_message and '"object"' in ligne.change_message:
            message = _neutraliser_message(ligne.change_message)
            if message is not None:
                champs["change_message"] = message
        if champs:
            a_changer.append((ligne.pk, champs))
    if appliquer:
        for pk, champs in a_changer:
            LogEntry.objects.filter(pk=pk).update(**champs)
    return len(a_changer)


def resultats_de_travaux(maintenant, appliquer):
    """Les résultats des tâches de fond finies depuis plus que la conservation des documents (arguments, valeur
    rendue et trace d'erreur, qui peut citer une cellule importée)."""
    from django_tasks_db.models import DBTaskResult

    limite = maintenant - datetime.timedelta(hours=settings.INCLUSION["CONSERVATION_DOCUMENTS_HEURES"])
    finis = DBTaskResult.objects.filter(finished_at__lt=limite)
    return finis.delete()[0] if appliquer else finis.count()
