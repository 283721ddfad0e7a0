"""Comment chaque ligne d'un fichier d'échange devient un enregistrement : une méthode de lecture par fichier
(lecture des cellules par leur déclaration, règles entre colonnes), une méthode d'écriture pour les fichiers
écrits par lots, à travers les services des applications (qui tiennent le journal des modifications). Qui traite
quel fichier est déclaré fichier par fichier dans TRAITEMENTS, en bas."""

import datetime
import uuid

from django.utils import timezone

from formations import services_en_masse as formations_en_masse
from formations.enums import Presence
from formations.models import AccompagnementFormation, Inscription, SessionFormation
from formations.services import creer_theme
from inclusion.echanges import ErreurLigne, sans_accents
from inclusion.enums import Fonction
from inclusion.journal import RAISON_IMPORT
from inclusion.services import creer_intervenant, creer_lieu, creer_quartier, creer_structure
from permanences import services_en_masse as permanences_en_masse
from permanences.enums import StatutRendezVous, TypeDemande
from permanences.models import Arrivee, Creneau, Passage, Permanence, Refus, RendezVous
from permanences.services import creer_creneau
from rapports.analyse import cles_inconnues
from rapports.models import ChiffreExterne, PointAnalyse
from rapports.services import ajouter_point, modifier_point

DEMARCHE_OBLIGATOIRE = "démarche obligatoire pour une aide aux démarches en ligne"
SECTIONS_DU_BILAN = {"permanences", "rendez_vous", "arcs", "formations", "dispositif"}


