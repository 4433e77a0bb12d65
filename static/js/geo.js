// Add the phone's position to the "open" form when the browser allows it; the form works without it.
(function () {
  var form = document.querySelector("form[data-geo]");
  if (!form || !navigator.geolocation) { return; }
  navigator.geolocation.getCurrentPosition(function (pos) {
    form.querySelector('[name$="latitude"]').value = pos.coords.latitude.toFixed(5);
    form.querySelector('[name$="longitude"]').value = pos.coords.longitude.toFixed(5);
    var status = form.querySelector("[data-geo-status]");
    if (status) { status.textContent = status.getAttribute("data-ok") || "\u2713"; }
  }, function () {}, { enableHighAccuracy: false, timeout: 8000, maximumAge: 600000 });
})();
