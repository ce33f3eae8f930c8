/* The installable app, on every page (templates/base.html):
   - registers the service worker (/sw.js, scope "/");
   - on a page the worker served from its copy while offline, shows "Offline, as of 12:04"
     (the worker adds <meta name="synergy-offline-as-of" content="ISO time">);
   - shows the same banner, without a time, when the connection drops on an open page;
   - makes sideways-scrolling tables reachable by keyboard;
   - on "Log out", empties this site's caches before the form is sent (the server's
     Clear-Site-Data does it again where the browser supports it). */
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

  function forgetCaches() {
    var jobs = [];
    if (window.caches) {
      jobs.push(caches.keys().then(function (keys) {
        return Promise.all(keys.map(function (k) { return caches.delete(k); }));
      }));
    }
    if (sw && sw.controller) sw.controller.postMessage({type: "logout"});
    if (window.synergyDrafts && window.synergyDrafts.forget) jobs.push(window.synergyDrafts.forget());
    // Never keep the person waiting on a slow phone: log out after at most 1.5 s.
    return Promise.race([Promise.all(jobs), new Promise(function (r) { setTimeout(r, 1500); })]);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-logout]") || form.dataset.cleared) return;
    event.preventDefault();
    var pending = window.synergyDrafts && window.synergyDrafts.pendingCount
      ? window.synergyDrafts.pendingCount() : Promise.resolve(0);
    pending.then(function (n) {
      if (n && !window.confirm((form.getAttribute("data-drafts-warning") || "").replace("%(n)s", n))) {
        return null;
      }
      return forgetCaches().then(function () { form.dataset.cleared = "1"; form.submit(); });
    }).catch(function () { form.dataset.cleared = "1"; form.submit(); });
  });
})();