class Enregistrements:
    """Méthodes de l'Importeur propres à chaque fichier : `self.index` (noms → identifiants), `self.user`,
    `self.rapport`, `self._index_permanences` et `self._index_sessions` viennent de lui."""

    # Référentiel : créé à la lecture (les fichiers suivants le désignent) -------------------------------
    def _nouveau(self, sorte, ligne, creer):
        nom = ligne["nom"]
        ligne.verifier()
        if sans_accents(nom) not in self.index[sorte]:
            self.index[sorte][sans_accents(nom)] = creer(nom).pk

    def _lieux(self, ligne):
        adresse = ligne["adresse"] or ""
        self._nouveau("lieu", ligne, lambda nom: creer_lieu(nom=nom, adresse=adresse))

    def _structures(self, ligne):
        self._nouveau("structure", ligne, lambda nom: creer_structure(nom=nom))

    def _themes(self, ligne):
        self._nouveau("theme", ligne, lambda nom: creer_theme(nom=nom))

    def _quartiers(self, ligne):
        qpv = bool(ligne["qpv"])
        self._nouveau("quartier", ligne, lambda nom: creer_quartier(nom=nom, qpv=qpv))

    def _intervenants(self, ligne):
        structure, fonction, lieux = (
            ligne["structure"],
            ligne["fonction"] or Fonction.MEDIATEUR,
            ligne["lieux"],
        )

        self._nouveau(
            "intervenant",
            ligne,
            lambda nom: creer_intervenant(nom=nom, structure=structure, fonction=fonction, lieux=lieux),
        )

    @staticmethod
    def _horaires(ligne, debut="heure_debut", fin="heure_fin"):
        debut, fin = ligne[debut], ligne[fin]
        if debut and fin and fin <= debut:
            ligne.erreur("heure_fin", "l'heure de fin doit suivre l'heure de début")
        return debut, fin

    def _creneaux(self, ligne):
        lieu, jour = ligne["lieu"], ligne["jour"]
        debut, fin = self._horaires(ligne)
        du, au = ligne["valide_du"], ligne["valide_au"]
        if du and au and au < du:
            ligne.erreur("valide_au", "la fin de validité précède le début")
        mediateurs = ligne["mediateurs"]
        ligne.verifier()
        existe = Creneau.objects.filter(
            lieu_id=lieu, jour_semaine=jour, heure_debut=debut, valide_du=du
        ).exists()
        if not self.rapport and not existe:
            creer_creneau(
                lieu=lieu,
                jour_semaine=jour,
                heure_debut=debut,
                heure_fin=fin,
                valide_du=du,
                valide_au=au,
                intervenants=mediateurs,
            )

    # Permanences, passages, refus ---------------------------------------------------------------------
    def permanences(self):
        """(lieu, date) → {heure de début: id} de toutes les permanences, chargé une fois."""
        if self._index_permanences is None:
            self._index_permanences = {}
            for pk, lieu, date, heure in Permanence.objects.values_list(
                "pk", "lieu_id", "date", "heure_debut"
            ):
                self._index_permanences.setdefault((lieu, date), {})[heure] = pk
        return self._index_permanences

    def _permanence(self, ligne):
        """(identifiant, date) de la permanence de ce lieu ce jour-là (à cette heure s'il y en a plusieurs)."""
        lieu, date, heure = ligne["lieu"], ligne["date"], ligne["heure_debut_permanence"]
        if lieu is None or date is None or (heure is None and ligne.brut("heure_debut_permanence")):
            return None, date
        du_jour = self.permanences().get((lieu, date), {})
        if heure is not None:
            if heure not in du_jour:
                ligne.erreur(
                    "heure_debut_permanence", f"aucune permanence ce jour-là à {heure:%H:%M} dans ce lieu"
                )
                return None, date
            return du_jour[heure], date
        if not du_jour:
            ligne.erreur(
                "date", "aucune permanence ce jour-là dans ce lieu (ajoutez-la dans permanences.csv)"
            )
        elif len(du_jour) > 1:
            ligne.erreur(
                "heure_debut_permanence", "plusieurs permanences ce jour-là dans ce lieu : précisez l'heure"
            )
        else:
            return next(iter(du_jour.values())), date
        return None, date

    def _permanences(self, ligne):
        lieu, date = ligne["lieu"], ligne["date"]
        debut, fin = self._horaires(ligne)
        annulee, mediateurs = bool(ligne["annulee"]), ligne["mediateurs"]
        ligne.verifier()
        return Permanence(
            lieu_id=lieu, date=date, heure_debut=debut, heure_fin=fin, annulee=annulee
        ), mediateurs

    def _ecrire_permanences(self, lot):
        """Les permanences déjà présentes (lieu, date, heure de début) sont gardées telles quelles."""
        index = self.permanences()
        nouvelles = {}
        for permanence, mediateurs in lot:
            cle = (permanence.lieu_id, permanence.date, permanence.heure_debut)
            if permanence.heure_debut not in index.get(cle[:2], {}) and cle not in nouvelles:
                nouvelles[cle] = (permanence, mediateurs)
        for creee in permanences_en_masse.creer_permanences(list(nouvelles.values())):
            index.setdefault((creee.lieu_id, creee.date), {})[creee.heure_debut] = creee.pk

    def _demarche(self, ligne, type_demande):
        """La démarche, obligatoire pour une aide aux démarches en ligne, sans objet pour l'aide technique."""
        demarche = ligne["demarche"]
        if type_demande == TypeDemande.DEMARCHE_EN_LIGNE and demarche is None and not ligne.brut("demarche"):
            ligne.erreur("demarche", DEMARCHE_OBLIGATOIRE)
        return None if type_demande == TypeDemande.ACCOMPAGNEMENT_TECHNIQUE else demarche

    def _passages(self, ligne):
        permanence, date = self._permanence(ligne)
        type_demande = ligne["type_demande"]
        valeurs = (
            permanence,
            type_demande,
            self._demarche(ligne, type_demande),
            ligne["duree_minutes"],
            ligne["autonomie"],
            ligne["tranche_age"],
            ligne["genre"],
            bool(ligne["autre_venue_necessaire"]),
            ligne["attente_minutes"],
            date,
            ligne["oriente_vers"],
            Passage.encoder_freins(ligne["freins"] or []),
            ligne["quartier"],
        )
        ligne.verifier()
        return valeurs

    def _ecrire_passages(self, lot):
        permanences_en_masse.creer_passages(lot, auteur=self.user)

    def _refus(self, ligne):
        permanence, date = self._permanence(ligne)
        nombre, motif, oriente_vers = ligne["nombre"], ligne["motif"] or "", ligne["oriente_vers"]
        ligne.verifier()
        heure = ligne["heure_debut_permanence"] or datetime.time(12, 0)
        horodatage = timezone.make_aware(datetime.datetime.combine(date, heure))
        return [
            Refus(
                uuid=uuid.uuid4(),
                permanence_id=permanence,
                horodatage=horodatage,
                motif=motif,
                oriente_vers_id=oriente_vers,
                date=date,
            )
            for _ in range(nombre)
        ]

    def _ecrire_refus(self, lot):
        permanences_en_masse.creer_refus([refus for ligne in lot for refus in ligne], auteur=self.user)

    def _arrivees(self, ligne):
        """Une arrivée pointée à l'accueil : son heure, son profil, son annulation (à l'heure de l'arrivée : le
        fichier ne dit pas quand elle a été annulée)."""
        permanence, date = self._permanence(ligne)
        heure, tranche_age, genre, annulee = (
            ligne["heure"],
            ligne["tranche_age"],
            ligne["genre"],
            ligne["annulee"],
        )
        ligne.verifier()
        horodatage = timezone.make_aware(datetime.datetime.combine(date, heure))
        return Arrivee(
            uuid=uuid.uuid4(),
            permanence_id=permanence,
            horodatage=horodatage,
            tranche_age=tranche_age or "",
            genre=genre or "",
            annulee_le=horodatage if annulee else None,
        )

    def _ecrire_arrivees(self, lot):
        permanences_en_masse.creer_arrivees(lot)

    def _rendez_vous(self, ligne):
        statut, duree, type_demande = ligne["statut"], ligne["duree_minutes"], ligne["type_demande"] or ""
        if statut == StatutRendezVous.HONORE and duree is None and not ligne.brut("duree_minutes"):
            ligne.erreur("duree_minutes", "durée obligatoire pour un rendez-vous honoré")
        rendez_vous = RendezVous(
            date=ligne["date"],
            heure=ligne["heure"],
            service=ligne["service"],
            lieu_id=ligne["lieu"],
            intervenant_id=ligne["intervenant"],
            duree_minutes=duree,
            motif=ligne["motif"] or "",
            type_demande=type_demande,
            demarche_id=self._demarche(ligne, type_demande),
            tranche_age=ligne["tranche_age"],
            genre=ligne["genre"],
            statut=statut,
            quartier_id=ligne["quartier"],
        )
        ligne.verifier()
        return rendez_vous

    def _ecrire_rendez_vous(self, lot):
        permanences_en_masse.creer_rendez_vous(lot, auteur=self.user)

    # Formations -------------------------------------------------------------------------------------
    def _sessions_formation(self, ligne):
        debut, fin = self._horaires(ligne)
        session = SessionFormation(
            date=ligne["date"],
            theme_id=ligne["theme"],
            statut=ligne["statut"],
            lieu_id=ligne["lieu"],
            formateur_id=ligne["formateur"],
            heure_debut=debut,
            heure_fin=fin,
            capacite=ligne["capacite"] or 12,
        )
        ligne.verifier()
        session._history_user, session._change_reason = self.user, RAISON_IMPORT
        session.save()
        if self._index_sessions is not None:
            self._index_sessions.setdefault((session.theme_id, session.date), []).append(session.pk)

    def sessions(self):
        if self._index_sessions is None:
            self._index_sessions = {}
            for pk, theme, date in SessionFormation.objects.values_list("pk", "theme_id", "date"):
                self._index_sessions.setdefault((theme, date), []).append(pk)
        return self._index_sessions

    def _inscriptions(self, ligne):
        theme, date, structure = ligne["theme"], ligne["date_session"], ligne["structure"]
        nom, email, present = ligne["nom"] or "", ligne["email"] or "", ligne["present"]
        if email and "@" not in email:
            ligne.erreur("email", f"adresse de courriel invalide « {email[:60]} »")
        ligne.verifier()
        sessions = self.sessions().get((theme, date), [])
        if not sessions:
            raise ErreurLigne("date_session", "aucune session de ce thème à cette date")
        if len(sessions) > 1:
            raise ErreurLigne("date_session", "plusieurs sessions de ce thème à cette date")
        presence = {True: Presence.PRESENT, False: Presence.ABSENT}.get(present, Presence.INCONNUE)
        return Inscription(
            session_id=sessions[0], structure_id=structure, nom=nom, email=email, present=presence
        )

    def _ecrire_inscriptions(self, lot):
        formations_en_masse.creer_inscriptions(lot, auteur=self.user)

    def _accompagnements_formation(self, ligne):
        accompagnement = AccompagnementFormation(
            date=ligne["date"],
            duree_minutes=ligne["duree_minutes"],
            structure_id=ligne["structure"],
            theme_id=ligne["theme"],
        )
        ligne.verifier()
        return accompagnement

    def _ecrire_accompagnements_formation(self, lot):
        formations_en_masse.creer_accompagnements(lot)

    # Chiffres déclarés et analyse du Bilan ----------------------------------------------------------------
    def _chiffres_externes(self, ligne):
        annee, indicateur, valeur, source = (
            ligne["annee"],
            ligne["indicateur"],
            ligne["valeur"],
            ligne["source"],
        )
        section, _, cle = (indicateur or "").partition(".")
        if indicateur and (not cle or section not in SECTIONS_DU_BILAN):
            ligne.erreur(
                "indicateur", f"indicateur « {indicateur[:60]} » inconnu (chemin du Bilan JSON attendu)"
            )
        ligne.verifier()
        chiffre = ChiffreExterne.objects.filter(annee=annee, indicateur=indicateur).first()
        chiffre = chiffre or ChiffreExterne(annee=annee, indicateur=indicateur)
        chiffre.valeur, chiffre.source = valeur, source or ""
        chiffre._history_user, chiffre._change_reason = self.user, RAISON_IMPORT
        chiffre.save()

    def _analyses(self, ligne):
        annee, section, ordre = ligne["annee"], ligne["section"], ligne["ordre"]
        titre, texte = ligne["titre"] or "", ligne["texte"] or ""
        if len(titre) > 200:
            ligne.erreur("titre", "200 caractères au plus")
        if len(texte) > 2000:
            ligne.erreur("texte", "2 000 caractères au plus")
        if not titre and not texte:
            ligne.erreur("texte", "un point a un titre ou un texte")
        if inconnues := cles_inconnues(texte):
            ligne.erreur("texte", f"clé inconnue : {{{inconnues[0][:60]}}}")
        ligne.verifier()
        point = PointAnalyse.objects.filter(annee=annee, section=section, ordre=ordre).first()
        if point is None:
            ajouter_point(
                annee=annee,
                section=section,
                titre=titre,
                texte=texte,
                auteur=self.user,
                ordre=ordre,
                raison=RAISON_IMPORT,
            )
        else:
            modifier_point(point, titre=titre, texte=texte, auteur=self.user, raison=RAISON_IMPORT)


