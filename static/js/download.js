// A form whose answer is a file (an export): the file does not replace the page, so when the form is sent again the
// messages of the try before are taken away; had they stayed, they would say the file was refused. A form refused
// again comes back from the server with its own messages; a form sent without a network gets offline.js's note
// ([data-not-sent]) again.
(function () {
  document.querySelectorAll("form[data-download]").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll(".errorlist, .errors").forEach(function (e) { e.remove(); });
      document.querySelectorAll("[data-not-sent]").forEach(function (e) { e.remove(); });
      form.querySelectorAll(".has-error").forEach(function (e) { e.classList.remove("has-error"); });
    });
  });
})();
