"""La démonstration dans la base de test : écrite par la commande une fois par session de tests, puis recopiée.

`donnees_demo` prend 10 à 40 s et une douzaine de modules la lisent. La première fois que la suite en a besoin
(pour ces options, ce jour-là), la commande tourne, puis le contenu de chaque table est relevé ; les fois
suivantes, dans ce processus ou un autre de la même session pytest-xdist, il est remis tel quel dans la
transaction en cours, en une ou deux secondes :
- PostgreSQL : `COPY … TO/FROM` en binaire, après un `TRUNCATE` des tables ; déclencheurs et clés étrangères
  suspendus le temps de la copie (`session_replication_role = replica`, réservé au superutilisateur : sans ce
  droit, la commande tourne) ; les séquences avancées au moins jusqu'où la commande les avait laissées ;
- SQLite : les lignes relues et réinsérées, déclencheurs retirés et remis dans la même transaction (SQLite les
  y recrée), clés étrangères vérifiées à la fin de la transaction comme pour toute écriture de Django.
La copie n'est prise que si la base est celle que la commande a trouvée : autant de lignes dans chaque table, et
les mêmes valeurs hors clés (en pratique, les données des migrations et rien d'autre ; après un test
transactionnel, elles ont été réécrites avec d'autres clés : la copie remet les siennes, le cache des types de
contenu est vidé, et un objet Python gardé d'avant l'appel n'a plus la bonne clé) ; sinon la commande tourne. Le
résultat est le même, à ceci près que les lignes remises gardent l'heure d'écriture de la première fois (dans la
même heure : c'est dans la clé du relevé).

test_demo.py lance toujours la commande elle-même : c'est elle qu'il teste.
"""

import datetime
import decimal
import fcntl
import hashlib
import pickle
from contextlib import contextmanager

from django.apps import apps
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

_RELEVES = {}
# Sous pytest-xdist, le dossier commun aux processus de la session (tests/conftest.py) : le premier qui écrit la
# démonstration y dépose son relevé, les autres le reprennent au lieu de la réécrire (un verrou par relevé : un
# processus qui arrive pendant l'écriture attend qu'elle finisse, ce qui ne prend jamais plus que l'écrire).
DOSSIER_PARTAGE = None


def charger_la_demo(*, historique_seul=False):
    """Comme `manage.py donnees_demo [--historique-seul]`, dans la base de test (voir le haut du module)."""
    # La démonstration vivante dépend de l'heure (personnes en attente depuis quelques minutes) : un relevé sert
    # dans l'heure où il a été fait, horloge gelée comprise.
    heure = timezone.localtime().strftime("%Y-%m-%d-%H")
    cle = f"{connection.vendor}-{'historique' if historique_seul else 'complete'}-{heure}"
    with transaction.atomic(), _verrou(cle):
        avant, contenu = _nombre_de_lignes(), _contenu()
        releve = _RELEVES.get(cle) or _lire(cle)
        if releve and (releve["avant"], releve["contenu"]) == (avant, contenu) and _remettre(releve):
            _RELEVES[cle] = releve
            return
        call_command("donnees_demo", *(["--historique-seul"] if historique_seul else []), verbosity=0)
        _RELEVES[cle] = releve = {"avant": avant, "contenu": contenu, **_relever()}
        _deposer(cle, releve)


@contextmanager
def _verrou(cle):
    if DOSSIER_PARTAGE is None:
        yield
        return
    with open(DOSSIER_PARTAGE / f"{cle}.verrou", "w") as fichier:
        fcntl.flock(fichier, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fichier, fcntl.LOCK_UN)


def _lire(cle):
    if DOSSIER_PARTAGE is None or not (DOSSIER_PARTAGE / f"{cle}.pickle").exists():
        return None
    return pickle.loads((DOSSIER_PARTAGE / f"{cle}.pickle").read_bytes())


def _deposer(cle, releve):
    """Le premier relevé d'une clé est gardé pour les autres processus (celui d'une base neuve, en pratique)."""
    if DOSSIER_PARTAGE is None or (DOSSIER_PARTAGE / f"{cle}.pickle").exists():
        return
    provisoire = DOSSIER_PARTAGE / f"{cle}.pickle.en-cours"
    provisoire.write_bytes(pickle.dumps(releve))
    provisoire.rename(DOSSIER_PARTAGE / f"{cle}.pickle")


