"""Un validateur du standard des lieux de médiation numérique, construit à part du code qui produit nos lieux.

Les contraintes ci-dessous sont recopiées telles quelles du schema.json de LaMednum/standard-mediation-num au
tag v1.0.1 (https://raw.githubusercontent.com/LaMednum/standard-mediation-num/v1.0.1/schema.json) : l'ordre des
champs, leur type, « required », « pattern » (texte exact du schéma) et « maxLength ». Comme le veut Table Schema,
un motif porte sur la valeur entière (re.fullmatch) et une cellule CSV vide est une valeur absente. Changer de
tag : recopier ici le schema.json du nouveau tag, et pas depuis echanges/standard_lieux.py.
"""

import csv
import datetime
import io
import re

TAG = "v1.0.1"

_LISTE = "(?:(?:^|\\|)({}))+$"
# (nom, type, requis, motif, longueur maximale), dans l'ordre du schéma
CHAMPS = [
    ("id", "string", True, None, None),
    ("pivot", "string", True, "^[a-zA-Z0-9]{9,14}$", None),
    ("nom", "string", True, None, None),
    ("commune", "string", True, None, None),
    ("code_postal", "string", True, "^\\d{5}$", None),
    ("code_insee", "string", False, "^([013-9]\\d|2[AB1-9])\\d{3}$", None),
    ("adresse", "string", True, None, None),
    ("complement_adresse", "string", False, None, None),
    ("latitude", "number", False, None, None),
    ("longitude", "number", False, None, None),
    ("typologie", "string", False, None, None),
    (
        "telephone", "string", False,
        "^(\\+33|\\+590|\\+594|\\+262|\\+596|\\+269|\\+687|\\+689|\\+508|\\+681)(\\d){6,9}$", None,
    ),
    ("courriels", "string", False, None, None),
    ("site_web", "string", False, None, None),
    ("horaires", "string", False, None, None),
    ("presentation_resume", "string", False, None, 280),
    ("presentation_detail", "string", False, None, None),
    ("source", "string", False, None, None),
    ("itinerance", "string", False, "(?:(?:^|\\|)(Itinérant|Fixe))+$", None),
    ("structure_parente", "string", False, None, None),
    ("date_maj", "date", True, None, None),
    (
        "services", "string", False,
        "(?:(?:^|\\|)(Aide aux démarches administratives|Maîtrise des outils numériques du quotidien|Insertion "
        "professionnelle via le numérique|Utilisation sécurisée du numérique|Parentalité et éducation avec le "
        "numérique|Loisirs et créations numériques|Compréhension du monde numérique|Accès internet et matériel "
        "informatique|Acquisition de matériel informatique à prix solidaire))+$", None,
    ),
    (
        "publics_specifiquement_adresses", "string", False,
        "(?:(?:^|\\|)(Jeunes|Étudiants|Familles et/ou enfants|Seniors|Femmes))+$", None,
    ),
    (
        "prise_en_charge_specifique", "string", False,
        "(?:(?:^|\\|)(Surdité|Handicaps moteurs|Handicaps mentaux|Illettrisme|Langues étrangères \\(anglais\\)|"
        "Langues étrangères \\(autres\\)|Déficience visuelle))+$", None,
    ),
    ("frais_a_charge", "string", False, "(?:(?:^|\\|)(Gratuit|Gratuit sous condition|Payant))+$", None),
    (
        "dispositif_programmes_nationaux", "string", False,
        "(?:(?:^|\\|)(Aidants Connect|Bibliothèques numérique de référence|Certification PIX|Conseillers "
        "numériques|Emmaüs Connect|France Services|Grande école du numérique|La Croix Rouge|Point d'accès "
        "numérique CAF|Promeneurs du net|Relais numérique \\(Emmaüs Connect\\)))+$", None,
    ),
    (
        "formations_labels", "string", False,
        "(?:(?:^|\\|)(Formé à « Mon Espace Santé »|Formé à « DUPLEX » \\(illettrisme\\)|Arnia/MedNum BFC "
        "\\(Bourgogne-Franche-Comté\\)|Collectif ressources et acteurs réemploi \\(Normandie\\)|Fabriques de "
        "Territoire|Les Éclaireurs du numérique \\(Drôme\\)|Mes Papiers \\(Métropole de Lyon\\)|ORDI 3.0|SUD "
        "LABS \\(PACA\\)))+$", None,
    ),
    ("autres_formations_labels", "string", False, None, None),
    (
        "modalites_acces", "string", False,
        "(?:(?:^|\\|)(Se présenter|Téléphoner|Contacter par mail|Prendre un RDV en ligne|Ce lieu n'accueille pas "
        "de public|Envoyer un mail avec une fiche de prescription))+$", None,
    ),
    (
        "modalites_accompagnement", "string", False,
        "(?:(?:^|\\|)(En autonomie|Accompagnement individuel|Dans un atelier collectif|À distance))+$", None,
    ),
    ("fiche_acces_libre", "string", False, None, None),
    ("prise_rdv", "string", False, None, None),
]  # fmt: skip
NOMS = [c[0] for c in CHAMPS]


