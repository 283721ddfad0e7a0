"""Journal des modifications (django-simple-history) des écritures en masse.

Un enregistrement créé par lots (import) entre au journal comme un enregistrement saisi : une ligne « + » avec
l'auteur et la raison. `journaliser_par_sql` copie les lignes qui viennent d'être écrites dans la table
d'historique en une instruction, pour les écritures faites sans l'ORM (COPY de PostgreSQL).
"""

from django.db import connection
from django.utils import timezone

RAISON_IMPORT = "import"
RAISON_DEMO = "données de démonstration"


def journaliser_par_sql(modele, *, ou, parametres, auteur=None, raison=RAISON_IMPORT):
    """Ajoute au journal de `modele` les lignes de sa table qui vérifient `ou` (SQL, paramètres à part)."""
    historique = modele.history.model
    colonnes = [
        champ.column for champ in historique._meta.concrete_fields if not champ.name.startswith("history_")
    ]
    liste = ", ".join(colonnes)
    with connection.cursor() as curseur:
        curseur.execute(
            f"""INSERT INTO {historique._meta.db_table}
                    ({liste}, history_date, history_change_reason, history_type, history_user_id)
                SELECT {liste}, %s, %s, '+', %s FROM {modele._meta.db_table} WHERE {ou}""",  # noqa: S608 - noms tirés des modèles
            [timezone.now(), raison, getattr(auteur, "pk", None), *parametres],
        )
