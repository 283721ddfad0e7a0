from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("permanences", "0004_date_des_passages")]

    operations = [
        migrations.AlterField(
            model_name="historicalpassage",
            name="date",
            field=models.DateField(editable=False, verbose_name="date"),
        ),
        migrations.AlterField(
            model_name="passage",
            name="date",
            field=models.DateField(editable=False, verbose_name="date"),
        ),
    ]
