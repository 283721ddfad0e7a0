# Traitement, FichierImporte et JetonApi passent dans les applications travaux, echanges et api (#32). Leurs tables
# restent (rapports_traitement, rapports_fichierimporte, rapports_jetonapi) : cette migration ne les retire que de
# l'état de rapports (SeparateDatabaseAndState, aucun SQL sur elles). Leurs types de contenu changent d'application
# sans changer d'identifiant : les permissions déjà données et le journal de l'administration les suivent.

from django.db import migrations

DEPLACES = {"traitement": "travaux", "fichierimporte": "echanges", "jetonapi": "api"}


def deplacer_types_de_contenu(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for modele, application in DEPLACES.items():
        if not ContentType.objects.filter(app_label=application, model=modele).exists():
            ContentType.objects.filter(app_label="rapports", model=modele).update(app_label=application)


def remettre_types_de_contenu(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for modele, application in DEPLACES.items():
        if not ContentType.objects.filter(app_label="rapports", model=modele).exists():
            ContentType.objects.filter(app_label=application, model=modele).update(app_label="rapports")


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("rapports", "0011_zeros_confirmes_suivi"),
        ("travaux", "0001_initial"),
        ("echanges", "0001_initial"),
        ("api", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="jetonapi", name="cree_par"),
                migrations.RemoveField(model_name="traitement", name="demande_par"),
                migrations.DeleteModel(name="FichierImporte"),
                migrations.DeleteModel(name="JetonApi"),
                migrations.DeleteModel(name="Traitement"),
            ],
            database_operations=[],
        ),
        migrations.RunPython(deplacer_types_de_contenu, remettre_types_de_contenu),
    ]
