"""Moteur d'indicateurs : une fonction par section du Bilan, agrégée en SQL, nombre de requêtes fixe."""

from .dispositif import indicateurs_dispositif
from .formations import indicateurs_formations
from .permanences import deriver_permanences, indicateurs_permanences
from .rendez_vous import indicateurs_rendez_vous

__all__ = [
    "deriver_permanences",
    "indicateurs_dispositif",
    "indicateurs_formations",
    "indicateurs_permanences",
    "indicateurs_rendez_vous",
]
