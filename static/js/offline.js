// The offline queue on the page: registers the service worker (static/js/sw.js, served at /sw.js),
// shows "Waiting to send: N" and each answer (saved / already saved / refused, with the reason),
// asks the worker to send when the network returns, and wipes this phone's copies at sign-out.
// Every text comes from data-* attributes of #offline-queue (templates/base.html), translated there.
// Forms work without this file: they post normally; the service worker keeps those that fail (the daily forms)
// or leaves the page as it was (any other form), and this file says that nothing was sent.
// After a save without a network the worker shows the kept page again: this file fills its form
// with what she entered (the entry waiting to be sent), so she never sees, or saves again, the
// older copy; saving it again replaces the entry waiting (the worker sends only the last one).
(function () {
  "use strict";
  var DB_NAME = "poshan-offline";
  var RETRY_MS = 30000;
  var box = document.getElementById("offline-queue");
  if (!box) { return; }
  var t = function (name) { return box.getAttribute("data-t-" + name) || ""; };
  var user = box.getAttribute("data-user") || "";
  var sw = "serviceWorker" in navigator ? navigator.serviceWorker : null;
  var pending = 0;

  function csrf() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }

  function uuid4() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text) { e.textContent = text; }
    return e;
  }

  function post(message) {
    if (!sw) { return; }
    sw.ready.then(function (reg) {
      var worker = sw.controller || reg.active;
      if (worker) { worker.postMessage(message); }
    });
  }

  function hello(send) {
    post({ type: "hello", user: user, csrf: csrf(), late: t("late"), flush: !!send && navigator.onLine,
           warm: (box.getAttribute("data-warm") || "").split(" ").filter(Boolean) });
  }

  // A page kept on the phone: say so, and give its forms new submission ids.
  var keptAt = document.documentElement.getAttribute("data-offline-copy");
  document.querySelectorAll('input[name$="client_uuid"]').forEach(function (input) {
    if (!input.value || keptAt) { input.value = uuid4(); }
  });
  var banner = null;
  if (keptAt) {
    var main = document.querySelector("main");
    var when = new Date(keptAt);
    var hhmm = ("0" + when.getHours()).slice(-2) + ":" + ("0" + when.getMinutes()).slice(-2);
    banner = el("p", "msg warning", t("copy").replace("{time}", hhmm));
    if (main) { main.insertBefore(banner, main.firstChild); }
  }

  function label(item) {
    return (box.getAttribute("data-k-" + item.type) || item.type) + (item.date ? " · " + item.date : "");
  }

  var TONE = { saved: "ok", duplicate: "ok", rejected: "bad" };

  // --- what she entered, shown again -------------------------------------------------------------
  var hash = /^#queued=([0-9a-f-]+)(&replaced=1)?$/.exec(location.hash);
  var restored = false;
  var shown = null; // {uuid, values, form, note, sent}: the entry filled into a form, while it waits and after
  var NOT_ENTERED = /(^|-)(csrfmiddlewaretoken|client_uuid|queued_edit)$/; // as sw.js's enteredFields

  function valuesOf(fields) {
    var out = {};
    fields.forEach(function (pair) { (out[pair[0]] = out[pair[0]] || []).push(pair[1]); });
    return out;
  }

  // The form an entry was posted from: its hidden fields (e.g. kind=open) agree with the entry,
  // and it has the most of the entry's fields.
  function formOf(values) {
    var best = null, score = 0;
    document.querySelectorAll('form[method="post"], form[method="POST"]').forEach(function (form) {
      var n = 0, agrees = true;
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!el.name || !values[el.name]) { return; }
        if (el.type === "hidden" && !/(^|-)(csrfmiddlewaretoken|client_uuid|replace|queued_edit)$/.test(el.name) &&
            values[el.name].indexOf(el.value) < 0) { agrees = false; }
        n += 1;
      });
      if (agrees && n > score) { best = form; score = n; }
    });
    return best;
  }

  function dateOf(values) {
    var key = Object.keys(values).filter(function (k) { return /(^|-)date$/.test(k); })[0];
    return key ? values[key][0] : "";
  }

  function fill(form, values) {
    var seen = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "hidden" || el.disabled) { return; }
      var got = values[el.name] || [];
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = got.indexOf(el.value) >= 0;
      } else if (el.type === "select-multiple") {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = got.indexOf(o.value) >= 0; });
      } else if (el.type !== "submit" && el.type !== "button" && el.type !== "file" && values[el.name]) {
        var i = seen[el.name] || 0;
        seen[el.name] = i + 1;
        el.value = got[i] === undefined ? "" : got[i];
      }
    });
  }

  // On the page shown after an offline save (#queued=<id>), or on a kept copy of a page whose form
  // has an entry waiting for the same day: fill the form with that entry and say it waits.
  function restore(s) {
    if (restored) { return; }
    restored = true;
    var entry = null;
    if (hash) {
      entry = s.pending.filter(function (p) { return p.uuid === hash[1]; })[0] || null;
      history.replaceState(null, "", location.pathname + location.search);
    } else if (keptAt) {
      s.pending.forEach(function (p) {
        if (p.path !== location.pathname) { return; }
        var values = valuesOf(p.fields), form = formOf(values);
        var shown = form && Array.prototype.filter.call(form.elements, function (el) { return /(^|-)date$/.test(el.name); })[0];
        if (form && (!shown || shown.value === dateOf(values))) { entry = p; }
      });
    }
    if (!entry || !entry.fields.length) { return; }
    var values = valuesOf(entry.fields);
    var form = formOf(values);
    if (!form) { return; }
    fill(form, values);
    var edit = form.querySelector('input[name="queued_edit"]') || el("input");
    edit.type = "hidden";
    edit.name = "queued_edit";
    edit.value = entry.uuid; // saving again replaces this entry
    form.appendChild(edit);
    form.dispatchEvent(new Event("change", { bubbles: true }));
    var again = hash && hash[2];
    var note = el("p", "msg ok", again ? t("replaced").replace("{what}", label(entry)) : t("entered"));
    note.setAttribute("data-queued-entry", again ? "replaced" : "kept");
    form.parentNode.insertBefore(note, form);
    shown = { uuid: entry.uuid, values: values, form: form, note: note, sent: false };
  }

  // The entry shown in a form has left the queue (sent): the form no longer edits an entry waiting.
  function shownSent(s) {
    if (!shown || shown.sent || s.pending.some(function (p) { return p.uuid === shown.uuid; })) { return; }
    shown.sent = true;
    var edit = shown.form.querySelector('input[name="queued_edit"]');
    if (edit) { edit.parentNode.removeChild(edit); }
    shown.note.hidden = true;
  }

  function entered(form) {
    return valuesOf(Array.from(new FormData(form)).filter(function (pair) {
      return typeof pair[1] === "string" && !NOT_ENTERED.test(pair[0]);
    }));
  }

  function sameEntry(now, values) {
    return Object.keys(now).concat(Object.keys(values)).every(function (name) {
      return (now[name] || []).join("\u0001") === (values[name] || []).join("\u0001");
    });
  }

  // Saved again, unchanged, after it was sent (the network came back while the form still showed it): the same
  // submission, under the id it was sent with, so the server answers it as the first and never saves it twice. A
  // changed form is a new submission (a correction), under a new id.
  document.addEventListener("submit", function (event) {
    if (!shown || !shown.sent || event.target !== shown.form) { return; }
    var buttons = {};
    Array.prototype.forEach.call(shown.form.elements, function (e) {
      if (e.type === "submit" || e.type === "button") { buttons[e.name] = true; }
    });
    var values = {};
    Object.keys(shown.values).forEach(function (name) { if (!buttons[name]) { values[name] = shown.values[name]; } });
    var same = sameEntry(entered(shown.form), values);
    shown.form.querySelectorAll('input[name$="client_uuid"]').forEach(function (input) {
      input.value = same ? shown.uuid : uuid4();
    });
  }, true);

  function render(s) {
    restore(s);
    shownSent(s);
    pending = s.pending.length;
    box.textContent = "";
    box.hidden = !pending && !s.results.length;
    if (pending) {
      var head = el("p");
      var count = el("strong", "", t("waiting").replace("{n}", pending));
      count.setAttribute("data-queue-count", pending);
      head.appendChild(count);
      var note = s.sending ? t("sending") : (s.error === "signin" ? t("signin") : t("kept"));
      head.appendChild(document.createTextNode(" " + note + " "));
      if (!s.sending && navigator.onLine && user) {
        var send = el("button", "link", t("send"));
        send.type = "button";
        send.addEventListener("click", function () { hello(true); });
        head.appendChild(send);
      }
      box.appendChild(head);
      var list = el("ul");
      s.pending.forEach(function (item) { list.appendChild(el("li", "", label(item))); });
      box.appendChild(list);
    }
    if (s.results.length) {
      var done = el("ul");
      s.results.forEach(function (r) {
        var li = el("li", "", label(r) + " ");
        li.setAttribute("data-queue-result", r.status);
        li.appendChild(el("span", "badge " + TONE[r.status], t(r.status)));
        if (r.reason) { li.appendChild(document.createTextNode(" " + r.reason)); }
        done.appendChild(li);
      });
      box.appendChild(done);
      var ok = el("button", "link", t("ok"));
      ok.type = "button";
      ok.addEventListener("click", function () { post({ type: "dismiss" }); });
      box.appendChild(ok);
    }
  }

  // Sign-out: warn about entries not sent yet, then drop caches, IndexedDB and storage on this
  // phone before the form goes (the server's Clear-Site-Data and the worker do the same).
  function wipe() {
    post({ type: "logout" });
    var jobs = [];
    try { localStorage.clear(); sessionStorage.clear(); } catch (e) { /* storage disabled */ }
    if (window.caches) {
      jobs.push(caches.keys().then(function (keys) { return Promise.all(keys.map(function (k) { return caches.delete(k); })); }));
    }
    if (window.indexedDB) {
      jobs.push(new Promise(function (resolve) {
        var del = indexedDB.deleteDatabase(DB_NAME);
        del.onsuccess = del.onerror = del.onblocked = function () { resolve(); };
      }));
    }
    var enough = new Promise(function (resolve) { setTimeout(resolve, 1500); });
    return Promise.race([Promise.all(jobs).catch(function () {}), enough]);
  }

  var logout = box.getAttribute("data-logout");
  document.querySelectorAll("form").forEach(function (form) {
    if (!logout || form.getAttribute("action") !== logout) { return; }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (pending && !window.confirm(t("confirm").replace("{n}", pending))) { return; }
      wipe().then(function () { form.submit(); });
    });
  });

  // A form not kept on the phone, posted without a network: the service worker left this page as it was, with
  // what she typed (sw.js, postOrStay), and says so; the note goes above the form she sent.
  var sent = null;
  document.addEventListener("submit", function (event) { sent = { form: event.target, at: Date.now() }; });

  function notSent() {
    if (!sent || Date.now() - sent.at > 120000 || !sent.form.parentNode) { return; }
    var form = sent.form;
    sent = null;
    var note = document.querySelector("[data-not-sent]") || el("p", "msg error");
    note.textContent = t("notsent");
    note.setAttribute("data-not-sent", "");
    note.setAttribute("role", "alert");
    form.parentNode.insertBefore(note, form);
    note.scrollIntoView({ block: "center" });
  }

  if (!sw) { return; }
  sw.addEventListener("message", function (event) {
    if (event.data && event.data.type === "state") { render(event.data); }
    if (event.data && event.data.type === "not-sent") { notSent(); }
  });
  sw.startMessages();
  if (user) { sw.register(box.getAttribute("data-sw"), { scope: "/" }).catch(function () {}); }
  // Send as soon as the network is back (the first try may come before the link really works: try
  // again shortly after), when the phone's screen comes back on, on every page load, and every 30 s.
  var soon = [];
  window.addEventListener("online", function () {
    if (banner) { banner.hidden = true; }
    hello(true);
    soon.forEach(clearTimeout);
    soon = [3000, 10000].map(function (ms) {
      return setTimeout(function () { if (pending && navigator.onLine) { hello(true); } }, ms);
    });
  });
  window.addEventListener("offline", function () { hello(false); });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && pending && navigator.onLine) { hello(true); }
  });
  setInterval(function () { if (pending && navigator.onLine) { hello(true); } }, RETRY_MS);
  hello(true);
})();
