"""L'heure écrite comme partout dans l'application : « 14 h 00 », « 9 h 30 » (gabarits : time:"G \\h i")."""


def heure_fr(heure):
    return f"{heure.hour} h {heure.minute:02d}" if heure is not None else ""
