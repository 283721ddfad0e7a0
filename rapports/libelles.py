"""Les libellés des codes des répartitions (type de demande, autonomie, âge, genre, freins), lus par la
présentation du Bilan et par l'analyse de l'équipe ; ceux des démarches viennent de la base
(presentation.libelles_codes)."""

from permanences.enums import Autonomie, Frein, Genre, TrancheAge, TypeDemande

LIBELLES_CODES = {
    "type_demande": dict(TypeDemande.choices),
    "autonomie": dict(Autonomie.choices),
    "tranche_age": dict(TrancheAge.choices),
    "genre": dict(Genre.choices),
    "frein": dict(Frein.choices),
}
