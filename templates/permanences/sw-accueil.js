{% load static %}// Service worker de l'accueil : la page et ses fichiers restent disponibles hors ligne,
// pour qu'une tablette rechargée sans réseau garde ses pointages en attente (localStorage).
const CACHE = "inclusion-accueil-v2";
const PAGE = "{% url 'permanences:accueil' %}";
const FICHIERS = [PAGE, "{% static 'vendor/bootstrap.min.css' %}", "{% static 'css/inclusion.css' %}",
  "{% static 'css/saisie.css' %}",
  "{% static 'vendor/bootstrap.bundle.min.js' %}", "{% static 'vendor/htmx.min.js' %}", "{% static 'js/csrf.js' %}",
  "{% static 'js/accueil.js' %}"];

self.addEventListener("install", function (e) {
  e.waitUntil(caches.open(CACHE).then(function (c) { return c.addAll(FICHIERS); }).then(function () { return self.skipWaiting(); }));
});
self.addEventListener("activate", function (e) { e.waitUntil(self.clients.claim()); });
self.addEventListener("fetch", function (e) {
  const req = e.request;
  if (req.method !== "GET") return;
  const url = new URL(req.url);
  if (url.pathname !== PAGE && !FICHIERS.includes(url.pathname)) return;
  // Réseau d'abord (données fraîches), cache si le réseau manque.
  e.respondWith(fetch(req).then(function (rep) {
    if (rep.ok && !rep.redirected) {
      const copie = rep.clone();
      caches.open(CACHE).then(function (c) { c.put(url.pathname, copie); });
    }
    return rep;
  }).catch(function () {
    return caches.match(url.pathname).then(function (r) { return r || Response.error(); });
  }));
});
