"""Le standard national des lieux de médiation numérique, tel que publié : LaMednum/standard-mediation-num,
schema.json au tag v1.0.1 (Table Schema ; https://github.com/LaMednum/standard-mediation-num/blob/v1.0.1/schema.json).

Ses contraintes sont redéclarées ici, champ par champ : l'ordre des 32 colonnes, les champs obligatoires, les
motifs (un motif Table Schema porte sur la valeur entière : re.fullmatch), les longueurs, les types. La version
1.0.2 de la branche principale (non étiquetée) ne diffère que par une valeur de `formations_labels`, champ que
nous ne remplissons pas : nos sorties sont valides dans les deux. Changer de tag : relire le schema.json du tag
dans le dépôt du standard et reporter ici chaque contrainte.

Le CSV du standard : virgule entre les colonnes, UTF-8, toutes les colonnes dans l'ordre même vides ; `|` entre
les valeurs multiples d'un champ. En JSON, un champ sans valeur est omis (jamais `null`).
"""

import datetime
import re

DEPOT = "LaMednum/standard-mediation-num"
TAG = "v1.0.1"
VERSION = "1.0.1"
URI = f"https://raw.githubusercontent.com/{DEPOT}/{TAG}/schema.json"
SEPARATEUR = "|"  # entre les valeurs multiples d'un champ

# Les 32 champs, dans l'ordre du schéma (colonnes du CSV).
CHAMPS = (
    "id", "pivot", "nom", "commune", "code_postal", "code_insee", "adresse", "complement_adresse", "latitude",
    "longitude", "typologie", "telephone", "courriels", "site_web", "horaires", "presentation_resume",
    "presentation_detail", "source", "itinerance", "structure_parente", "date_maj", "services",
    "publics_specifiquement_adresses", "prise_en_charge_specifique", "frais_a_charge",
    "dispositif_programmes_nationaux", "formations_labels", "autres_formations_labels", "modalites_acces",
    "modalites_accompagnement", "fiche_acces_libre", "prise_rdv",
)  # fmt: skip
OBLIGATOIRES = ("id", "pivot", "nom", "commune", "code_postal", "adresse", "date_maj")
NOMBRES = ("latitude", "longitude")
DATES = ("date_maj",)
LONGUEURS_MAX = {"presentation_resume": 280}


def _liste(*valeurs):
    """Le motif du standard pour une liste de valeurs séparées par `|` (recopié tel quel : « (?:(?:^|\\|)(…))+$ »)."""
    return r"(?:(?:^|\|)(" + "|".join(re.escape(v) for v in valeurs) + r"))+$"


ITINERANCE = ("Itinérant", "Fixe")
SERVICES = (
    "Aide aux démarches administratives", "Maîtrise des outils numériques du quotidien",
    "Insertion professionnelle via le numérique", "Utilisation sécurisée du numérique",
    "Parentalité et éducation avec le numérique", "Loisirs et créations numériques",
    "Compréhension du monde numérique", "Accès internet et matériel informatique",
    "Acquisition de matériel informatique à prix solidaire",
)  # fmt: skip
PUBLICS = ("Jeunes", "Étudiants", "Familles et/ou enfants", "Seniors", "Femmes")
PRISES_EN_CHARGE = (
    "Surdité", "Handicaps moteurs", "Handicaps mentaux", "Illettrisme", "Langues étrangères (anglais)",
    "Langues étrangères (autres)", "Déficience visuelle",
)  # fmt: skip
FRAIS = ("Gratuit", "Gratuit sous condition", "Payant")
DISPOSITIFS = (
    "Aidants Connect", "Bibliothèques numérique de référence", "Certification PIX", "Conseillers numériques",
    "Emmaüs Connect", "France Services", "Grande école du numérique", "La Croix Rouge",
    "Point d'accès numérique CAF", "Promeneurs du net", "Relais numérique (Emmaüs Connect)",
)  # fmt: skip
FORMATIONS_LABELS = (
    "Formé à « Mon Espace Santé »", "Formé à « DUPLEX » (illettrisme)", "Arnia/MedNum BFC (Bourgogne-Franche-Comté)",
    "Collectif ressources et acteurs réemploi (Normandie)", "Fabriques de Territoire",
    "Les Éclaireurs du numérique (Drôme)", "Mes Papiers (Métropole de Lyon)", "ORDI 3.0", "SUD LABS (PACA)",
)  # fmt: skip
MODALITES_ACCES = (
    "Se présenter", "Téléphoner", "Contacter par mail", "Prendre un RDV en ligne",
    "Ce lieu n'accueille pas de public", "Envoyer un mail avec une fiche de prescription",
)  # fmt: skip
MODALITES_ACCOMPAGNEMENT = (
    "En autonomie",
    "Accompagnement individuel",
    "Dans un atelier collectif",
    "À distance",
)

