from django.db import migrations

ROLES = ["accueil", "mediation", "formation", "arcs", "coordination"]

# (code, libellé, thématique de la Coop, ordre)
DEMARCHES = [
    ("prefecture_etrangers", "Préfecture – droit des étrangers", "etrangers_europe", 10),
    ("ants", "ANTS (titres d'identité, permis, carte grise)", "papiers_elections_citoyennete", 20),
    ("caf", "CAF", "social_sante", 30),
    ("assurance_maladie", "Assurance maladie (Ameli)", "social_sante", 40),
    ("france_travail", "France Travail", "travail_formation_entreprise", 50),
    ("impots", "Impôts", "argent_impots", 60),
    ("retraite", "Retraite", "social_sante", 70),
    ("logement", "Logement", "logement", 80),
    ("energie", "Énergie (électricité, gaz, eau)", "logement", 90),
    ("banque", "Banque", "argent_impots", 100),
    ("scolarite", "Scolarité", "famille_scolarite", 110),
    ("justice", "Justice", "justice", 120),
    ("transports", "Transports", "transports_mobilite", 130),
    ("autre", "Autre démarche", "papiers_elections_citoyennete", 900),
]


def creer(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Demarche = apps.get_model("inclusion", "Demarche")
    for role in ROLES:
        Group.objects.get_or_create(name=role)
    for code, libelle, thematique, ordre in DEMARCHES:
        Demarche.objects.get_or_create(
            code=code, defaults={"libelle": libelle, "thematique": thematique, "ordre": ordre}
        )


def supprimer(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()
    apps.get_model("inclusion", "Demarche").objects.filter(code__in=[d[0] for d in DEMARCHES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("inclusion", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(creer, supprimer)]
