// Poshan service worker. Served at /sw.js by poshan/core/pwa.py, which fills CONFIG below.
//
// What it keeps on the phone, and why (the README's "Offline use" says the same):
// - "static": the stylesheet, the small scripts, the icon, the manifest and an offline page.
//   No personal data. Fetched once at install; a new release changes this file's version.
// - "pages": ONLY the daily forms of the worker's own centre (CONFIG.forms: today at the centre,
//   the attendance and meal sheet, and the home-visit / measurement / treatment follow-up form of a
//   person she opened),
//   plus the home page, as fetched while she is signed in. The attendance sheet lists the names
//   of the children her centre serves: she needs them to mark attendance without a network, which
//   is the service-delivery purpose; nothing else with personal data (registers, person details,
//   lists, summaries, dashboards) is ever kept. A kept page is used only on the day it was
//   fetched, and the whole "pages" cache is dropped at sign-in, at sign-out and on a new release.
//   Pages are fetched ahead only if the signed-in page lists them as ones its user may open.
// - IndexedDB "poshan-offline": entries saved on a daily form while the network was down, each
//   with its client_uuid, removed as soon as the server has answered it (saved, already saved or
//   refused); what is kept to show those answers is the kind, date, answer and the server's
//   reason, never a name. Entries of a user whose session ended wait for her next sign-in.
// Everything is wiped at sign-out (here, in offline.js, and by the server's Clear-Site-Data).
"use strict";

var CONFIG = /*CONFIG*/{"version": "dev", "precache": [], "offline": "/offline/",
  "batch": "/api/v1/submissions/batch/", "login": "/accounts/login/", "logout": "/accounts/logout/",
  "shell": ["/"], "warm": [], "forms": [], "navTimeoutMs": 10000, "keepDays": 3}/*END*/;

var STATIC = "poshan-static-" + CONFIG.version;
var PAGES = "poshan-pages-" + CONFIG.version;
var DB_NAME = "poshan-offline";
var BATCH_SIZE = 50;
var RESULTS_KEPT = 20;
var RESULT_TTL_MS = 24 * 3600 * 1000;
var BACKDATED = { centre_day: 1, ecce: 1, attendance: 1, home_visit: 1 };
var FORMS = CONFIG.forms.map(function (f) { return { page: f.page, re: new RegExp(f.pattern), types: f.types }; });

var signedOut = false; // set when the sign-out goes by: nothing is kept until the next sign-in
var lastError = "";
var sending = false;
var flushing = null;
var inflight = {}; // seq → true while a batch with that entry is on its way to the server

// --- small helpers -------------------------------------------------------------------------------

function localDay(ms) {
  var d = ms ? new Date(ms) : new Date();
  return d.getFullYear() + "-" + ("0" + (d.getMonth() + 1)).slice(-2) + "-" + ("0" + d.getDate()).slice(-2);
}

