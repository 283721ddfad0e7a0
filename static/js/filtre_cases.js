// Filtre d'une liste de cases à cocher (#31) : le champ [data-filtre-cases="id"] montre, sans script en ligne, et
// ne garde visibles que les cases dont le libellé contient le texte tapé (sans tenir compte des accents).
const sansAccents = (texte) => texte.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();

for (const champ of document.querySelectorAll("[data-filtre-cases]")) {
  const liste = document.getElementById(champ.dataset.filtreCases);
  if (!liste) continue;
  champ.hidden = false;
  champ.addEventListener("input", () => {
    const cherche = sansAccents(champ.value.trim());
    for (const ligne of liste.querySelectorAll(".form-check")) {
      ligne.hidden = cherche !== "" && !sansAccents(ligne.textContent).includes(cherche);
    }
  });
}
