# Le modèle FichierImporte vient de rapports (#32) : sa table, rapports_fichierimporte, est gardée telle quelle ; cette
# migration ne fait que le déclarer dans l'état de l'application echanges (SeparateDatabaseAndState, aucun SQL).

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
                name='FichierImporte',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('nom', models.CharField(max_length=100, verbose_name='fichier')),
                    ('empreinte', models.CharField(max_length=64, unique=True, verbose_name='empreinte SHA-256')),
                    ('lignes', models.PositiveIntegerField(verbose_name='lignes')),
                    ('importe_le', models.DateTimeField(auto_now_add=True, verbose_name='importé le')),
                    ('importe_par', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'fichier importé',
                    'verbose_name_plural': 'fichiers importés',
                    'db_table': 'rapports_fichierimporte',
                    'ordering': ['-importe_le'],
                },
            ),
            ],
            database_operations=[],
        ),
    ]