# Qui traite chaque fichier d'échange (formats.FICHIERS) : la lecture d'une ligne, et l'écriture d'un lot pour les
# fichiers écrits par lots (None : chaque ligne est écrite à sa lecture). tests/echanges/test_echanges.py vérifie
# que chaque fichier déclaré a le sien.
TRAITEMENTS = {
    "lieux.csv": (Enregistrements._lieux, None),
    "structures.csv": (Enregistrements._structures, None),
    "quartiers.csv": (Enregistrements._quartiers, None),
    "intervenants.csv": (Enregistrements._intervenants, None),
    "themes.csv": (Enregistrements._themes, None),
    "creneaux.csv": (Enregistrements._creneaux, None),
    "permanences.csv": (Enregistrements._permanences, Enregistrements._ecrire_permanences),
    "passages.csv": (Enregistrements._passages, Enregistrements._ecrire_passages),
    "refus.csv": (Enregistrements._refus, Enregistrements._ecrire_refus),
    "arrivees.csv": (Enregistrements._arrivees, Enregistrements._ecrire_arrivees),
    "rendez_vous.csv": (Enregistrements._rendez_vous, Enregistrements._ecrire_rendez_vous),
    "sessions_formation.csv": (Enregistrements._sessions_formation, None),
    "inscriptions.csv": (Enregistrements._inscriptions, Enregistrements._ecrire_inscriptions),
    "accompagnements_formation.csv": (
        Enregistrements._accompagnements_formation,
        Enregistrements._ecrire_accompagnements_formation,
    ),
    "chiffres_externes.csv": (Enregistrements._chiffres_externes, None),
    "analyses.csv": (Enregistrements._analyses, None),
}
