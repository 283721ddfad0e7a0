from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("permanences", "0007_date_des_refus")]

    operations = [
        migrations.AlterField(
            model_name="historicalrefus",
            name="date",
            field=models.DateField(editable=False, verbose_name="date"),
        ),
        migrations.AlterField(
            model_name="refus",
            name="date",
            field=models.DateField(editable=False, verbose_name="date"),
        ),
    ]