def _tables():
    return sorted(connection.introspection.table_names(include_views=False))


def _nombre_de_lignes():
    """Le nombre de lignes de chaque table, en une requête."""
    q = connection.ops.quote_name
    tables = _tables()
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {q(t)})" for t in tables))
        return dict(zip(tables, cursor.fetchone()))


def _contenu():
    """L'empreinte des champs qui ne sont pas des clés, modèle par modèle : une ligne que le test a modifiée sur place
    (une démarche renommée, une année close) se voit ; des clés réécrites (données des migrations remises après un
    test transactionnel) ne comptent pas."""
    empreinte = hashlib.sha256()
    for modele in sorted(apps.get_models(), key=lambda m: m._meta.db_table):
        champs = [f.attname for f in modele._meta.concrete_fields if not (f.primary_key or f.is_relation)]
        if champs:
            empreinte.update(modele._meta.db_table.encode())
            for ligne in sorted(map(repr, modele._base_manager.values_list(*champs))):
                empreinte.update(ligne.encode())
    return empreinte.hexdigest()


def _relever():
    q = connection.ops.quote_name
    tables = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in _tables():
                with cursor.copy(f"COPY {q(table)} TO STDOUT (FORMAT BINARY)") as copie:
                    tables[table] = b"".join(bytes(morceau) for morceau in copie)
            cursor.execute("SELECT schemaname, sequencename, last_value FROM pg_sequences")
            return {"tables": tables, "sequences": cursor.fetchall()}
        for table in _tables():
            cursor.execute(f"SELECT * FROM {q(table)}")
            colonnes = [c[0] for c in cursor.description]
            tables[table] = (colonnes, [tuple(map(_valeur_sqlite, ligne)) for ligne in cursor.fetchall()])
        return {"tables": tables, "sequences": None}


def _valeur_sqlite(valeur):
    """La valeur telle que SQLite la garde : Django relit dates, heures et dates-heures en objets Python
    (detect_types), qu'il écrit en texte (str : le même format) ; les décimaux, au cas où."""
    if isinstance(valeur, (datetime.date, datetime.time, decimal.Decimal)):  # datetime est une date
        return str(valeur)
    return valeur


def _remettre(releve):
    """Remet le contenu relevé ; False (rien de changé) si la base ne le permet pas."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                _remettre_postgresql(cursor, releve)
            else:
                _remettre_sqlite(cursor, releve)
    except (DatabaseError, connection.Database.Error):  # COPY n'est pas enveloppé par Django
        return False
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    return True


def _remettre_postgresql(cursor, releve):
    """TRUNCATE verrouille chaque table jusqu'à la fin de la transaction en cours (celle du module, pour
    demo_complete et demo_historique) : aucune autre connexion ne les lit d'ici là (aucun de ces modules n'en
    ouvre)."""
    q = connection.ops.quote_name
    cursor.execute("SET LOCAL session_replication_role = replica")
    cursor.execute(f"TRUNCATE {', '.join(q(t) for t in releve['tables'])}")
    for table, contenu in releve["tables"].items():
        with cursor.copy(f"COPY {q(table)} FROM STDIN (FORMAT BINARY)") as copie:
            copie.write(contenu)
    for schema, sequence, valeur in releve["sequences"]:
        if valeur is not None:
            nom = f"{q(schema)}.{q(sequence)}"
            cursor.execute(
                f"SELECT setval(%s::regclass, GREATEST(%s, (SELECT last_value FROM {nom})))", [nom, valeur]
            )
    cursor.execute("SET LOCAL session_replication_role = DEFAULT")


def _remettre_sqlite(cursor, releve):
    q = connection.ops.quote_name
    cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
    declencheurs = cursor.fetchall()
    for nom, _ in declencheurs:
        cursor.execute(f"DROP TRIGGER {q(nom)}")
    for table, (colonnes, lignes) in releve["tables"].items():
        cursor.execute(f"DELETE FROM {q(table)}")
        if lignes:
            marques = ", ".join(["%s"] * len(colonnes))
            cursor.executemany(
                f"INSERT INTO {q(table)} ({', '.join(map(q, colonnes))}) VALUES ({marques})", lignes
            )
    for _, sql in declencheurs:
        cursor.execute(sql)
