"""La typographie française du Bilan, appliquée en un seul endroit : le filtre `typographie` du gabarit du
document (PDF et HTML autonome), et les textes des graphiques (rapports.graphiques).

Apostrophe typographique (’) au lieu de l'apostrophe droite, espace insécable avant « : » et fine insécable
avant « ; ! ? % », insécables à l'intérieur des guillemets « » et entre un nombre et son unité (« 2 h 00 »). Seul le texte est touché : ni les balises ni
leurs attributs, ni le contenu de <script>, <style>, <textarea>, <code> et <pre> (ce que l'équipe tape reste tel
qu'elle l'a tapé dans les formulaires).
"""

import re

from django.utils.safestring import mark_safe

FINE = "\u202f"  # espace fine insécable
INSECABLE = "\u00a0"
_MORCEAUX = re.compile(r"(<!--.*?-->|<(script|style|textarea|code|pre)\b.*?</\2\s*>|<[^>]*>)", re.S | re.I)
_APOSTROPHE = re.compile(r"'|&#x27;|&#39;|&apos;")
_AVANT_PONCTUATION = re.compile(r"(?:\s|&nbsp;)+([;!?%])")
_AVANT_DEUX_POINTS = re.compile(r"(?:\s|&nbsp;)+:")
_APRES_GUILLEMET = re.compile(r"«(?:\s|&nbsp;)*")
_AVANT_GUILLEMET = re.compile(r"(?:\s|&nbsp;)*»")
_UNITE = re.compile(r"(\d) (h|min|pts?|ans)\b")
_HEURES = re.compile(r"(\d)\u00a0h (\d{2})\b")


def texte_francais(texte):
    """Un texte (sans balises) mis à la typographie française."""
    texte = _APOSTROPHE.sub("’", texte)
    texte = _AVANT_PONCTUATION.sub(FINE + r"\1", texte)
    texte = _AVANT_DEUX_POINTS.sub(INSECABLE + ":", texte)
    texte = _HEURES.sub("\\1\u00a0h\u00a0\\2", _UNITE.sub("\\1\u00a0\\2", texte))  # « 2 h 00 » d'un bloc
    texte = _APRES_GUILLEMET.sub("«" + INSECABLE, texte)
    return _AVANT_GUILLEMET.sub(INSECABLE + "»", texte)


def html_francais(html):
    """Le même HTML, chaque nœud de texte mis à la typographie française (balises et attributs intacts)."""
    morceaux = _MORCEAUX.split(str(html))
    resultat = []
    i = 0
    while i < len(morceaux):
        texte = morceaux[i]
        resultat.append(texte_francais(texte))
        if i + 1 < len(morceaux):
            resultat.append(morceaux[i + 1])  # balise, commentaire ou bloc brut, tel quel
        i += 3  # le split rend (texte, morceau, nom du bloc brut ou None)
    return mark_safe(  # noqa: S308 - seul le texte déjà échappé par le gabarit est modifié
        "".join(resultat)
    )


def police_du_document():
    """Le fichier de DejaVu Sans, la police du Bilan (PDF, graphiques), celle que matplotlib installe avec lui :
    jamais téléchargée, elle a tous les glyphes de l'identité (é, ’, ▲, espaces fines…). À donner à Pillow pour
    dessiner un logo : sa police par défaut (Aileron) n'a pas « é », et « Conseiller numérique » y devient
    « num▯rique »."""
    # matplotlib s'importe au premier usage, pas au démarrage de chaque processus (rapports.graphiques._matplotlib).
    from matplotlib import font_manager

    return font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans"), fallback_to_default=False)