function uuid4() {
  if (self.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
  var b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
  var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
  return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
}

function formFor(pathname) {
  for (var i = 0; i < FORMS.length; i++) {
    var m = FORMS[i].re.exec(pathname);
    if (m) { return { page: FORMS[i].page, pk: m[1] ? parseInt(m[1], 10) : null }; }
  }
  return null;
}

function keepable(url) {
  return !url.search && (CONFIG.shell.indexOf(url.pathname) >= 0 || formFor(url.pathname) !== null);
}

// --- IndexedDB: the queue, the answers shown to the worker, and who is signed in ----------------

var dbPromise = null;

function db() {
  if (!dbPromise) {
    dbPromise = new Promise(function (resolve, reject) {
      var open = indexedDB.open(DB_NAME, 1);
      open.onupgradeneeded = function () {
        var d = open.result;
        d.createObjectStore("queue", { keyPath: "seq", autoIncrement: true });
        d.createObjectStore("results", { keyPath: "seq", autoIncrement: true });
        d.createObjectStore("meta");
      };
      open.onsuccess = function () {
        var d = open.result;
        d.onversionchange = function () { d.close(); dbPromise = null; }; // a page deletes it at sign-out
        resolve(d);
      };
      open.onerror = function () { dbPromise = null; reject(open.error); };
    });
  }
  return dbPromise;
}

function tx(stores, mode, work) {
  return db().then(function (d) {
    return new Promise(function (resolve, reject) {
      var t = d.transaction(stores, mode);
      var out = work(t);
      t.oncomplete = function () { resolve(out && out.result !== undefined ? out.result : out); };
      t.onerror = t.onabort = function () { reject(t.error); };
    });
  });
}

function all(store) {
  return tx([store], "readonly", function (t) { return t.objectStore(store).getAll(); });
}

function metaGet(key) {
  return tx(["meta"], "readonly", function (t) { return t.objectStore("meta").get(key); });
}

function metaSet(key, value) {
  return tx(["meta"], "readwrite", function (t) { t.objectStore("meta").put(value, key); });
}

function closeDb() {
  var p = dbPromise;
  dbPromise = null;
  return p ? p.then(function (d) { d.close(); }, function () {}) : Promise.resolve();
}

// --- caches -------------------------------------------------------------------------------------

function precache() {
  return caches.open(STATIC).then(function (cache) {
    return cache.addAll(CONFIG.precache.concat([CONFIG.offline]));
  });
}

function dropPages() {
  return caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf("poshan-pages-") === 0; })
      .map(function (k) { return caches.delete(k); }));
  });
}

function wipe() {
  signedOut = true;
  return closeDb().then(function () {
    return Promise.all([
      caches.keys().then(function (keys) { return Promise.all(keys.map(function (k) { return caches.delete(k); })); }),
      new Promise(function (resolve) {
        var del = indexedDB.deleteDatabase(DB_NAME);
        del.onsuccess = del.onerror = del.onblocked = function () { resolve(); };
      })
    ]);
  });
}

