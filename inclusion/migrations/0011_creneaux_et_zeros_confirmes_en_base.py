"""Deux déclencheurs de plus pour les années closes (PostgreSQL ; SQLite : la garde Python, inclusion.cloture).

- Les créneaux du planning (permanences_creneau) valent sur une période : la fonction inclusion_periode_close
  compare, pour chaque année close, la part de la période qui y tombe et les colonnes qu'un chiffre lit (le lieu),
  avant et après l'écriture ; elle refuse si elles diffèrent (création ou suppression d'un créneau qui touche une
  année close, fin avancée dans une année close, lieu changé…).
- Les zéros confirmés d'un suivi (rapports_suividonnees.zeros_confirmes) sortent des colonnes figées par la date de
  suivi (le déclencheur annee_close de 0010 les laisse passer), et la fonction inclusion_annees_listees_close
  refuse qu'une année close y entre ou en sorte.

Les arguments suivent la déclaration des modèles (inclusion.cloture.arguments_du_declencheur,
arguments_des_annees_listees ; tests/inclusion/test_cloture_introspection.py vérifie qu'ils s'accordent).
"""

from django.db import migrations

REFUS = r"""
            RAISE EXCEPTION USING
                ERRCODE = 'check_violation',
                CONSTRAINT = 'annee_close',
                MESSAGE = format(
                    'L''année %s est close : son Bilan est publié. Ses enregistrements ne peuvent plus être '
                    'créés, modifiés ni supprimés ; la coordination peut rouvrir l''année depuis le Bilan, avec '
                    'un motif.',
                    fermee
                );
"""

PART_DE_L_ANNEE = r"""
CREATE OR REPLACE FUNCTION inclusion_part_de_l_annee(ligne jsonb, du text, au text, libres text[], annee int)
RETURNS jsonb LANGUAGE sql IMMUTABLE AS $fonction$
    SELECT CASE
        WHEN ligne IS NULL OR ligne ->> du IS NULL THEN NULL
        WHEN (ligne ->> du)::date > make_date(annee, 12, 31) THEN NULL
        WHEN (ligne ->> au)::date < make_date(annee, 1, 1) THEN NULL
        ELSE jsonb_build_object(
            'du', greatest((ligne ->> du)::date, make_date(annee, 1, 1)),
            'au', least(coalesce((ligne ->> au)::date, make_date(annee, 12, 31)), make_date(annee, 12, 31)),
            'reste', ligne - libres - du - au - 'id'
        )
    END
$fonction$;
"""

PERIODE = (
    r"""
CREATE OR REPLACE FUNCTION inclusion_periode_close() RETURNS trigger LANGUAGE plpgsql AS $fonction$
DECLARE
    libres text[] := CASE WHEN TG_ARGV[2] = '' THEN '{}'::text[] ELSE string_to_array(TG_ARGV[2], ',') END;
    avant jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
    apres jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
    fermee int;
BEGIN
    SELECT min(annee) INTO fermee FROM inclusion_clotureannee
        WHERE close
        AND inclusion_part_de_l_annee(avant, TG_ARGV[0], TG_ARGV[1], libres, annee)
            IS DISTINCT FROM inclusion_part_de_l_annee(apres, TG_ARGV[0], TG_ARGV[1], libres, annee);
    IF fermee IS NOT NULL THEN"""
    + REFUS
    + r"""    END IF;
    RETURN COALESCE(NEW, OLD);
END
$fonction$;
"""
)

ANNEES_LISTEES = (
    r"""
CREATE OR REPLACE FUNCTION inclusion_annees_listees_close() RETURNS trigger LANGUAGE plpgsql AS $fonction$
DECLARE
    colonne text;
    avant int[];
    apres int[];
    fermee int;
BEGIN
    FOREACH colonne IN ARRAY TG_ARGV LOOP
        avant := CASE WHEN TG_OP <> 'INSERT' THEN ARRAY(
            SELECT m[1]::int FROM regexp_matches(to_jsonb(OLD) ->> colonne, '([0-9]+)', 'g') m
        ) ELSE '{}' END;
        apres := CASE WHEN TG_OP <> 'DELETE' THEN ARRAY(
            SELECT m[1]::int FROM regexp_matches(to_jsonb(NEW) ->> colonne, '([0-9]+)', 'g') m
        ) ELSE '{}' END;
        SELECT min(annee) INTO fermee FROM inclusion_clotureannee
            WHERE close AND (annee = ANY (avant)) <> (annee = ANY (apres));
        IF fermee IS NOT NULL THEN"""
    + REFUS
    + r"""        END IF;
    END LOOP;
    RETURN COALESCE(NEW, OLD);
END
$fonction$;
"""
)

# (table, nom du déclencheur, fonction, arguments, arguments avant cette migration : None pour un nouveau)
DECLENCHEURS = [
    (
        "permanences_creneau",
        "annee_close",
        "inclusion_periode_close",
        ("valide_du", "valide_au", "heure_debut,heure_fin,jour_semaine"),
        None,
    ),
    (
        "rapports_suividonnees",
        "annee_close",
        "inclusion_annee_close",
        ("depuis", "", "", "commentaire,zeros_confirmes", "dans_ou_avant"),
        ("depuis", "", "", "commentaire", "dans_ou_avant"),
    ),
    ("rapports_suividonnees", "annees_listees_close", "inclusion_annees_listees_close", ("zeros_confirmes",), None),
]


def _creer(schema_editor, table, nom, fonction, arguments):
    litteraux = ", ".join("'" + a.replace("'", "''") + "'" for a in arguments)
    schema_editor.execute(f'DROP TRIGGER IF EXISTS {nom} ON "{table}"')
    schema_editor.execute(
        f'CREATE TRIGGER {nom} BEFORE INSERT OR UPDATE OR DELETE ON "{table}" '
        f"FOR EACH ROW EXECUTE FUNCTION {fonction}({litteraux})"
    )


def installer(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in (PART_DE_L_ANNEE, PERIODE, ANNEES_LISTEES):
        schema_editor.execute(sql, params=None)
    for table, nom, fonction, arguments, _ in DECLENCHEURS:
        _creer(schema_editor, table, nom, fonction, arguments)


def retirer(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, nom, fonction, _, avant in DECLENCHEURS:
        if avant is None:
            schema_editor.execute(f'DROP TRIGGER IF EXISTS {nom} ON "{table}"')
        else:
            _creer(schema_editor, table, nom, fonction, avant)
    schema_editor.execute("DROP FUNCTION IF EXISTS inclusion_periode_close()")
    schema_editor.execute("DROP FUNCTION IF EXISTS inclusion_annees_listees_close()")
    schema_editor.execute("DROP FUNCTION IF EXISTS inclusion_part_de_l_annee(jsonb, text, text, text[], int)")


class Migration(migrations.Migration):
    dependencies = [
        ("inclusion", "0010_annees_closes_en_base"),
        ("rapports", "0011_zeros_confirmes_suivi"),
    ]

    operations = [migrations.RunPython(installer, retirer, elidable=False)]
