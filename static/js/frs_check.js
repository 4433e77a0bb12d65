// Follows a face check while the frs worker runs it, then reloads the page for the result.
// Without JavaScript the page refreshes itself every 2 s (<noscript><meta refresh>).
(function () {
  "use strict";
  var box = document.querySelector("[data-frs-check]");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-frs-check");
  var elapsed = box.querySelector("[data-frs-elapsed]");
  var INTERVAL_MS = 400;
  var GIVE_UP_MS = 150000;
  var started = Date.now();

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" }, cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && data.status !== "pending") { window.location.reload(); return; }
        if (data && elapsed) { elapsed.textContent = "(" + (data.elapsed_ms / 1000).toFixed(1) + " s)"; }
        if (Date.now() - started < GIVE_UP_MS) { setTimeout(poll, INTERVAL_MS); } else { window.location.reload(); }
      })
      .catch(function () {
        if (Date.now() - started < GIVE_UP_MS) { setTimeout(poll, INTERVAL_MS * 5); }
      });
  }
  setTimeout(poll, INTERVAL_MS);
})();