// A kept page is marked as a copy (offline.js says so and gives its forms new submission ids), its
// forms' submission ids are emptied and the one-time messages ("Saved: …") are left out.
function offlineCopy(html, when) {
  return html
    .replace(/<html\b/, '<html data-offline-copy="' + when + '"')
    .replace(/(<input\b[^>]*\bname="[^"]*client_uuid"[^>]*?)\svalue="[^"]*"/g, "$1")
    .replace(/<ul class="messages"[\s\S]*?<\/ul>/, "");
}

function keepPage(key, response) {
  if (signedOut) { return Promise.resolve(); }
  return caches.has(STATIC).then(function (armed) {
    if (!armed || signedOut) { return; } // wiped at sign-out: nothing is kept until the next sign-in
    return response.text().then(function (html) {
      var now = Date.now();
      var copy = new Response(offlineCopy(html, new Date(now).toISOString()), {
        headers: { "Content-Type": "text/html; charset=utf-8", "X-Kept-At": String(now) }
      });
      return caches.open(PAGES).then(function (cache) { return cache.put(key, copy); });
    });
  });
}

// The copy kept today, if any (a copy from an earlier day is deleted, never shown).
function keptPage(key) {
  return caches.match(key, { cacheName: PAGES }).then(function (hit) {
    if (!hit) { return null; }
    if (localDay(parseInt(hit.headers.get("X-Kept-At"), 10)) === localDay()) { return hit; }
    return caches.open(PAGES).then(function (cache) { return cache.delete(key); }).then(function () { return null; });
  });
}

function dropOldPages() {
  return caches.has(PAGES).then(function (exists) {
    if (!exists) { return; }
    return caches.open(PAGES).then(function (cache) {
      return cache.keys().then(function (requests) {
        return Promise.all(requests.map(function (req) {
          return cache.match(req).then(function (hit) {
            if (!hit || localDay(parseInt(hit.headers.get("X-Kept-At"), 10)) !== localDay()) { return cache.delete(req); }
          });
        }));
      });
    });
  });
}

function offlinePage() {
  return caches.match(CONFIG.offline, { cacheName: STATIC }).then(function (hit) { return hit || Response.error(); });
}

// Once a day per user, fetch the centre's daily pages so the day can start without a network:
// only those the page says this user may open (data-warm), never another role's pages.
function warm(user, allowed) {
  var mark = user + "@" + localDay();
  var paths = CONFIG.warm.filter(function (path) { return (allowed || []).indexOf(path) >= 0; });
  return metaGet("warmed").then(function (done) {
    if (done === mark || !navigator.onLine) { return; }
    return Promise.all(paths.map(function (path) {
      return fetch(path, { credentials: "same-origin", cache: "no-store" }).then(function (res) {
        if (res.ok && !res.redirected) { return keepPage(path, res); }
      }).catch(function () {});
    })).then(function () { return metaSet("warmed", mark); });
  });
}

// --- the queue ------------------------------------------------------------------------------------

function text(fd, name) {
  var v = fd.get(name);
  return v === null ? "" : String(v).trim();
}

function orNull(v) { return v === "" ? null : v; }

function ids(fd, name) {
  return fd.getAll(name).map(function (v) { return parseInt(v, 10); }).filter(function (n) { return n > 0; });
}

// What the worker typed, as posted (no tokens or ids): shown again on the page while it waits.
var NOT_ENTERED = /(^|-)(csrfmiddlewaretoken|client_uuid|queued_edit)$/;

function enteredFields(fd) {
  var out = [];
  fd.forEach(function (value, name) {
    if (typeof value === "string" && !NOT_ENTERED.test(name)) { out.push([name, value]); }
  });
  return out;
}

// The batch item ({type, client_uuid, payload}) for a daily form, from the fields it posted.
function itemFromForm(form, fd) {
  var type, payload, prefix = "";
  if (form.page === "today") {
    var kind = text(fd, "kind");
    prefix = kind + "-";
    var f = function (n) { return text(fd, prefix + n); };
    if (kind === "open") {
      type = "centre_day";
      payload = { date: f("date"), opened: true, opened_at: orNull(f("opened_at")), latitude: orNull(f("latitude")),
                  longitude: orNull(f("longitude")), backdate_reason: f("backdate_reason") };
    } else if (kind === "not_open") {
      type = "centre_day";
      payload = { date: f("date"), opened: false, not_open_reason: f("reason"), backdate_reason: f("backdate_reason") };
    } else if (kind === "close") {
      type = "centre_close";
      payload = { date: f("date"), closed_at: f("closed_at") };
    } else if (kind === "ecce") {
      type = "ecce";
      payload = { date: f("date"), activity: f("activity"), children: parseInt(f("children"), 10),
                  backdate_reason: f("backdate_reason") };
    } else { return null; }
  } else if (form.page === "attendance") {
    type = "attendance";
    payload = { date: text(fd, "date"), present: ids(fd, "present"), hcm: ids(fd, "hcm"),
                backdate_reason: text(fd, "backdate_reason"), replace: text(fd, "replace") === text(fd, "date") };
  } else if (form.page === "home_visit") {
    type = "home_visit";
    payload = { beneficiary: form.pk, date: text(fd, "date"), purpose: text(fd, "purpose"), topic: text(fd, "topic"),
                notes: text(fd, "notes"), backdate_reason: text(fd, "backdate_reason") };
  } else if (form.page === "measure") {
    type = "measurement";
    payload = { child: form.pk, date: text(fd, "date"), weight_kg: orNull(text(fd, "weight_kg")),
                lenhei_cm: orNull(text(fd, "lenhei_cm")), measure: text(fd, "measure"),
                muac_cm: orNull(text(fd, "muac_cm")), oedema: text(fd, "oedema") === "yes" };
  } else if (form.page === "case_followup") {
    type = "case_followup";
    payload = { "case": form.pk, date: text(fd, "date"), weight_kg: orNull(text(fd, "weight_kg")),
                muac_cm: orNull(text(fd, "muac_cm")), oedema: text(fd, "oedema") === "yes",
                appetite: text(fd, "appetite"), illness: text(fd, "illness"),
                complications: fd.getAll("complications").map(String) };
  } else { return null; }
  return { type: type, client_uuid: text(fd, prefix + "client_uuid") || text(fd, "client_uuid") || uuid4(),
           payload: payload, fields: enteredFields(fd), edits: text(fd, "queued_edit") };
}

// Which record an entry writes: a later save of the same one (the same day's sheet, the same
// child's measurement that day...) replaces the entry still waiting, so only the last is sent.
function sheetKey(item) {
  var p = item.payload || {};
  var parts = { attendance: [p.date], centre_day: [p.date], centre_close: [p.date], ecce: [p.date, p.activity],
                measurement: [p.child, p.date], home_visit: [p.beneficiary, p.date, p.purpose],
                case_followup: [p["case"], p.date] }[item.type];
  return parts ? item.type + "|" + parts.join("|") : null;
}

// Keep an entry; returns the entries of the same record it replaced (removed from the queue unless
// they are being sent at this moment: then the server gets both, this one last).
function enqueue(item, path) {
  return metaGet("user").then(function (user) {
    item.user = user || "";
    item.queued_at = Date.now();
    item.path = path;
    var key = sheetKey(item);
    var replaced = [];
    return tx(["queue"], "readwrite", function (t) {
      var store = t.objectStore("queue");
      var req = store.getAll();
      req.onsuccess = function () {
        req.result.forEach(function (old) {
          if (old.user !== item.user) { return; }
          if ((key && sheetKey(old) === key) || (item.edits && old.client_uuid === item.edits)) {
            replaced.push(old);
            if (inflight[old.seq]) { old.superseded = true; store.put(old); } else { store.delete(old.seq); }
          }
        });
        // Never send a replaced entry's id again: the server would answer with the old entry.
        if (req.result.some(function (old) { return old.client_uuid === item.client_uuid; })) {
          item.client_uuid = uuid4();
        }
        // A sheet replacing one that may already be saved makes the server's sheet exactly this one.
        if (item.type === "attendance" && replaced.some(function (old) { return inflight[old.seq] || old.payload.replace; })) {
          item.payload.replace = true;
        }
        item.replaced = replaced.length > 0;
        delete item.edits;
        store.add(item);
      };
    }).then(function () { return replaced; });
  });
}

// A form posted without a network: keep it, and show the page again (from today's copy).
function postOrQueue(event, form, url) {
  var copy = event.request.clone();
  return fetch(event.request).catch(function (networkError) {
    return copy.formData().then(function (fd) {
      var item = itemFromForm(form, fd);
      if (!item) { throw networkError; }
      return enqueue(item, url.pathname).then(function (replaced) {
        broadcast();
        return keptPage(url.pathname).then(function (hit) {
          // The kept page is shown with what she entered (offline.js fills it from this entry).
          var to = hit ? url.pathname + "#queued=" + item.client_uuid + (replaced.length ? "&replaced=1" : "")
            : CONFIG.offline + "?queued=1";
          return Response.redirect(new URL(to, self.location.origin).href, 303);
        });
      });
    }).catch(function () { return offlinePage(); });
  });
}

// Any other form posted without a network (a registration, a grievance…): nothing of it is kept on the phone
// (personal data stays off it), but the page she filled in stays as it was, with what she typed: a 204 answer leaves
// the browser where it is, where its error page would have lost it. The page says nothing was sent (offline.js).
function postOrStay(req) {
  var from = (req.referrer || "").split("#")[0];
  return fetch(req).catch(function () {
    return self.clients.matchAll({ type: "window" }).then(function (windows) {
      var mine = windows.filter(function (w) { return w.url.split("#")[0] === from; });
      (mine.length ? mine : windows).forEach(function (w) { w.postMessage({ type: "not-sent" }); });
      return new Response(null, { status: 204 });
    });
  });
}

function wire(item, lateText) {
  var payload = JSON.parse(JSON.stringify(item.payload));
  // Entered on its own day without a network, sent on a later day: the server asks why it is late.
  if (lateText && BACKDATED[item.type] && payload.date && payload.date === localDay(item.queued_at) &&
      payload.date < localDay() && !payload.backdate_reason) {
    payload.backdate_reason = lateText.replace("{when}", localDay(item.queued_at)).slice(0, 200);
  }
  return { type: item.type, client_uuid: item.client_uuid, payload: payload };
}

function messagesOf(errors) {
  var out = [];
  (function walk(v) {
    if (Array.isArray(v)) { v.forEach(walk); } else if (v && typeof v === "object") {
      Object.keys(v).forEach(function (k) { walk(v[k]); });
    } else if (v !== undefined && v !== null) { out.push(String(v)); }
  })(errors);
  return out.join(" ");
}

// Send the user's queued entries in order; each is removed only once the server has answered it.
function flush(user, csrf, lateText) {
  if (!flushing) {
    flushing = doFlush(user, csrf, lateText).catch(function () {}).then(function () {
      flushing = null;
      inflight = {};
      sending = false;
      return broadcast();
    });
  }
  return flushing;
}

function doFlush(user, csrf, lateText) {
  inflight = {};
  return all("queue").then(function (items) {
    var gone = items.filter(function (i) { return i.superseded; });
    if (gone.length) { // replaced while it was being sent, and not answered: only the new one goes
      return tx(["queue"], "readwrite", function (t) {
        gone.forEach(function (i) { t.objectStore("queue").delete(i.seq); });
      }).then(function () { return doFlush(user, csrf, lateText); });
    }
    var mine = items.filter(function (i) { return i.user === user; });
    if (!mine.length) { lastError = ""; return; }
    sending = true;
    broadcast();
    var batch = mine.slice(0, BATCH_SIZE);
    batch.forEach(function (i) { inflight[i.seq] = true; });
    return fetch(CONFIG.batch, {
      method: "POST", credentials: "same-origin", cache: "no-store",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf || "" },
      body: JSON.stringify(batch.map(function (i) { return wire(i, lateText); }))
    }).then(function (res) {
      if (res.status === 401 || res.status === 403) { lastError = "signin"; return; }
      if (!res.ok) { lastError = "server"; return; }
      return res.json().then(function (answers) {
        lastError = "";
        return record(batch, answers).then(function () { return all("queue"); }).then(function (now) {
          // More than one batch, or saved again while this one was on its way: send the rest.
          var sent = {};
          batch.forEach(function (i) { sent[i.seq] = true; });
          if (now.some(function (i) { return i.user === user && !sent[i.seq]; })) { return doFlush(user, csrf, lateText); }
        });
      });
    }, function () { lastError = "network"; });
  });
}

