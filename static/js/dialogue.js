// Boîtes de dialogue de confirmation (#31) : un lien [data-ouvre-dialogue="id"] ouvre le <dialog> id en modal
// (le focus y entre, Échap le ferme) ; sans script, le lien mène à la page qui rend la boîte déjà ouverte.
document.addEventListener("click", (evenement) => {
  const ouvrir = evenement.target.closest("[data-ouvre-dialogue]");
  if (!ouvrir) return;
  const dialogue = document.getElementById(ouvrir.dataset.ouvreDialogue);
  if (!dialogue || typeof dialogue.showModal !== "function") return;
  evenement.preventDefault();
  if (dialogue.open) dialogue.close();
  dialogue.showModal();
});
