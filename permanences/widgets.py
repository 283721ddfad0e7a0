"""Boutons de saisie rapide : des groupes de boutons radio (un tap par choix, flèches du clavier dans le groupe,
Entrée pour enregistrer), rendus sans JavaScript."""

from django import forms


class BoutonsSegmentes(forms.RadioSelect):
    """Un choix parmi quelques-uns : de grands boutons côte à côte ; aucun choix vide."""

    template_name = "permanences/widgets/boutons_segmentes.html"
    principales = None  # toutes les options visibles

    def get_context(self, name, value, attrs):
        contexte = super().get_context(name, value, attrs)
        options = [option for _, groupe, _ in contexte["widget"]["optgroups"] for option in groupe]
        options = [o for o in options if o["value"] not in ("", None)]
        limite = self.principales
        coupe = limite if limite is not None and len(options) > limite else len(options)
        # Une option choisie parmi les « autres » reste visible : on ne la cache pas derrière un volet fermé.
        choisie_cachee = any(o["selected"] for o in options[coupe:])
        contexte["widget"].update(
            principales=options[:coupe], autres=options[coupe:], autres_ouvertes=choisie_cachee
        )
        return contexte


class GrilleDemarches(BoutonsSegmentes):
    """Les démarches : les plus fréquentes en grille, les autres derrière « Autres démarches »."""

    principales = 8
