"""Le client HTTP du test de charge de l'accueil : un agent, une connexion persistante, asyncio."""

import asyncio
import re
import urllib.parse

HOTE = "127.0.0.1"
MOT_DE_PASSE = "charge-accueil-2024"
DELAI = 2.0  # secondes sans réponse avant de renvoyer le pointage


class EchecReseau(Exception):
    """Pas de réponse à temps, ou connexion coupée : le pointage sera renvoyé avec le même UUID."""


class Client:
    """Un agent : une connexion HTTP/1.1 persistante, sa session et son jeton CSRF (cookies gérés à la main).

    Tous les agents tournent dans une seule boucle asyncio : le client de charge, qui partage la machine avec
    l'application et PostgreSQL, prend le moins de CPU possible et ne se gêne pas lui-même (pas de GIL disputé).
    """

    def __init__(self, port):
        self.port, self.cookies = port, {}
        self.lecteur = self.ecrivain = None

    def fermer(self):
        if self.ecrivain is not None:
            self.ecrivain.close()
        self.lecteur = self.ecrivain = None

    async def connecter(self, username):
        page = (await self.requete("GET", "/connexion/", delai=120))[1]
        jeton = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        corps = urllib.parse.urlencode(
            {"username": username, "password": MOT_DE_PASSE, "csrfmiddlewaretoken": jeton}
        )
        # Connexion : le hachage du mot de passe est lent, volontairement.
        await self.requete(
            "POST", "/connexion/", corps.encode(), "application/x-www-form-urlencoded", delai=120
        )
        if "sessionid" not in self.cookies:
            raise RuntimeError(f"connexion impossible pour {username}")

    async def requete(self, methode, chemin, corps=b"", type_contenu=None, delai=DELAI):
        entetes = [
            f"{methode} {chemin} HTTP/1.1",
            f"Host: {HOTE}:{self.port}",
            "X-Forwarded-Proto: https",  # derrière un proxy HTTPS, comme en production
            f"Referer: https://{HOTE}:{self.port}/",
            f"Content-Length: {len(corps)}",
        ]
        if type_contenu:
            entetes.append(f"Content-Type: {type_contenu}")
        if self.cookies:
            entetes.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if "csrftoken" in self.cookies:
            entetes.append(f"X-CSRFToken: {self.cookies['csrftoken']}")
        try:
            if self.ecrivain is None:
                self.lecteur, self.ecrivain = await asyncio.wait_for(
                    asyncio.open_connection(HOTE, self.port), delai
                )
            self.ecrivain.write(("\r\n".join(entetes) + "\r\n\r\n").encode() + corps)
            return await asyncio.wait_for(self._lire_reponse(), delai)
        except (TimeoutError, OSError, EOFError, ValueError, asyncio.IncompleteReadError) as erreur:
            self.fermer()
            raise EchecReseau from erreur

    async def _lire_reponse(self):
        tete = (await self.lecteur.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        statut, longueur, morceaux, fermer = int(tete[0].split()[1]), 0, False, False
        for ligne in tete[1:]:
            nom, _, valeur = ligne.partition(":")
            nom, valeur = nom.strip().lower(), valeur.strip()
            if nom == "content-length":
                longueur = int(valeur)
            elif nom == "transfer-encoding":
                morceaux = "chunked" in valeur.lower()
            elif nom == "connection":
                fermer = valeur.lower() == "close"
            elif nom == "set-cookie":
                cle, _, reste = valeur.partition("=")
                self.cookies[cle.strip()] = reste.split(";", 1)[0]
        if morceaux:
            contenu = b""
            while taille := int((await self.lecteur.readuntil(b"\r\n")).split(b";")[0], 16):
                contenu += (await self.lecteur.readexactly(taille + 2))[:-2]
            await self.lecteur.readuntil(b"\r\n")
        else:
            contenu = await self.lecteur.readexactly(longueur)
        if fermer:
            self.fermer()
        return statut, contenu
