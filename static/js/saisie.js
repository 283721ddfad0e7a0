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
