"""Identité du dispositif (nom, organisation, logo, texte de clôture) et logos des partenaires, pour le Bilan."""

import base64
import io

from django.db import models

TAILLE_MAX_LOGO = 1024 * 1024  # 1 Mo
COTE_MAX_LOGO = 4000  # pixels


def lire_logo(fichier):
    """Le contenu et le type d'un logo téléversé ; ValidationError en français s'il n'est pas une image sûre.

    PNG ou JPEG seulement (pas de SVG : il peut porter du script), 1 Mo et 4 000 × 4 000 pixels au plus
    (une petite image peut déclarer des dimensions énormes et saturer la mémoire au décodage).
    """
    from django.core.exceptions import ValidationError
    from PIL import Image, UnidentifiedImageError

    if fichier.size > TAILLE_MAX_LOGO:
        raise ValidationError("Logo trop lourd : 1 Mo au plus.")
    contenu = fichier.read()
    try:
        with Image.open(io.BytesIO(contenu)) as image:
            format_, (largeur, hauteur) = image.format, image.size
            if largeur > COTE_MAX_LOGO or hauteur > COTE_MAX_LOGO:
                raise ValidationError("Logo trop grand : 4 000 × 4 000 pixels au plus.")
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as erreur:
        raise ValidationError("Ce fichier n'est pas une image PNG ou JPEG lisible.") from erreur
    if format_ not in ("PNG", "JPEG"):
        raise ValidationError("Format de logo refusé : PNG ou JPEG seulement.")
    return contenu, f"image/{format_.lower()}"


class AvecLogo(models.Model):
    logo = models.BinaryField("logo", blank=True, default=b"", editable=False)
    logo_type = models.CharField("type du logo", max_length=20, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def logo_data_uri(self):
        """Le logo en image `data:` (même rendu en HTML et en PDF, permis par la politique de contenu)."""
        if not self.logo:
            return ""
        return f"data:{self.logo_type};base64," + base64.b64encode(bytes(self.logo)).decode()


class IdentiteDispositif(AvecLogo):
    """Le nom, l'organisation, les logos et le site du dispositif : couverture du Bilan, en-tête, pied de page."""

    nom = models.CharField(
        "nom du dispositif",
        max_length=200,
        default="Projet inclusion numérique dans les Espaces Sociaux Communs",
    )
    nom_court = models.CharField(
        "nom court (en-tête des pages)", max_length=60, default="Inclusion numérique ESC"
    )
    organisation = models.CharField("organisation", max_length=200, blank=True)
    site_web = models.URLField("site internet", blank=True)
    texte_de_cloture = models.TextField(
        "texte de clôture du Bilan", blank=True, help_text="Dernière page du Bilan, avant l'adresse du site."
    )

    class Meta:
        verbose_name = "identité du dispositif"
        verbose_name_plural = "identité du dispositif"

    def __str__(self):
        return self.nom

    @classmethod
    def actuelle(cls):
        """L'identité enregistrée, ou celle par défaut (non enregistrée) tant que la coordination n'en a pas saisi."""
        return cls.objects.prefetch_related("partenaires").first() or cls()

    @property
    def logos_partenaires(self):
        return list(self.partenaires.all()) if self.pk else []


class LogoPartenaire(AvecLogo):
    identite = models.ForeignKey(IdentiteDispositif, on_delete=models.CASCADE, related_name="partenaires")
    nom = models.CharField("partenaire", max_length=120)
    ordre = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "logo de partenaire"
        verbose_name_plural = "logos des partenaires"
        ordering = ["ordre", "nom"]

    def __str__(self):
        return self.nom