function record(batch, answers) {
  var byId = {};
  batch.forEach(function (i) { byId[i.client_uuid] = i; });
  return tx(["queue", "results"], "readwrite", function (t) {
    answers.forEach(function (a) {
      var item = byId[a.client_uuid];
      if (!item || ["saved", "duplicate", "rejected"].indexOf(a.status) < 0) { return; }
      t.objectStore("queue").delete(item.seq);
      t.objectStore("results").add({ user: item.user, type: item.type, date: item.payload.date || "",
                                     status: a.status, reason: a.status === "rejected" ? messagesOf(a.errors) : "",
                                     at: Date.now() });
    });
  }).then(trimResults);
}

function trimResults() {
  return all("results").then(function (results) {
    var now = Date.now();
    var old = results.filter(function (r, i) { return now - r.at > RESULT_TTL_MS || i < results.length - RESULTS_KEPT; });
    if (!old.length) { return; }
    return tx(["results"], "readwrite", function (t) {
      old.forEach(function (r) { t.objectStore("results").delete(r.seq); });
    });
  });
}

// Entries another user left (her session ended without signing out) wait for her to sign in
// again; once older than the back-dating window the server could not accept them: dropped.
function dropOthersStale(user) {
  var limit = Date.now() - (CONFIG.keepDays + 1) * 24 * 3600 * 1000;
  return all("queue").then(function (items) {
    var old = items.filter(function (i) { return i.user !== user && i.queued_at < limit; });
    if (!old.length) { return; }
    return tx(["queue"], "readwrite", function (t) {
      old.forEach(function (i) { t.objectStore("queue").delete(i.seq); });
    });
  });
}

