// Saisie rapide d'un accompagnement : une durée en un tap, la démarche choisit le type de demande.
// Sans JavaScript, le formulaire marche aussi (champ de durée libre, boutons radio).
(function () {
  "use strict";
  const champDuree = document.querySelector("[name=duree_minutes]");
  const boutons = document.querySelectorAll("#durees [data-duree]");
  function marquer() {
    boutons.forEach(function (b) {
      b.setAttribute("aria-pressed", String(champDuree && b.dataset.duree === champDuree.value));
    });
  }
  boutons.forEach(function (bouton) {
    bouton.addEventListener("click", function () {
      champDuree.value = bouton.dataset.duree;
      marquer();
    });
  });
  if (champDuree) champDuree.addEventListener("input", marquer);

  // Choisir une démarche, c'est une aide aux démarches en ligne.
  const enLigne = document.querySelector("[name=type_demande][value=demarche_en_ligne]");
  document.querySelectorAll("[name=demarche]").forEach(function (radio) {
    radio.addEventListener("change", function () {
      if (enLigne) enLigne.checked = true;
    });
  });
})();

// Après une erreur : le résumé en haut dit quoi compléter ; le focus va au premier champ concerné (son premier
// bouton visible), chaque lien du résumé y mène.
(function () {
  "use strict";
  const resume = document.getElementById("resume-erreurs");
  if (!resume) return;
  function focaliser(ids) {
    const champ = ids.split(" ").map((id) => document.getElementById(id)).find(Boolean);
    if (!champ) return;
    const candidats = champ.matches("input, select, textarea, button") ? [champ] : [...champ.querySelectorAll("input:not([type=hidden]), select, textarea, button")];
    const cible = candidats.find(function (e) {
      const etiquette = e.id && document.querySelector('label[for="' + e.id + '"]');
      return (etiquette && e.classList.contains("btn-check") ? etiquette : e).getClientRects().length > 0;
    }) || champ;
    cible.focus({ preventScroll: true });
    champ.scrollIntoView({ block: "center" });
  }
  const liens = resume.querySelectorAll("a[data-focus]");
  liens.forEach(function (lien) {
    lien.addEventListener("click", function (e) { e.preventDefault(); focaliser(lien.dataset.focus); });
  });
  const premier = function () { if (liens.length) focaliser(liens[0].dataset.focus); else resume.focus(); };
  if (document.readyState === "complete") premier(); else window.addEventListener("load", premier);
})();
