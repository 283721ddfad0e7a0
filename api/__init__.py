"""L'API en lecture, versionnée sous /api/v1/ (django-ninja) : le Bilan JSON d'une année, les indicateurs d'une
période, les lieux et l'annuaire dans les schémas nationaux. Jetons nommés, à portées et à expiration, gardés par
leur seule empreinte (jetons.py) ; limite de requêtes par jeton ; aucune donnée personnelle (schemas.py dit
chaque champ qui peut sortir)."""