def violations_json(enregistrements):
    """Les violations d'une liste d'enregistrements JSON : un champ inconnu, un `null`, un type faux, un champ
    requis absent, un motif ou une longueur non respectés, un identifiant en double."""
    erreurs = []
    if len({e.get("id") for e in enregistrements}) != len(enregistrements):
        erreurs.append("id : valeurs en double")
    for n, e in enumerate(enregistrements):
        erreurs += [f"{n} {cle} : champ inconnu" for cle in e if cle not in NOMS]
        for nom, type_, requis, motif, longueur in CHAMPS:
            if nom not in e:
                if requis:
                    erreurs.append(f"{n} {nom} : requis")
                continue
            valeur = e[nom]
            if valeur is None:
                erreurs.append(f"{n} {nom} : null")
            elif type_ == "number":
                if isinstance(valeur, bool) or not isinstance(valeur, int | float):
                    erreurs.append(f"{n} {nom} : nombre attendu")
            elif not isinstance(valeur, str):
                erreurs.append(f"{n} {nom} : texte attendu")
            else:
                erreurs += _texte(n, nom, type_, motif, longueur, valeur)
    return erreurs


def _texte(n, nom, type_, motif, longueur, valeur):
    if valeur == "":
        return [f"{n} {nom} : vide"]
    if type_ == "date":
        try:
            datetime.date.fromisoformat(valeur)
        except ValueError:
            return [f"{n} {nom} : date invalide {valeur!r}"]
        return []
    erreurs = []
    if motif and not re.fullmatch(motif, valeur):
        erreurs.append(f"{n} {nom} : motif non respecté {valeur!r}")
    if longueur and len(valeur) > longueur:
        erreurs.append(f"{n} {nom} : plus de {longueur} caractères")
    return erreurs


def violations_csv(texte):
    """Les violations d'un fichier CSV du standard : en-têtes (toutes les colonnes, dans l'ordre), nombre de
    cellules par ligne, puis chaque cellule (vide = absente)."""
    lignes = list(csv.reader(io.StringIO(texte)))
    if not lignes or lignes[0] != NOMS:
        return ["en-têtes : les 32 colonnes du standard, dans son ordre, sont attendues"]
    erreurs = [
        f"ligne {i} : {len(ligne)} cellules" for i, ligne in enumerate(lignes[1:], 2) if len(ligne) != 32
    ]
    enregistrements = []
    for ligne in lignes[1:]:
        e = {}
        for (nom, type_, *_), cellule in zip(CHAMPS, ligne, strict=False):
            if cellule == "":
                continue
            if type_ == "number":
                try:
                    e[nom] = float(cellule)
                except ValueError:
                    e[nom] = cellule
            else:
                e[nom] = cellule
        enregistrements.append(e)
    return erreurs + violations_json(enregistrements)
