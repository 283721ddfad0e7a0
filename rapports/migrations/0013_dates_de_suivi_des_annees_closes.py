"""Les années déjà closes : chaque famille sans date de suivi fixée reçoit celle qu'elle a par défaut aujourd'hui
(rapports.models.dates_de_suivi_a_figer, sur les modèles historiques), comme le fait désormais chaque publication.
Un enregistrement ajouté ensuite dans une année ouverte antérieure ne change plus ce qu'une année close dit
connu ou inconnu. Sans année close, rien n'est écrit.

Sur PostgreSQL, un déclencheur refuse de plus la suppression d'une date de suivi dès qu'une année est close (la
garde Python : rapports.models.verifier_suppression_d_un_suivi), même en SQL brut."""

from django.db import migrations


def figer(apps, schema_editor):
    from rapports.models import dates_de_suivi_a_figer

    cloture = apps.get_model("inclusion", "ClotureAnnee")
    if not cloture.objects.filter(close=True).exists():
        return
    suivi = apps.get_model("rapports", "SuiviDonnees")
    dates = dates_de_suivi_a_figer(
        suivi=suivi,
        cloture=cloture,
        passage=apps.get_model("permanences", "Passage"),
        refus=apps.get_model("permanences", "Refus"),
        arrivee=apps.get_model("permanences", "Arrivee"),
    )
    for famille, depuis in dates.items():
        suivi.objects.create(
            famille=famille,
            depuis=depuis,
            commentaire="Date fixée à la mise à jour (années déjà closes : la date par défaut de ce jour-là).",
        )


SUPPRESSION = r"""
CREATE OR REPLACE FUNCTION rapports_suivi_suppression_close() RETURNS trigger LANGUAGE plpgsql AS $fonction$
DECLARE
    fermee int;
BEGIN
    SELECT min(annee) INTO fermee FROM inclusion_clotureannee WHERE close;
    IF fermee IS NOT NULL THEN
        RAISE EXCEPTION USING
            ERRCODE = 'check_violation',
            CONSTRAINT = 'annee_close',
            MESSAGE = format(
                'L''année %s est close : son Bilan est publié. Une date de suivi ne peut plus être supprimée '
                '(elle dit ce que l''année close a de connu) ; modifiez-la, ou rouvrez l''année depuis le Bilan.',
                fermee
            );
    END IF;
    RETURN OLD;
END;
$fonction$;
DROP TRIGGER IF EXISTS rapports_suivi_suppression_close ON rapports_suividonnees;
CREATE TRIGGER rapports_suivi_suppression_close BEFORE DELETE ON rapports_suividonnees
    FOR EACH ROW EXECUTE FUNCTION rapports_suivi_suppression_close();
"""
RETRAIT = r"""
DROP TRIGGER IF EXISTS rapports_suivi_suppression_close ON rapports_suividonnees;
DROP FUNCTION IF EXISTS rapports_suivi_suppression_close();
"""


def _sur_postgresql(sql):
    def executer(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, None)  # sans paramètres : les %s de format() restent tels quels

    return executer


class Migration(migrations.Migration):
    dependencies = [
        ("inclusion", "0011_creneaux_et_zeros_confirmes_en_base"),
        ("permanences", "0010_lieux_habituels_de_l_accueil"),
        ("rapports", "0012_modeles_vers_travaux_echanges_api"),
    ]

    operations = [
        migrations.RunPython(figer, migrations.RunPython.noop),
        migrations.RunPython(_sur_postgresql(SUPPRESSION), _sur_postgresql(RETRAIT)),
    ]
