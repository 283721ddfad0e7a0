# Le modèle Traitement vient de rapports (#32) : sa table, rapports_traitement, est gardée telle quelle ; cette
# migration ne fait que le déclarer dans l'état de l'application travaux (SeparateDatabaseAndState, aucun SQL).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("rapports", "0011_zeros_confirmes_suivi"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='Traitement',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('nature', models.CharField(choices=[('import', 'Import de fichiers'), ('export_complet', 'Export complet (zip de CSV)'), ('export_coop', 'Export pour la Coop (XLSX)'), ('export_tableau', 'Indicateurs du tableau de bord (XLSX)'), ('bilan', 'Rendu du Bilan (PDF et HTML)'), ('annuaire', "Import de l'annuaire national")], max_length=20, verbose_name='nature')),
                    ('statut', models.CharField(choices=[('en_attente', 'En attente'), ('en_cours', 'En cours'), ('termine', 'Terminé'), ('echoue', 'Échoué')], default='en_attente', max_length=20, verbose_name='statut')),
                    ('demande_le', models.DateTimeField(auto_now_add=True, verbose_name='demandé le')),
                    ('commence_le', models.DateTimeField(blank=True, null=True, verbose_name='commencé le')),
                    ('termine_le', models.DateTimeField(blank=True, null=True, verbose_name='terminé le')),
                    ('parametres', models.JSONField(blank=True, default=dict, verbose_name='paramètres')),
                    ('fichier', models.FileField(blank=True, max_length=200, upload_to='traitements/%Y/%m/', verbose_name='fichier')),
                    ('nom_fichier', models.CharField(blank=True, max_length=200, verbose_name='nom du fichier')),
                    ('progression', models.JSONField(blank=True, default=dict, verbose_name='progression')),
                    ('resultat', models.JSONField(blank=True, default=dict, verbose_name='résultat')),
                    ('message', models.TextField(blank=True, verbose_name='message')),
                    ('processus', models.CharField(blank=True, max_length=200, verbose_name='processus')),
                    ('tache', models.UUIDField(blank=True, null=True, verbose_name='tâche django-tasks')),
                    ('demande_par', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'traitement de fond',
                    'verbose_name_plural': 'traitements de fond',
                    'db_table': 'rapports_traitement',
                    'ordering': ['-demande_le', '-pk'],
                    'indexes': [models.Index(fields=['nature', 'statut'], name='traitement_nature_statut')],
                },
            ),
            ],
            database_operations=[],
        ),
    ]
