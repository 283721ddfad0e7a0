// Saisie groupée : une ligne ajoutée sans recharger la page (clone du <template>), le focus sur la première ligne
// à compléter après une erreur, une durée tapée ou choisie (jamais les deux). Sans JavaScript, « Ajouter une
// ligne » recharge la page en gardant ce qui est saisi.
(function () {
  "use strict";
  const form = document.getElementById("saisie-groupee");
  if (!form) return;
  const lignes = document.getElementById("lignes");
  const modele = document.getElementById("modele-ligne");
  const total = form.querySelector("[name=form-TOTAL_FORMS]");
  const annonce = document.getElementById("annonce-lignes");
  const plafond = parseInt(form.dataset.plafond, 10);

  // Le focus va au premier bouton visible du champ (une ligne, si le champ n'en a pas).
  function focaliser(id) {
    const champ = document.getElementById(id);
    if (!champ) return;
    const boutons = [...champ.querySelectorAll("input")].filter(function (i) {
      const etiquette = document.querySelector('label[for="' + i.id + '"]');
      return (etiquette || i).getClientRects().length > 0;
    });
    const cible = boutons[0] || champ;
    cible.focus({ preventScroll: true });
    (cible.closest(".ligne-groupee") || cible).scrollIntoView({ block: "center" });
  }

  document.getElementById("ajouter-ligne").addEventListener("click", function (e) {
    if (!modele || !total) return;  // repli : l'envoi au serveur ajoute la ligne
    e.preventDefault();
    const n = parseInt(total.value, 10);
    if (n >= plafond) {
      annonce.textContent = "Trop de lignes : " + plafond + " au plus par saisie groupée. Enregistrez en plusieurs fois.";
      return;
    }
    const html = modele.innerHTML.replace(/__prefix__/g, String(n)).replace(/__numero__/g, String(n + 1));
    lignes.insertAdjacentHTML("beforeend", html);
    total.value = String(n + 1);
    annonce.textContent = "Ligne " + (n + 1) + " ajoutée.";
    focaliser("id_form-" + n + "-nature");
  });

  // Une durée choisie efface la durée tapée, et inversement.
  form.addEventListener("change", function (e) {
    const champ = e.target;
    if (champ.type === "radio" && /-duree_minutes$/.test(champ.name)) {
      const autre = form.querySelector('[name="' + champ.name + '_autre"]');
      if (autre) autre.value = "";
    }
  });
  form.addEventListener("input", function (e) {
    const champ = e.target;
    if (champ.classList.contains("duree-autre") && champ.value) {
      const nom = champ.name.replace(/_autre$/, "");
      form.querySelectorAll('[name="' + nom + '"]').forEach(function (r) { r.checked = false; });
    }
  });

  // Le résumé des erreurs : le focus va au premier champ à compléter ; chaque lien y mène.
  const resume = document.getElementById("resume-erreurs");
  if (resume) {
    resume.querySelectorAll("a[data-focus]").forEach(function (lien) {
      lien.addEventListener("click", function (e) { e.preventDefault(); focaliser(lien.dataset.focus); });
    });
    // Après le chargement : un focus donné pendant l'analyse de la page est perdu à l'affichage.
    const premier = function () { if (resume.dataset.focus) focaliser(resume.dataset.focus); else resume.focus(); };
    if (document.readyState === "complete") premier(); else window.addEventListener("load", premier);
  }
})();
