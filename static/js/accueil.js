// Accueil : pointages en un geste, tolérants aux coupures réseau.
// Chaque pointage reçoit un UUID dans le navigateur et est d'abord écrit dans localStorage,
// puis envoyé ; il ne quitte la file locale qu'une fois acquitté (ou refusé) par le serveur.
// Un renvoi du même UUID n'est jamais compté deux fois (contrainte d'unicité côté serveur).
(function () {
  "use strict";
  const racine = document.getElementById("accueil");
  if (!racine) return;
  const CLE = "inclusion.pointages.v1";
  const CLE_RECENTS = "inclusion.pointages-recents.v1";
  const delai = parseInt(racine.dataset.delaiAnnulation, 10) * 1000;
  const libelles = { arrivee: "Arrivée", refus: "Refus" };
  const codes = JSON.parse(document.getElementById("libelles-pointages").textContent);
  const annulees = {};  // permanence → dernier pointage annulé depuis sa carte (message « … annulée »)
  const vus = {};  // permanence → dernier pointage confirmé sur sa carte
  function heure(iso) { const t = new Date(iso); return t.getHours() + " h " + String(t.getMinutes()).padStart(2, "0"); }
  function profil(p) {  // « 40 à 59 ans, féminin » (arrivée) ou le motif (refus) ; "" si rien n'a été noté
    const morceaux = p.type === "refus" ? [codes.motif[p.motif]] : [codes.tranche_age[p.tranche_age], codes.genre[p.genre]];
    return morceaux.filter(Boolean).map(function (m, i) { return i ? m.toLowerCase() : m; }).join(", ");
  }
  function lieu(p) {
    const carte = document.querySelector('.permanence[data-permanence="' + p.permanence + '"]');
    return carte ? carte.dataset.lieu : "";
  }
  let envoiEnCours = false;

  function uuid4() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const o = crypto.getRandomValues(new Uint8Array(16));
    o[6] = (o[6] & 0x0f) | 0x40; o[8] = (o[8] & 0x3f) | 0x80;
    const h = Array.from(o, (b) => b.toString(16).padStart(2, "0")).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function lire(cle) { try { return JSON.parse(localStorage.getItem(cle) || "[]"); } catch (e) { return []; } }
  function ecrire(cle, v) { localStorage.setItem(cle, JSON.stringify(v)); }
  function file() { return lire(CLE); }

  // Compteurs : valeur serveur + pointages encore dans la file locale.
  function afficherCompteurs() {
    const enFile = file();
    document.querySelectorAll(".permanence[data-permanence]").forEach(function (carte) {
      const id = carte.dataset.permanence;
      const arr = enFile.filter((p) => String(p.permanence) === id && p.type === "arrivee").length;
      const ref = enFile.filter((p) => String(p.permanence) === id && p.type === "refus").length;
      const maj = { arrivees: +carte.dataset.arrivees + arr, en_attente: +carte.dataset.enAttente + arr, refus: +carte.dataset.refus + ref };
      Object.keys(maj).forEach(function (k) {
        const el = carte.querySelector('[data-compteur="' + k + '"]');
        if (el) el.textContent = maj[k];
      });
    });
    const n = enFile.length;
    const echecs = enFile.filter((p) => p.echec).length;
    const bandeau = document.getElementById("file-envoi");
    bandeau.textContent = n ? n + (n > 1 ? " pointages en attente d'envoi" : " pointage en attente d'envoi") + " : ils seront envoyés dès que possible." + (echecs ? " Dont " + echecs + " en échec (erreur du serveur), gardé" + (echecs > 1 ? "s" : "") + " et renvoyé" + (echecs > 1 ? "s" : "") + " automatiquement." : "") : "";
    bandeau.classList.toggle("d-none", n === 0);
  }
  function majServeur(permanence, compteurs) {
    const carte = document.querySelector('.permanence[data-permanence="' + permanence + '"]');
    if (!carte || !compteurs) return;
    carte.dataset.arrivees = compteurs.arrivees; carte.dataset.enAttente = compteurs.en_attente; carte.dataset.refus = compteurs.refus;
  }
  // Un pointage acquitté quitte la file locale : il passe dans les compteurs du serveur (relus ensuite).
  function compterAcquitte(p) {
    const carte = document.querySelector('.permanence[data-permanence="' + p.permanence + '"]');
    if (!carte) return;
    if (p.type === "arrivee") { carte.dataset.arrivees = +carte.dataset.arrivees + 1; carte.dataset.enAttente = +carte.dataset.enAttente + 1; }
    else { carte.dataset.refus = +carte.dataset.refus + 1; }
  }
  function erreur(message) {
    const el = document.getElementById("erreur-pointage");
    el.textContent = message || ""; el.classList.toggle("d-none", !message);
  }
  function etatReseau(texte) { document.getElementById("etat-reseau").textContent = texte; }

  async function poster(url, corps) {
    const reponse = await fetch(url, {
      method: "POST", credentials: "same-origin", redirect: "manual",
      headers: { "Content-Type": "application/json", "X-CSRFToken": window.jetonCsrf() },
      body: JSON.stringify(corps),
    });
    let donnees = null;
    try { donnees = await reponse.json(); } catch (e) { donnees = null; }
    return { statut: reponse.status, donnees: donnees };
  }

  // Envoie la file dans l'ordre. Une panne réseau arrête l'envoi (on réessaiera). Une erreur du serveur (5xx)
  // sur un pointage ne bloque pas les suivants : le pointage est gardé, marqué en échec avec la raison, remis en
  // fin de file, et l'envoi continue ; il sera réessayé au passage suivant.
  async function envoyer() {
    if (envoiEnCours) return;
    envoiEnCours = true;
    try {
      const essayes = new Set();
      let enFile = file();
      while (enFile.length && !essayes.has(enFile[0].uuid)) {
        const p = enFile[0];
        essayes.add(p.uuid);
        let r;
        try { r = await poster(racine.dataset.urlPointer, p); } catch (e) { etatReseau("Hors ligne : pointages gardés sur cette tablette."); return; }
        if (r.statut === 401) { erreur(r.donnees && r.donnees.erreur); return; }
        if (r.statut >= 500 || r.statut === 0 || !r.donnees) {
          p.echec = "erreur du serveur (" + (r.statut || "sans réponse") + ")";
          enFile = file().filter((x) => x.uuid !== p.uuid).concat([p]);
          ecrire(CLE, enFile);
          erreur("Pointage de " + p.horodatage.slice(11, 16) + " non enregistré : " + p.echec + ". Il est gardé et sera renvoyé.");
          afficherCompteurs();
          continue;
        }
        enFile = file().filter((x) => x.uuid !== p.uuid);
        ecrire(CLE, enFile);
        if (r.donnees.ok) { compterAcquitte(p); if (!enFile.some((x) => x.echec)) erreur(""); }
        else { retirerRecent(p.uuid); erreur("Pointage refusé : " + r.donnees.erreur); }
        afficherCompteurs(); afficherRecents();
      }
      etatReseau(enFile.some((x) => x.echec) ? "En ligne, avec des pointages en échec" : "En ligne");
    } finally { envoiEnCours = false; }
  }

  function recents() { return lire(CLE_RECENTS).filter((p) => Date.now() - Date.parse(p.horodatage) < delai); }
  function retirerRecent(u) { ecrire(CLE_RECENTS, lire(CLE_RECENTS).filter((p) => p.uuid !== u)); }
  function afficherRecents() {
    const liste = document.getElementById("derniers");
    liste.replaceChildren();
    recents().slice().reverse().forEach(function (p) {
      const li = document.createElement("li");
      li.className = "list-group-item d-flex justify-content-between align-items-center gap-2";
      const texte = heure(p.horodatage) + " · " + libelles[p.type] + " · " + lieu(p) + (profil(p) ? " · " + profil(p) : "");
      const span = document.createElement("span");
      span.textContent = texte;
      const b = document.createElement("button");
      b.type = "button"; b.className = "btn btn-outline-secondary btn-sm"; b.textContent = "Annuler";
      b.setAttribute("aria-label", "Annuler ce pointage : " + texte);
      b.addEventListener("click", function () { annuler(p.uuid); });
      li.append(span, b);
      liste.appendChild(li);
    });
    ecrire(CLE_RECENTS, recents());
    afficherConfirmations();
  }

  // Sur la carte touchée : « Arrivée notée à 14 h 02 — Annuler », l'annulation à portée de main pendant le délai.
  function afficherConfirmations() {
    const liste = recents();
    document.querySelectorAll(".permanence[data-permanence]").forEach(function (carte) {
      const zone = carte.querySelector("[data-confirmation]");
      if (!zone) return;
      const id = carte.dataset.permanence;
      const recent = liste.filter((p) => String(p.permanence) === id).pop();
      if (recent) vus[id] = recent;
      const dernier = recent || vus[id];  // le délai passé, la confirmation reste, sans « Annuler »
      const annule = annulees[id];
      const montre = annule && (!dernier || annule.horodatage >= dernier.horodatage) ? annule : dernier;
      const annulable = montre === recent;
      const cle = montre ? montre.uuid + (montre === annule ? ":annule" : annulable ? "" : ":passe") : "";
      if (zone.dataset.cle === cle) return;  // rien de neuf : la zone n'est pas relue par le lecteur d'écran
      zone.dataset.cle = cle;
      zone.replaceChildren();
      zone.classList.remove("notee", "annulee");
      if (!montre) return;
      const quoi = libelles[montre.type] + (montre.type === "refus" ? " noté" : " notée");
      const details = profil(montre) ? " (" + profil(montre) + ")" : "";
      const texte = document.createElement("span");
      if (montre === annule) {
        zone.classList.add("annulee");
        texte.textContent = libelles[montre.type] + " de " + heure(montre.horodatage) + " annulé" + (montre.type === "refus" ? "." : "e.");
        zone.append(texte);
        return;
      }
      zone.classList.add("notee");
      texte.textContent = quoi + " à " + heure(montre.horodatage) + details + (annulable ? " —" : ".");
      if (!annulable) { zone.append(texte); return; }
      const b = document.createElement("button");
      b.type = "button"; b.className = "btn btn-outline-secondary btn-sm"; b.textContent = "Annuler";
      b.setAttribute("aria-label", "Annuler : " + quoi.toLowerCase() + " à " + heure(montre.horodatage) + details);
      b.addEventListener("click", function () { annuler(montre.uuid); });
      zone.append(texte, b);
    });
  }

  function noterAnnulation(u) {
    const p = lire(CLE_RECENTS).find((x) => x.uuid === u);
    if (p) annulees[p.permanence] = p;
  }
  async function annuler(u) {
    const enFile = file();
    if (enFile.some((p) => p.uuid === u)) {  // jamais parti : on le retire simplement de la file locale
      noterAnnulation(u);
      ecrire(CLE, enFile.filter((p) => p.uuid !== u)); retirerRecent(u); afficherCompteurs(); afficherRecents(); return;
    }
    let r;
    try { r = await poster(racine.dataset.urlAnnuler, { uuid: u }); } catch (e) { erreur("Hors ligne : l'annulation n'a pas pu être envoyée."); return; }
    if (r.donnees && r.donnees.ok) {
      const p = lire(CLE_RECENTS).find((x) => x.uuid === u);
      if (p) majServeur(p.permanence, r.donnees.compteurs);
      noterAnnulation(u);
      retirerRecent(u); erreur("");
    } else { erreur((r.donnees && r.donnees.erreur) || "Annulation impossible."); }
    afficherCompteurs(); afficherRecents();
  }

  function pointer(bouton) {
    const carte = bouton.closest(".permanence");
    const p = { uuid: uuid4(), type: bouton.dataset.action, permanence: parseInt(carte.dataset.permanence, 10), horodatage: new Date().toISOString() };
    carte.querySelectorAll("[data-champ]").forEach(function (champ) {
      const deRefus = champ.dataset.champ === "motif" || champ.dataset.champ === "oriente_vers";
      const utile = (p.type === "refus") === deRefus;
      if (utile && champ.value) p[champ.dataset.champ] = champ.value;
      if (utile) champ.value = "";
    });
    carte.querySelectorAll("[data-profil]").forEach(function (groupe) {
      const choisi = groupe.querySelector('[aria-pressed="true"]');
      if (p.type === "arrivee" && choisi) p[groupe.dataset.profil] = choisi.dataset.valeur;
      if (p.type === "arrivee") groupe.querySelectorAll("button").forEach(function (b) { b.setAttribute("aria-pressed", "false"); });
    });
    delete annulees[p.permanence];
    if (p.type === "refus") carte.querySelectorAll("[data-orientation]").forEach(function (b) { b.classList.add("d-none"); });
    ecrire(CLE, file().concat([p]));
    ecrire(CLE_RECENTS, recents().concat([p]));
    afficherCompteurs(); afficherRecents();
    envoyer();
  }

  document.querySelectorAll("[data-action]").forEach(function (b) { b.addEventListener("click", function () { pointer(b); }); });
  document.querySelectorAll("[data-profil] button").forEach(function (b) {
    b.addEventListener("click", function () {
      const choisi = b.getAttribute("aria-pressed") !== "true";
      b.closest("[data-profil]").querySelectorAll("button").forEach(function (x) { x.setAttribute("aria-pressed", "false"); });
      b.setAttribute("aria-pressed", String(choisi));
    });
  });
  // « Orienté ailleurs » : une liste de structures apparaît, pour dire vers qui (un geste de plus).
  document.querySelectorAll('[data-champ="motif"]').forEach(function (motif) {
    motif.addEventListener("change", function () {
      const bloc = motif.closest(".permanence").querySelector("[data-orientation]");
      if (bloc) bloc.classList.toggle("d-none", motif.value !== "oriente_ailleurs");
    });
  });
  window.addEventListener("online", envoyer);
  window.addEventListener("offline", function () { etatReseau("Hors ligne : pointages gardés sur cette tablette."); });

  // Pointages récents connus du serveur (après un rechargement).
  const serveur = JSON.parse(document.getElementById("derniers-pointages").textContent);
  const connus = new Set(lire(CLE_RECENTS).map((p) => p.uuid));
  ecrire(CLE_RECENTS, lire(CLE_RECENTS).concat(serveur.filter((p) => !connus.has(p.uuid))));

  async function relireCompteurs() {
    if (file().length) return envoyer();
    try {
      const r = await fetch(racine.dataset.urlCompteurs, { credentials: "same-origin", redirect: "manual" });
      if (!r.ok) return;
      const d = await r.json();
      Object.keys(d.compteurs).forEach((id) => majServeur(id, d.compteurs[id]));
      afficherCompteurs(); etatReseau("En ligne");
    } catch (e) { /* hors ligne : on réessaiera */ }
  }
  if ("serviceWorker" in navigator && racine.dataset.urlSw) {
    navigator.serviceWorker.register(racine.dataset.urlSw).catch(function () { /* non bloquant */ });
  }
  afficherCompteurs(); afficherRecents();
  envoyer();
  setInterval(function () { envoyer(); afficherRecents(); }, 5000);
  setInterval(relireCompteurs, 10000);
  // Retour arrière ou onglet revenu au premier plan : la page peut venir du cache du navigateur
  // (back-forward cache) ; les compteurs sont relus aussitôt, jamais montrés périmés.
  window.addEventListener("pageshow", function (e) { if (e.persisted) relireCompteurs(); });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") relireCompteurs();
  });
})();
