/* Drafts that survive the signal (issue 20). Loaded by every page (templates/base.html) and by
   the service worker (importScripts), so both can keep and send drafts.

   A form marked data-draft="<kind>" (a coordinator's new product, stay, spending record; a
   resident's repair ticket) carries a hidden client_key made here (crypto.randomUUID). Sent
   while offline, or when the worker finds the network gone mid-send, the form is kept in
   IndexedDB (its photos as Blobs) and sent again when the connection returns ("online", or
   Background Sync), with the same key as field and Idempotency-Key header: the server answers
   a repeat with the first record (synergy/core/submissions.py). The server's refusals (400,
   403, 409) stay on the list of drafts with their reasons until the person deletes them. */
(function (scope) {
  "use strict";
  var DB = "synergy-drafts", STORE = "drafts";
  var inPage = typeof document !== "undefined";

  function openDb() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB, 1);
      req.onupgradeneeded = function () { req.result.createObjectStore(STORE, {keyPath: "key"}); };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function run(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode), store = tx.objectStore(STORE), out;
        var req = work(store);
        if (req) req.onsuccess = function () { out = req.result; };
        tx.oncomplete = function () { db.close(); resolve(out); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function list() {
    return run("readonly", function (s) { return s.getAll(); }).then(function (all) {
      return (all || []).sort(function (a, b) { return a.savedAt - b.savedAt; });
    });
  }
  function save(draft) { return run("readwrite", function (s) { return s.put(draft); }).then(changed); }
  function remove(key) { return run("readwrite", function (s) { return s.delete(key); }).then(changed); }

  function changed() {
    if (inPage) { render(); return; }
    return scope.clients.matchAll({includeUncontrolled: true}).then(function (all) {
      all.forEach(function (c) { c.postMessage({type: "drafts-changed"}); });
    });
  }

  function uuid() {
    if (scope.crypto && scope.crypto.randomUUID) return scope.crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }

  var TITLE_FIELDS = ["name", "title", "description", "location"];
  /** A draft from the form's fields ([name, string-or-File] pairs): `action` is where it goes. */
  function fromFields(fields, action, kind, page) {
    var key = "", title = "";
    fields.forEach(function (pair) { if (pair[0] === "client_key") key = pair[1]; });
    TITLE_FIELDS.some(function (name) {
      return fields.some(function (pair) {
        if (pair[0] === name && typeof pair[1] === "string" && pair[1].trim()) {
          title = pair[1].trim().slice(0, 60); return true;
        }
        return false;
      });
    });
    if (!key) { key = uuid(); fields.push(["client_key", key]); }
    // An empty file input sends an empty File: drop it so the server sees no photo.
    fields = fields.filter(function (p) { return !(typeof p[1] === "object" && p[1] && p[1].size === 0 && !p[1].name); });
    return {key: key, kind: kind || "", action: action, page: page || action, title: title,
            fields: fields, status: "pending", errors: null, savedAt: Date.now(), tries: 0};
  }

  function body(draft) {
    var data = new FormData();
    draft.fields.forEach(function (pair) {
      if (typeof pair[1] === "string") data.append(pair[0], pair[1]);
      else data.append(pair[0], pair[1], pair[1].name || "photo.jpg");
    });
    return data;
  }

  function freshToken(draft) {
    // The session's CSRF secret changes at login: take the token from the form's page again.
    return fetch(draft.page, {credentials: "same-origin"}).then(function (r) { return r.text(); })
      .then(function (html) {
        var m = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(html);
        if (!m) return false;
        draft.fields = draft.fields.map(function (p) {
          return p[0] === "csrfmiddlewaretoken" ? [p[0], m[1]] : p;
        });
        return true;
      });
  }

  /** Send one draft. Resolves to "sent", "kept" (no network: try again later) or "refused". */
  function send(draft, retried) {
    draft.tries = (draft.tries || 0) + 1;
    return fetch(draft.action, {
      method: "POST", body: body(draft), credentials: "same-origin", redirect: "follow",
      headers: {"Idempotency-Key": draft.key, "X-Synergy-Draft": "1", "Accept": "application/json"},
    }).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("json") >= 0;
      if (response.status === 201 && json) {
        return response.json().then(function (data) {
          return remove(draft.key).then(function () { notice("sent", draft, data.url); return "sent"; });
        });
      }
      if (response.status === 403 && !retried) {
        return freshToken(draft).then(function (ok) { return ok ? send(draft, true) : refuse(draft, response); });
      }
      if (response.redirected && /\/accounts\/login\//.test(response.url)) {
        draft.status = "login"; draft.errors = null;
        return save(draft).then(function () { return "kept"; });
      }
      if ([400, 403, 404, 409].indexOf(response.status) >= 0) return refuse(draft, response);
      draft.status = "pending";  // a 5xx: the server will be back; keep it
      return save(draft).then(function () { return "kept"; });
    }, function () {
      return "kept";  // no network
    });
  }

  function refuse(draft, response) {
    var read = (response.headers.get("Content-Type") || "").indexOf("json") >= 0
      ? response.json() : Promise.resolve({errors: {__all__: [String(response.status)]}});
    return read.then(function (data) {
      draft.status = "refused"; draft.httpStatus = response.status;
      draft.errors = data.errors || {__all__: [String(response.status)]};
      return save(draft).then(function () { return "refused"; });
    });
  }

  var sending = null;
  /** Send every pending draft, one at a time; a second call while sending waits for the first. */
  function sendAll() {
    if (sending) return sending;
    sending = list().then(function (all) {
      return all.filter(function (d) { return d.status === "pending" || d.status === "login"; })
        .reduce(function (chain, d) { return chain.then(function () { return send(d); }); },
                Promise.resolve());
    }).catch(function () {}).then(function () { sending = null; });
    return sending;
  }

  function askForSync() {
    if (!scope.navigator.serviceWorker && !scope.registration) return Promise.resolve();
    var reg = scope.registration ? Promise.resolve(scope.registration) : scope.navigator.serviceWorker.ready;
    return reg.then(function (r) { return r.sync ? r.sync.register("synergy-drafts") : null; })
      .catch(function () {});
  }

  function keep(draft) {
    return save(draft).then(askForSync).then(function () { notice("kept", draft); });
  }

  function pendingCount() {
    return list().then(function (all) { return all.length; }).catch(function () { return 0; });
  }
  var known = 0;  // the count on the list last shown: read without waiting (the logout's question)
  function lastCount() { return known; }
  function forget() { return run("readwrite", function (s) { return s.clear(); }).catch(function () {}); }

  scope.synergyDrafts = {list: list, keep: keep, send: send, sendAll: sendAll, remove: remove,
                         fromFields: fromFields, pendingCount: pendingCount, forget: forget,
                         lastCount: lastCount};

  // ------------------------------------------------------------------ the page's side
  function notice(what, draft, url) {
    if (!inPage) return;
    var box = document.getElementById("draft-notice");
    if (!box) return;
    var text = box.getAttribute(what === "sent" ? "data-sent" : "data-kept") || "";
    box.textContent = text.replace("%(title)s", draft.title || "");
    if (what === "sent" && url) {
      var a = document.createElement("a");
      a.href = url; a.textContent = " " + (box.getAttribute("data-open") || "");
      box.appendChild(a);
    }
    box.hidden = false;
  }

  function render() {
    if (!inPage) return;
    var section = document.getElementById("drafts");
    if (!section) return;
    list().then(function (all) {
      var ul = section.querySelector("ul");
      ul.textContent = "";
      all.forEach(function (d) {
        var li = document.createElement("li");
        li.className = "draft draft-" + d.status;
        li.setAttribute("data-key", d.key);
        var strong = document.createElement("strong");
        strong.textContent = (section.getAttribute("data-kind-" + d.kind) || d.kind) +
          (d.title ? "：" + d.title : "");
        li.appendChild(strong);
        var state = document.createElement("span");
        state.className = "draft-state";
        state.textContent = " " + (section.getAttribute("data-state-" + d.status) || d.status);
        li.appendChild(state);
        if (d.errors) {
          var reasons = document.createElement("ul");
          reasons.className = "errors";
          Object.keys(d.errors).forEach(function (field) {
            d.errors[field].forEach(function (msg) {
              var r = document.createElement("li");
              r.textContent = (field === "__all__" ? "" : field + ": ") + msg;
              reasons.appendChild(r);
            });
          });
          li.appendChild(reasons);
        }
        var drop = document.createElement("button");
        drop.type = "button"; drop.className = "btn small draft-delete";
        drop.textContent = section.getAttribute("data-delete") || "×";
        drop.addEventListener("click", function () { remove(d.key); });
        li.appendChild(drop);
        if (d.status === "refused" && d.page) {
          var fix = document.createElement("a");
          fix.className = "btn small"; fix.href = d.page;
          fix.textContent = section.getAttribute("data-write-again") || "";
          li.appendChild(fix);
        }
        ul.appendChild(li);
      });
      section.hidden = all.length === 0;
      known = all.length;
    }).catch(function () {});
  }

  function stampKey(form) {
    var input = form.querySelector('input[name="client_key"]');
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden"; input.name = "client_key";
      form.appendChild(input);
    }
    input.value = uuid();
  }

  function formFields(form) {
    var fields = [];
    new FormData(form).forEach(function (value, name) { fields.push([name, value]); });
    return fields;
  }

  if (inPage) {
    document.addEventListener("DOMContentLoaded", function () {
      document.querySelectorAll("form[data-draft]").forEach(stampKey);
      render();
      if (navigator.onLine !== false) sendAll().then(render);
    });
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form.matches || !form.matches("form[data-draft]") || navigator.onLine !== false) return;
      // Offline: keep it here; online, the form goes as usual (and the worker keeps it if the
      // network fails on the way).
      event.preventDefault();
      var draft = fromFields(formFields(form), form.action, form.getAttribute("data-draft"),
                             location.href);
      keep(draft).then(function () { form.reset(); stampKey(form); render(); });
    });
    window.addEventListener("online", function () { sendAll().then(render); });
    if (navigator.serviceWorker) {
      navigator.serviceWorker.addEventListener("message", function (e) {
        if (e.data && e.data.type === "drafts-changed") render();
      });
    }
  }
})(self);
