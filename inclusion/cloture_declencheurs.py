"""Les arguments des déclencheurs PostgreSQL des années closes, tirés de la déclaration de chaque modèle protégé
(inclusion.cloture) : les migrations inclusion 0010 et 0011 les écrivent en dur, et
tests/inclusion/test_cloture_introspection.py vérifie qu'ils suivent les modèles."""


def _colonnes_libres(modele):
    return ",".join(
        sorted(f.column for f in modele._meta.concrete_fields if f.name in modele.champs_hors_cloture)
    )


def arguments_du_declencheur(modele):
    """Les arguments du déclencheur PostgreSQL `annee_close` d'un modèle protégé, tirés de sa déclaration (les
    migrations les écrivent en dur ; un test vérifie qu'ils suivent le modèle) : colonne, table et colonne de la
    date lue à travers une relation, colonnes libres, portée ; pour une période (fonction
    inclusion_periode_close) : colonnes du début et de la fin, colonnes libres."""
    relation, _, reste = modele.champ_date_cloture.partition("__")
    champ = modele._meta.get_field(relation)
    libres = _colonnes_libres(modele)
    if modele.champ_fin_cloture:
        return (champ.column, modele._meta.get_field(modele.champ_fin_cloture).column, libres)
    if reste:
        cible = champ.related_model
        return (champ.column, cible._meta.db_table, cible._meta.get_field(reste).column, libres, "annee")
    par_defaut = (modele.fonction_sql_valeur_remplacee,) if modele.fonction_sql_valeur_remplacee else ()
    return (champ.column, "", "", libres, modele.portee_cloture, *par_defaut)


def arguments_des_annees_listees(modele):
    """Les arguments du déclencheur PostgreSQL `annees_listees_close` (fonction inclusion_annees_listees_close) :
    les colonnes qui listent des années ; () sans déclencheur."""
    return tuple(sorted(modele._meta.get_field(nom).column for nom in modele.champs_annees))
