// Jeton CSRF pour les requêtes htmx (lu dans le cookie, jamais écrit dans le HTML).
(function () {
  function lireCookie(nom) {
    const m = document.cookie.match(new RegExp("(?:^|; )" + nom + "=([^;]*)"));
    return m ? decodeURIComponent(m[1]) : "";
  }
  window.jetonCsrf = function () { return lireCookie("csrftoken"); };
  document.addEventListener("htmx:configRequest", function (e) {
    e.detail.headers["X-CSRFToken"] = lireCookie("csrftoken");
  });
})();
