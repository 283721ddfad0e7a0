"""Lire un JSON venu de dehors (fichier téléversé, corps de requête) sans jamais d'erreur 500 : taille et
profondeur vérifiées avant l'analyse (200 000 crochets imbriqués faisaient une RecursionError), texte illisible
refusé avec un message français. Les types du contenu restent à vérifier par l'appelant avant usage."""

import json
import re

PROFONDEUR_MAX = 64
# Une chaîne JSON (guillemets échappés compris) : ses crochets ne comptent pas.
_CHAINE = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_HORS_CROCHETS = re.compile(r"[^\[\]{}]+")


class JsonRefuse(ValueError):
    """Le message dit, en français, pourquoi le texte n'est pas lu."""


def profondeur(texte, limite=PROFONDEUR_MAX):
    """La profondeur d'imbrication des crochets hors des chaînes ; s'arrête dès qu'elle dépasse `limite`."""
    niveau = plus_profond = 0
    for c in _HORS_CROCHETS.sub("", _CHAINE.sub("", texte)):
        if c in "[{":
            niveau += 1
            if niveau > plus_profond:
                plus_profond = niveau
                if plus_profond > limite:
                    break
        else:
            niveau -= 1
    return plus_profond


def lire_json(contenu, *, taille_max, profondeur_max=PROFONDEUR_MAX):
    """Le contenu (octets ou texte) analysé ; JsonRefuse si trop gros, trop imbriqué ou illisible."""
    if len(contenu) > taille_max:
        raise JsonRefuse(f"fichier trop volumineux ({taille_max // 1024 // 1024 or 1} Mo au plus)")
    if isinstance(contenu, bytes):
        try:
            contenu = contenu.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise JsonRefuse("fichier illisible : du texte JSON en UTF-8 est attendu") from None
    if profondeur(contenu, profondeur_max) > profondeur_max:
        raise JsonRefuse(f"fichier trop imbriqué ({profondeur_max} niveaux de crochets au plus)")
    try:
        return json.loads(contenu)
    except (ValueError, RecursionError):
        raise JsonRefuse("fichier illisible : ce n'est pas du JSON valide") from None
