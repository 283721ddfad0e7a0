"""Une année close l'est dans la base : sur PostgreSQL, une fonction de déclencheur et un déclencheur par table
d'enregistrements datés refusent toute écriture (INSERT, UPDATE, DELETE, COPY compris) dans une année close.

Les arguments de chaque déclencheur suivent la déclaration du modèle (inclusion.cloture_declencheurs.arguments_du_declencheur ;
tests/inclusion/test_cloture_introspection.py vérifie qu'ils s'accordent) : colonne de la date (ou de l'année),
table et colonne où la lire à travers une relation, colonnes qu'aucun chiffre ne lit (la purge, un compte supprimé),
portée (« dans_ou_avant » : une date de suivi fige aussi les années closes qui la suivent). SQLite : rien ici, la
garde Python (inclusion.cloture) fait la règle.
"""

from django.db import migrations

FONCTION = r"""
CREATE OR REPLACE FUNCTION inclusion_annee_close() RETURNS trigger LANGUAGE plpgsql AS $fonction$
DECLARE
    libres text[] := CASE WHEN TG_ARGV[3] = '' THEN '{}'::text[] ELSE string_to_array(TG_ARGV[3], ',') END;
    lignes jsonb[] := '{}';
    ligne jsonb;
    valeur text;
    annees int[] := '{}';
    fermee int;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM inclusion_clotureannee WHERE close) THEN
        RETURN COALESCE(NEW, OLD);
    END IF;
    IF TG_OP = 'UPDATE' AND (to_jsonb(NEW) - libres) = (to_jsonb(OLD) - libres) THEN
        RETURN NEW;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        lignes := array_append(lignes, to_jsonb(OLD));
    END IF;
    IF TG_OP <> 'DELETE' THEN
        lignes := array_append(lignes, to_jsonb(NEW));
    END IF;
    FOREACH ligne IN ARRAY lignes LOOP
        valeur := ligne ->> TG_ARGV[0];
        IF valeur IS NOT NULL AND TG_ARGV[1] <> '' THEN
            EXECUTE format('SELECT %I::text FROM %I WHERE id = $1', TG_ARGV[2], TG_ARGV[1])
                INTO valeur USING valeur::bigint;
        END IF;
        IF valeur IS NOT NULL THEN
            annees := array_append(
                annees,
                CASE WHEN valeur ~ '^[0-9]+$' THEN valeur::int ELSE extract(year FROM valeur::date)::int END
            );
        END IF;
    END LOOP;
    IF TG_ARGV[4] = 'dans_ou_avant' THEN
        IF TG_OP <> 'UPDATE' THEN
            annees := array_append(annees, 1);  -- la date par défaut, celle du premier enregistrement
        END IF;
        SELECT min(annee) INTO fermee FROM inclusion_clotureannee
            WHERE close AND annee >= (SELECT min(a) FROM unnest(annees) a);
    ELSE
        SELECT min(annee) INTO fermee FROM inclusion_clotureannee WHERE close AND annee = ANY (annees);
    END IF;
    IF fermee IS NOT NULL THEN
        RAISE EXCEPTION USING
            ERRCODE = 'check_violation',
            CONSTRAINT = 'annee_close',
            MESSAGE = format(
                'L''année %s est close : son Bilan est publié. Ses enregistrements ne peuvent plus être créés, '
                'modifiés ni supprimés ; la coordination peut rouvrir l''année depuis le Bilan, avec un motif.',
                fermee
            );
    END IF;
    RETURN COALESCE(NEW, OLD);
END
$fonction$;
"""

# (table, colonne, table liée, colonne liée, colonnes libres, portée)
DECLENCHEURS = [
    ("permanences_permanence", "date", "", "", "creneau_id", "annee"),
    ("permanences_permanence_intervenants", "permanence_id", "permanences_permanence", "date", "", "annee"),
    (
        "permanences_arrivee",
        "permanence_id",
        "permanences_permanence",
        "date",
        "agent_id,annulee_par_id,enregistre_le,horodatage,modifie_le,prise_en_charge_le",
        "annee",
    ),
    ("permanences_refus", "date", "", "", "agent_id,annulee_par_id,modifie_le", "annee"),
    ("permanences_passage", "date", "", "", "arrivee_id,cree_par_id,modifie_le,note", "annee"),
    (
        "permanences_rendezvous",
        "date",
        "",
        "",
        "coordonnees_effacees_le,cree_par_id,modifie_le,nom_contact,telephone_contact",
        "annee",
    ),
    ("formations_sessionformation", "date", "", "", "", "annee"),
    ("formations_inscription", "session_id", "formations_sessionformation", "date", "email,nom", "annee"),
    ("formations_accompagnementformation", "date", "", "", "nom_professionnel", "annee"),
    ("rapports_chiffreexterne", "annee", "", "", "commentaire", "annee"),
    ("rapports_pointanalyse", "annee", "", "", "modifie_le,modifie_par_id", "annee"),
    ("rapports_suividonnees", "depuis", "", "", "commentaire", "dans_ou_avant"),
]


def installer(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FONCTION, params=None)
    for table, *arguments in DECLENCHEURS:
        litteraux = ", ".join("'" + a.replace("'", "''") + "'" for a in arguments)
        schema_editor.execute(f'DROP TRIGGER IF EXISTS annee_close ON "{table}"')
        schema_editor.execute(
            f'CREATE TRIGGER annee_close BEFORE INSERT OR UPDATE OR DELETE ON "{table}" '
            f"FOR EACH ROW EXECUTE FUNCTION inclusion_annee_close({litteraux})"
        )


def retirer(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, *_ in DECLENCHEURS:
        schema_editor.execute(f'DROP TRIGGER IF EXISTS annee_close ON "{table}"')
    schema_editor.execute("DROP FUNCTION IF EXISTS inclusion_annee_close()")


class Migration(migrations.Migration):
    dependencies = [
        ("inclusion", "0009_annuaire_national_rapprochement"),
        ("permanences", "0009_date_de_modification"),
        ("formations", "0004_champs_coop"),
        ("rapports", "0009_schemas_nationaux"),
    ]

    operations = [migrations.RunPython(installer, retirer, elidable=False)]