MOTIFS = {
    "pivot": r"^[a-zA-Z0-9]{9,14}$",
    "code_postal": r"^\d{5}$",
    "code_insee": r"^([013-9]\d|2[AB1-9])\d{3}$",
    "telephone": r"^(\+33|\+590|\+594|\+262|\+596|\+269|\+687|\+689|\+508|\+681)(\d){6,9}$",
    "itinerance": _liste(*ITINERANCE),
    "services": _liste(*SERVICES),
    "publics_specifiquement_adresses": _liste(*PUBLICS),
    "prise_en_charge_specifique": _liste(*PRISES_EN_CHARGE),
    "frais_a_charge": _liste(*FRAIS),
    "dispositif_programmes_nationaux": _liste(*DISPOSITIFS),
    "formations_labels": _liste(*FORMATIONS_LABELS),
    "modalites_acces": _liste(*MODALITES_ACCES),
    "modalites_accompagnement": _liste(*MODALITES_ACCOMPAGNEMENT),
}
LIBELLES = {
    "pivot": "SIRET (ou RNA)",
    "commune": "commune",
    "code_postal": "code postal",
    "code_insee": "code INSEE",
    "adresse": "adresse",
    "nom": "nom",
}


def multiple(*valeurs):
    """Plusieurs valeurs dans un champ, séparées comme le veut le standard."""
    return SEPARATEUR.join(valeurs)


def violations(lieu):
    """Ce qui, dans un lieu (dict ; une valeur vide compte comme absente), ne suit pas le standard au tag TAG :
    une liste de messages en français, vide si le lieu est conforme."""
    erreurs = []
    inconnus = sorted(set(lieu) - set(CHAMPS))
    erreurs += [f"{champ} : champ inconnu du standard" for champ in inconnus]
    for champ in CHAMPS:
        valeur = lieu.get(champ)
        if valeur is None or valeur == "":
            if champ in OBLIGATOIRES:
                erreurs.append(f"{LIBELLES.get(champ, champ)} à remplir")
            continue
        if champ in NOMBRES:
            if (
                isinstance(valeur, bool)
                or not isinstance(valeur, int | float | str)
                or isinstance(valeur, str)
                and not re.fullmatch(r"-?\d+(\.\d+)?", valeur)
            ):
                erreurs.append(f"{champ} : nombre attendu")
            continue
        if not isinstance(valeur, str):
            erreurs.append(f"{champ} : texte attendu")
            continue
        if champ in DATES:
            try:
                datetime.date.fromisoformat(valeur)
            except ValueError:
                erreurs.append(f"{champ} : date AAAA-MM-JJ attendue")
            continue
        if champ in MOTIFS and not re.fullmatch(MOTIFS[champ], valeur):
            erreurs.append(f"{LIBELLES.get(champ, champ)} invalide")
        if champ in LONGUEURS_MAX and len(valeur) > LONGUEURS_MAX[champ]:
            erreurs.append(f"{champ} : {LONGUEURS_MAX[champ]} caractères au plus")
    return erreurs