// What the pages show: this user's entries waiting to be sent and the latest answers.
function state() {
  return metaGet("user").then(function (user) {
    return Promise.all([all("queue"), all("results")]).then(function (got) {
      var mine = function (i) { return i.user === (user || "") && !i.superseded; };
      return {
        type: "state", sending: sending, error: lastError,
        pending: got[0].filter(mine).map(function (i) {
          return { type: i.type, date: i.payload.date || "", uuid: i.client_uuid, path: i.path || "",
                   fields: i.fields || [], replaced: !!i.replaced };
        }),
        results: got[1].filter(mine).map(function (r) {
          return { seq: r.seq, type: r.type, date: r.date, status: r.status, reason: r.reason };
        })
      };
    });
  });
}

function broadcast() {
  if (signedOut) { return Promise.resolve(); }
  return state().then(function (s) {
    return self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (list) {
      list.forEach(function (c) { c.postMessage(s); });
    });
  }).catch(function () {});
}

// A signed-in page says who is signed in: a new user never sees another's kept pages or entries.
function hello(data) {
  var user = String(data.user || "");
  if (!user) { return broadcast(); }
  signedOut = false;
  return metaGet("user").then(function (was) {
    return (was === user ? Promise.resolve() : dropPages().then(function () { return metaSet("user", user); }));
  }).then(function () {
    return caches.has(STATIC).then(function (armed) { return armed ? null : precache(); });
  }).then(dropOldPages).then(function () {
    return dropOthersStale(user);
  }).then(function () {
    return warm(user, data.warm);
  }).then(function () {
    // The page asks when it loads and when its `online` event fires; the worker's own navigator.onLine
    // can lag behind, and a failed attempt costs one request: try.
    return data.flush ? flush(user, data.csrf, data.late) : broadcast();
  });
}

