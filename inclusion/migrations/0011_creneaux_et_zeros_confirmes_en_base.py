"""Deux déclencheurs de plus pour les années closes (PostgreSQL ; SQLite : la garde Python, inclusion.cloture).

- Les créneaux du planning (permanences_creneau) valent sur une période : la fonction inclusion_periode_close
  compare, pour chaque année close, la part de la période qui y tombe et les colonnes qu'un chiffre lit (le lieu),
  avant et après l'écriture ; elle refuse si elles diffèrent (création ou suppression d'un créneau qui touche une
  année close, fin avancée dans une année close, lieu changé…).
- Les zéros confirmés d'un suivi (rapports_suividonnees.zeros_confirmes) sortent des colonnes figées par la date de
  suivi (le déclencheur annee_close de 0010 les laisse passer), et la fonction inclusion_annees_listees_close
  refuse qu'une année close y entre ou en sorte.
- Créer (ou supprimer) une date de suivi remplace la date par défaut de sa famille (1er janvier de l'année du
  premier enregistrement) : inclusion_annee_close accepte un sixième argument, la fonction qui la calcule
  (rapports_suivi_date_par_defaut, le même calcul que rapports.models.premiers_enregistrements) ; une ligne créée
  à cette même date ne change rien et passe, même après la clôture d'une année (la coordination peut alors y
  confirmer les zéros des années ouvertes). Sans ce sixième argument, rien ne change (« avant toute année »).

Les arguments suivent la déclaration des modèles (inclusion.cloture_declencheurs.arguments_du_declencheur,
arguments_des_annees_listees ; tests/inclusion/test_cloture_introspection.py vérifie qu'ils s'accordent).
"""

import importlib

from django.db import migrations

ANNEES_CLOSES_0010 = importlib.import_module("inclusion.migrations.0010_annees_closes_en_base")

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

# inclusion_annee_close (0010), avec la valeur qu'une création de portée « dans_ou_avant » remplace : tirée d'une
# fonction SQL (sixième argument) au lieu de « avant toute année ».
ANNEE_CLOSE = ANNEES_CLOSES_0010.FONCTION.replace(
    """        IF TG_OP <> 'UPDATE' THEN
            annees := array_append(annees, 1);  -- la date par défaut, celle du premier enregistrement
        END IF;""",
    """        IF TG_OP <> 'UPDATE' AND TG_NARGS > 5 THEN
            ligne := to_jsonb(COALESCE(NEW, OLD));
            EXECUTE format('SELECT %I($1)::text', TG_ARGV[5]) INTO valeur USING ligne;
            IF valeur IS NOT DISTINCT FROM ligne ->> TG_ARGV[0] THEN
                RETURN COALESCE(NEW, OLD);  -- la ligne vaut la valeur par défaut qu'elle remplace : rien ne change
            ELSIF valeur IS NOT NULL THEN
                annees := array_append(annees, extract(year FROM valeur::date)::int);
            END IF;
        ELSIF TG_OP <> 'UPDATE' THEN
            annees := array_append(annees, 1);  -- avant toute année
        END IF;""",
)
assert ANNEE_CLOSE != ANNEES_CLOSES_0010.FONCTION

DATE_PAR_DEFAUT = r"""
CREATE OR REPLACE FUNCTION rapports_suivi_date_par_defaut(ligne jsonb) RETURNS date LANGUAGE sql STABLE AS $fonction$
    SELECT make_date(extract(year FROM premier)::int, 1, 1) FROM (SELECT CASE ligne ->> 'famille'
        WHEN 'refus' THEN (SELECT min(date) FROM permanences_refus WHERE annulee_le IS NULL)
        WHEN 'attente' THEN (SELECT min(date) FROM permanences_passage WHERE attente_minutes IS NOT NULL)
        WHEN 'freins' THEN (SELECT min(date) FROM permanences_passage WHERE freins <> '')
        WHEN 'quartiers' THEN (SELECT min(date) FROM permanences_passage WHERE quartier_id IS NOT NULL)
        WHEN 'orientations' THEN (SELECT min(date) FROM permanences_passage WHERE oriente_vers_id IS NOT NULL)
        WHEN 'profil_accueil' THEN (
            SELECT p.date FROM permanences_arrivee a JOIN permanences_permanence p ON p.id = a.permanence_id
            WHERE a.tranche_age <> '' OR a.genre <> '' ORDER BY a.id LIMIT 1
        )
    END AS premier) t
$fonction$;
"""

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
        ("depuis", "", "", "commentaire,zeros_confirmes", "dans_ou_avant", "rapports_suivi_date_par_defaut"),
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
    for sql in (ANNEE_CLOSE, DATE_PAR_DEFAUT, PART_DE_L_ANNEE, PERIODE, ANNEES_LISTEES):
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
    schema_editor.execute(ANNEES_CLOSES_0010.FONCTION, params=None)
    schema_editor.execute("DROP FUNCTION IF EXISTS rapports_suivi_date_par_defaut(jsonb)")
    schema_editor.execute("DROP FUNCTION IF EXISTS inclusion_periode_close()")
    schema_editor.execute("DROP FUNCTION IF EXISTS inclusion_annees_listees_close()")
    schema_editor.execute("DROP FUNCTION IF EXISTS inclusion_part_de_l_annee(jsonb, text, text, text[], int)")


class Migration(migrations.Migration):
    dependencies = [
        ("inclusion", "0010_annees_closes_en_base"),
        ("rapports", "0011_zeros_confirmes_suivi"),
        ("permanences", "0009_date_de_modification"),
    ]

    operations = [migrations.RunPython(installer, retirer, elidable=False)]
