// Training video page: report how far the worker has watched (the page works without this:
// the "I have watched this" button does the same). No inline script: CSP forbids it.
(function () {
  "use strict";
  var REPORT_EVERY_SECONDS = 15;
  var MAX_SKIP_SECONDS = 3; // a jump ahead is not watching

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function track(video) {
    // Fit the player to a 360 px screen (CSSOM is allowed by the CSP; style attributes are not).
    video.style.width = "100%";
    video.style.height = "auto";
    var reported = parseInt(video.dataset.watched || "0", 10);
    var furthest = reported;
    var inflight = Promise.resolve();

    function send(at) {
      return fetch(video.dataset.progressUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify({ video: parseInt(video.dataset.video, 10), watched_seconds: at })
      }).then(function (response) {
        if (response.ok && at > reported) { reported = at; }
      }).catch(function () { /* offline: the next report carries the same figure */ });
    }

    // Reports go one after the other; each sends the furthest point reached by then.
    function report(force) {
      inflight = inflight.then(function () {
        var at = Math.floor(furthest);
        if (at > reported && (force || at - reported >= REPORT_EVERY_SECONDS)) {
          return send(at);
        }
      });
      return inflight;
    }

    video.addEventListener("timeupdate", function () {
      if (video.currentTime <= furthest + MAX_SKIP_SECONDS) {
        furthest = Math.max(furthest, video.currentTime);
      }
      report(false);
    });
    video.addEventListener("pause", function () { report(true); });
    video.addEventListener("ended", function () {
      report(true).then(function () { window.location.reload(); }); // shows the quiz button
    });
  }

  document.querySelectorAll("video[data-progress-url]").forEach(track);
})();