// --- events ---------------------------------------------------------------------------------------

self.addEventListener("install", function (event) {
  event.waitUntil(precache().then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf("poshan-") === 0 && k !== STATIC && k !== PAGES; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () {
    return self.registration.navigationPreload ? self.registration.navigationPreload.enable() : null;
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("message", function (event) {
  var data = event.data || {};
  var work;
  if (data.type === "hello") {
    work = hello(data);
  } else if (data.type === "logout") {
    work = wipe();
  } else if (data.type === "dismiss") {
    work = tx(["results"], "readwrite", function (t) { t.objectStore("results").clear(); }).then(broadcast);
  } else { return; }
  event.waitUntil(work.catch(function () {}));
});

function page(event, url) {
  var key = keepable(url) ? url.pathname : null;
  var stored = Promise.resolve();
  var network = Promise.resolve(event.preloadResponse).then(function (pre) {
    return pre || fetch(event.request);
  }).then(function (res) {
    if (key && res.ok && !res.redirected && res.type === "basic") { stored = keepPage(key, res.clone()); }
    return res;
  });
  event.waitUntil(network.then(function () { return stored; }).catch(function () {}));
  if (!key) { return network.catch(offlinePage); }
  return keptPage(key).then(function (hit) {
    if (!hit) { return network.catch(offlinePage); }
    var slow = new Promise(function (resolve) { setTimeout(function () { resolve(hit); }, CONFIG.navTimeoutMs); });
    return Promise.race([network.catch(function () { return hit; }), slow]);
  });
}

function asset(event) {
  return caches.match(event.request, { cacheName: STATIC, ignoreSearch: true }).then(function (hit) {
    return hit || fetch(event.request);
  });
}

self.addEventListener("fetch", function (event) {
  var req = event.request;
  var url = new URL(req.url);
  if (url.origin !== self.location.origin) { return; }
  if (req.method === "POST") {
    if (url.pathname === CONFIG.logout) { event.waitUntil(wipe()); return; } // the server clears the rest
    if (url.pathname === CONFIG.login) { // a new sign-in starts with no kept pages, fetched again
      signedOut = false;
      event.waitUntil(dropPages().then(function () { return metaSet("warmed", ""); }).catch(function () {}));
      return;
    }
    var form = req.mode === "navigate" ? formFor(url.pathname) : null;
    if (form) { event.respondWith(postOrQueue(event, form, url)); return; }
    if (req.mode === "navigate") { event.respondWith(postOrStay(req)); }
    return;
  }
  if (req.method !== "GET") { return; }
  if (CONFIG.precache.indexOf(url.pathname) >= 0) { event.respondWith(asset(event)); return; }
  if (req.mode === "navigate") { event.respondWith(page(event, url)); }
});
