/* Synergy's service worker, served at /sw.js (synergy.core.pwa.service_worker). Version {{ version }}.

   - The app shell (CSS, scripts, icons, the offline page in both languages) is kept at install.
   - Pages (GET, HTML, this site) are fetched network-first; the last MAX_PAGES read are kept,
     stamped with the time they were fetched. Offline, the kept copy is shown with a meta tag
     the page's script turns into the banner "Offline, as of 12:04"; a page never read offline
     gets the offline page.
   - Never kept: anything but GET, /api/, /admin/, the login and logout pages, redirects, and
     responses marked Cache-Control: no-store.
   - A "logout" message (and the logout response's Clear-Site-Data) empties every cache.
   - Drafts written offline (static/js/drafts.js) are sent again on Background Sync. */
"use strict";

const VERSION = "{{ version }}";
const SHELL = "synergy-shell-" + VERSION;
const PAGES = "synergy-pages";
const PRECACHE = {{ precache }};
const OFFLINE = {{ offline }};
const MAX_PAGES = 40;
const FETCHED_AT = "X-Synergy-Fetched-At";
const VIEWER = "X-Synergy-Viewer";  // whose page (synergy.core.middleware.ViewerTagMiddleware)
const NEVER = [/^\/api\//, /^\/admin\//, /^\/accounts\/(login|logout)\//, /^\/sw\.js$/,
               /^\/i18n\//, /^\/offline\//, /^\/healthz/, /^\/media\//];

importScripts({{ drafts_js }});

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(PRECACHE))
    .then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith("synergy-shell-") && k !== SHELL)
      .map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

// The forms whose drafts are kept (data-draft in their templates): a new product or stay, a
// spending record, a repair ticket. If the network fails while one is sent, it is kept.
const DRAFT_FORMS = [/^\/villages\/manage\/\d+\/(products|offers)\/new\/$/,
                     /^\/exchange\/campaigns\/\d+\/spending\/$/,
                     /^\/community\/[^/]+\/tickets\/new\/$/];

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method === "POST" && request.mode === "navigate") {
    const path = new URL(request.url).pathname;
    if (DRAFT_FORMS.some((re) => re.test(path))) {
      const copy = request.clone();
      event.respondWith(fetch(request).catch(() => keepDraft(copy)));
    }
    return;
  }
  if (request.method !== "GET") return;  // writes always go to the network, never kept
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || NEVER.some((re) => re.test(url.pathname))) return;
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(cacheFirst(request));
  } else if (request.mode === "navigate" ||
             (request.headers.get("Accept") || "").includes("text/html")) {
    event.respondWith(networkFirst(request, url));
  }
});

async function cacheFirst(request) {
  const hit = await caches.match(request, {ignoreVary: true});
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok && response.type === "basic") {
    const cache = await caches.open(SHELL);
    await cache.put(request, response.clone());
  }
  return response;
}

function pageKey(url) {
  return url.origin + url.pathname + url.search;
}

function keepable(response) {
  const cc = (response.headers.get("Cache-Control") || "").toLowerCase();
  return response.ok && response.type === "basic" && !response.redirected &&
    (response.headers.get("Content-Type") || "").startsWith("text/html") &&
    !cc.includes("no-store");
}

async function networkFirst(request, url) {
  let response;
  try {
    response = await fetch(request);
  } catch (err) {
    return offlineCopy(url);
  }
  const viewer = response.headers.get(VIEWER);
  if (viewer) await forgetOthers(viewer);
  if (keepable(response)) {
    const headers = new Headers(response.headers);
    headers.set(FETCHED_AT, new Date().toISOString());
    const body = await response.clone().arrayBuffer();
    const cache = await caches.open(PAGES);
    await cache.put(pageKey(url), new Response(body, {
      status: response.status, statusText: response.statusText, headers}));
    await trim(cache);
  }
  return response;
}

async function forgetOthers(viewer) {
  // The kept pages are all one person's: a page made for someone else drops them.
  const cache = await caches.open(PAGES);
  const keys = await cache.keys();
  if (!keys.length) return;
  const last = await cache.match(keys[keys.length - 1]);
  if (last && last.headers.get(VIEWER) !== viewer) await caches.delete(PAGES);
}

async function trim(cache) {
  const keys = await cache.keys();  // oldest first: a page put again moves to the end
  await Promise.all(keys.slice(0, Math.max(0, keys.length - MAX_PAGES)).map((k) => cache.delete(k)));
}

async function offlineCopy(url) {
  const cache = await caches.open(PAGES);
  const hit = await cache.match(pageKey(url));
  if (!hit) return offlinePage(cache);
  const asOf = hit.headers.get(FETCHED_AT) || "";
  const html = (await hit.text())
    .replace(/<head>/i, '<head><meta name="synergy-offline-as-of" content="' + asOf + '">')
    .replace(/<ul class="messages">[\s\S]*?<\/ul>/, "");  // "Saved." was said once, not again
  const headers = new Headers(hit.headers);
  headers.delete("Content-Length");
  return new Response(html, {status: 200, headers});
}

async function offlinePage(pages) {
  // In the language of the last page read (its Content-Language), else the phone's.
  const keys = await pages.keys();
  const last = keys.length ? await pages.match(keys[keys.length - 1]) : null;
  const lang = (last && last.headers.get("Content-Language")) ||
    ((self.navigator.language || "zh").toLowerCase().startsWith("en") ? "en" : "zh-hans");
  const hit = await caches.match(OFFLINE[lang] || OFFLINE["zh-hans"], {ignoreVary: true});
  return hit || new Response("offline", {status: 503, headers: {"Content-Type": "text/plain"}});
}

async function keepDraft(request) {
  // The form as it was sent (photos included), kept until the network is back.
  const data = await request.formData();
  const fields = [];
  data.forEach((value, name) => fields.push([name, value]));
  const page = request.referrer || request.url;
  const kind = (/(products|offers|spending|tickets)/.exec(request.url) || ["", ""])[1];
  const names = {products: "product", offers: "offer", spending: "spending", tickets: "ticket"};
  await self.synergyDrafts.keep(self.synergyDrafts.fromFields(fields, request.url, names[kind], page));
  return Response.redirect(page.split("#")[0] + "#drafts", 303);
}

async function forgetEverything() {
  const keys = await caches.keys();
  await Promise.all(keys.map((k) => caches.delete(k)));
  // The shell again (it names nobody), so the offline page still works for the next person.
  const cache = await caches.open(SHELL);
  await cache.addAll(PRECACHE).catch(() => undefined);
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "logout") {
    event.waitUntil(forgetEverything().then(() => {
      if (event.ports && event.ports[0]) event.ports[0].postMessage({done: true});
    }));
  } else if (data.type === "send-drafts") {
    event.waitUntil(self.synergyDrafts.sendAll());
  }
});

self.addEventListener("sync", (event) => {
  if (event.tag === "synergy-drafts") event.waitUntil(self.synergyDrafts.sendAll());
});
