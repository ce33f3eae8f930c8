/* The installable app, on every page (templates/base.html):
   - registers the service worker (/sw.js, scope "/");
   - on a page the worker served from its copy while offline, shows "Offline, as of 12:04"
     (the worker adds <meta name="synergy-offline-as-of" content="ISO time">);
   - shows the same banner, without a time, when the connection drops on an open page;
   - makes sideways-scrolling tables reachable by keyboard;
   - on "Log out", empties this site's caches as the form is sent (the worker finishes the job
     and the server's Clear-Site-Data does it again where the browser supports it). */
(function () {
  "use strict";
  var sw = navigator.serviceWorker;
  if (sw && window.isSecureContext) {
    var register = function () { sw.register("/sw.js", {scope: "/"}).catch(function () {}); };
    if (document.readyState === "complete") register(); else window.addEventListener("load", register);
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function asOfText(iso) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) return "";
    var time = pad(d.getHours()) + ":" + pad(d.getMinutes());
    var now = new Date();
    if (d.toDateString() === now.toDateString()) return time;
    var lang = document.documentElement.lang || "zh-hans";
    return d.toLocaleDateString(lang === "en" ? "en" : "zh-CN",
                                {month: "numeric", day: "numeric"}) + " " + time;
  }

  var banner = document.getElementById("offline-banner");
  function showBanner(iso) {
    if (!banner) return;
    var text = iso ? (banner.getAttribute("data-as-of") || "").replace("%(time)s", asOfText(iso))
                   : banner.getAttribute("data-offline");
    banner.textContent = text;
    banner.hidden = false;
  }
  var stamp = document.querySelector('meta[name="synergy-offline-as-of"]');
  if (stamp) showBanner(stamp.getAttribute("content"));
  else if (navigator.onLine === false) showBanner("");
  window.addEventListener("offline", function () { if (!stamp) showBanner(""); });
  window.addEventListener("online", function () { if (!stamp && banner) banner.hidden = true; });

  // A table wider than the phone scrolls sideways: make its box reachable by keyboard and
  // named, so people who do not swipe can scroll it too.
  function scrollableTables() {
    document.querySelectorAll(".table-wrap").forEach(function (box) {
      if (box.scrollWidth <= box.clientWidth || box.hasAttribute("tabindex")) return;
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      var table = box.querySelector("table");
      var caption = table && table.caption ? table.caption.textContent : "";
      var section = box.closest("section");
      var heading = section && section.querySelector("h1, h2, h3");
      var name = (caption || (heading && heading.textContent) || "").trim();
      if (name) box.setAttribute("aria-label", name);
    });
  }
  scrollableTables();
  window.addEventListener("resize", scrollableTables);

  // Logging out never waits on the phone: the form goes at once. Meanwhile the caches are
  // emptied here and by the worker (which goes on after this page is gone), and the logout
  // response's Clear-Site-Data empties them again. Unsent drafts are asked about first.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-logout]")) return;
    var drafts = window.synergyDrafts;
    var n = drafts && drafts.lastCount ? drafts.lastCount() : 0;
    if (n && !window.confirm((form.getAttribute("data-drafts-warning") || "").replace("%(n)s", n))) {
      event.preventDefault();
      return;
    }
    if (sw && sw.controller) sw.controller.postMessage({type: "logout"});
    if (window.caches) {
      caches.keys().then(function (keys) { keys.forEach(function (k) { caches.delete(k); }); });
    }
    if (drafts && drafts.forget) drafts.forget();
  });
})();
