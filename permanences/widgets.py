"""Boutons de saisie rapide : des groupes de boutons radio (un tap par choix, flèches du clavier dans le groupe,
Entrée pour enregistrer), rendus sans JavaScript."""

from django import forms


class BoutonsSegmentes(forms.RadioSelect):
    """Un choix parmi quelques-uns : de grands boutons côte à côte ; aucun choix vide."""

    template_name = "permanences/widgets/boutons_segmentes.html"
    principales = None  # toutes les options visibles
    libelle_autres = "Autres démarches"

    def get_context(self, name, value, attrs):
        contexte = super().get_context(name, value, attrs)
        options = [option for _, groupe, _ in contexte["widget"]["optgroups"] for option in groupe]
        options = [o for o in options if o["value"] not in ("", None)]
        limite = self.principales
        coupe = limite if limite is not None and len(options) > limite else len(options)
        # Une option choisie parmi les « autres » reste visible : on ne la cache pas derrière un volet fermé.
        choisie_cachee = any(o["selected"] for o in options[coupe:])
        contexte["widget"].update(
            principales=options[:coupe],
            autres=options[coupe:],
            autres_ouvertes=choisie_cachee,
            libelle_autres=self.libelle_autres,
        )
        return contexte


class GrilleDemarches(BoutonsSegmentes):
    """Les démarches : les plus fréquentes en grille, les autres derrière « Autres démarches »."""

    principales = 8


# Saisie groupée : des boutons compacts. Le texte visible est court ; le nom lu par un lecteur d'écran est un
# libellé entier qui contient le texte visible (critère 2.5.3 « Étiquette dans le nom »).
LIBELLES_COURTS = {
    "partiellement_autonome": ("Partiel", "Partiellement autonome"),
    "accompagne": ("Accompagné", "Accompagné entièrement"),
    "fait_a_sa_place": ("À sa place", "Fait à sa place"),
    "moins_12": ("0–11", "0–11 ans"),
    "12_17": ("12–17", "12–17 ans"),
    "18_24": ("18–24", "18–24 ans"),
    "25_39": ("25–39", "25–39 ans"),
    "40_59": ("40–59", "40–59 ans"),
    "60_69": ("60–69", "60–69 ans"),
    "70_plus": ("70+", "70+ ans"),
    "non_communique": ("NC", "NC : non communiqué"),
    "feminin": ("F", "Féminin"),
    "masculin": ("M", "Masculin"),
}


def libelle_court(libelle):
    """« Préfecture – droit des étrangers » → (« Préfecture », « Préfecture – droit des étrangers »)."""
    coupes = [i for i in (libelle.find(" ("), libelle.find(" – ")) if i > 0]
    return (libelle[: min(coupes)], libelle) if coupes else (libelle, libelle)


class BoutonsCompacts(BoutonsSegmentes):
    """Les mêmes boutons radio, en plus petit (une ligne de la saisie groupée) : libellés courts."""

    template_name = "permanences/widgets/boutons_compacts.html"

    def get_context(self, name, value, attrs):
        contexte = super().get_context(name, value, attrs)
        for option in (*contexte["widget"]["principales"], *contexte["widget"]["autres"]):
            visible, nom = LIBELLES_COURTS.get(str(option["value"])) or libelle_court(str(option["label"]))
            option.update(visible=visible, nom=nom)
        return contexte


class NatureCompacte(BoutonsCompacts):
    """Type de demande et démarche en un seul choix : « Technique » et les démarches les plus fréquentes de
    l'intervenant, les autres derrière « Autres démarches », volet visible."""

    principales = 5


class ChoixDuree(forms.RadioSelect):
    """La durée en un tap : quelques valeurs en boutons (`principales`), les autres derrière « Autre » avec un champ
    pour en taper une (`<nom>_autre`) ; toujours dans l'ordre des valeurs, les plus saisies par l'intervenant
    marquées (`frequentes`)."""

    template_name = "permanences/widgets/choix_duree.html"

    def __init__(self, *args, principales=(), frequentes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.principales, self.frequentes = set(principales), set(frequentes)

    def value_from_datadict(self, data, files, name):
        return data.get(f"{name}_autre") or data.get(name) or None  # une durée tapée l'emporte

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}_autre" not in data

    def get_context(self, name, value, attrs):
        contexte = super().get_context(name, value, attrs)
        options = [option for _, groupe, _ in contexte["widget"]["optgroups"] for option in groupe]
        for option in options:
            option["frequente"] = option["value"] in self.frequentes
        valeurs = {str(o["value"]) for o in options}
        autre = "" if value in (None, "") or str(value) in valeurs else str(value)
        autres = [o for o in options if o["value"] not in self.principales]
        contexte["widget"].update(
            principales=[o for o in options if o["value"] in self.principales],
            autres=autres,
            autre=autre,
            autres_ouvertes=bool(autre) or any(o["selected"] for o in autres),
            nom_autre=f"{name}_autre",
        )
        return contexte
