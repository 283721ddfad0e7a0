"""Les années déjà closes : chaque famille sans date de suivi fixée reçoit celle qu'elle a par défaut aujourd'hui
(rapports.models.dates_de_suivi_a_figer, sur les modèles historiques), comme le fait désormais chaque publication.
Un enregistrement ajouté ensuite dans une année ouverte antérieure ne change plus ce qu'une année close dit
connu ou inconnu. Sans année close, rien n'est écrit."""

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


class Migration(migrations.Migration):
    dependencies = [
        ("inclusion", "0011_creneaux_et_zeros_confirmes_en_base"),
        ("permanences", "0010_lieux_habituels_de_l_accueil"),
        ("rapports", "0012_modeles_vers_travaux_echanges_api"),
    ]

    operations = [migrations.RunPython(figer, migrations.RunPython.noop)]
