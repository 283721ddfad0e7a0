# Le modèle JetonApi vient de rapports (#32) : sa table, rapports_jetonapi, est gardée telle quelle ; cette
# migration ne fait que le déclarer dans l'état de l'application api (SeparateDatabaseAndState, aucun SQL).

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
                name='JetonApi',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('nom', models.CharField(help_text="Qui s'en sert, pour quoi (« Métropole, tableau de bord »).", max_length=150, verbose_name='nom')),
                    ('prefixe', models.CharField(editable=False, max_length=12, verbose_name='début du jeton')),
                    ('empreinte', models.CharField(editable=False, max_length=64, unique=True, verbose_name='empreinte SHA-256')),
                    ('portees', models.JSONField(default=list, verbose_name='portées')),
                    ('cree_le', models.DateTimeField(auto_now_add=True, verbose_name='créé le')),
                    ('expire_le', models.DateTimeField(verbose_name='expire le')),
                    ('revoque_le', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='révoqué le')),
                    ('dernier_usage_le', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='dernier usage')),
                    ('cree_par', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': "jeton de l'API",
                    'verbose_name_plural': "jetons de l'API",
                    'db_table': 'rapports_jetonapi',
                    'ordering': ['-cree_le'],
                },
            ),
            ],
            database_operations=[],
        ),
    ]
