// Face photo capture for THR (no inline script: CSP script-src 'self').
// - Where the browser allows, a live camera preview ("Use the live camera" → "Take the photo").
// - Any photo (live or from the phone's camera app) is shrunk to at most 640 px before it is sent,
//   upright, as JPEG: ~60 KB instead of 3-6 MB on a 2G/3G link. The server shrinks again anyway,
//   so if anything here fails the original file is sent unchanged.
// - The photo stays in memory: nothing is stored on the phone.
(function () {
  "use strict";
  var MAX_SIDE = 640;
  var QUALITY = 0.9;

  function setFile(input, blob) {
    try {
      var dt = new DataTransfer();
      dt.items.add(new File([blob], "face.jpg", { type: "image/jpeg" }));
      input.files = dt.files;
      return true;
    } catch (e) {
      return false;
    }
  }

  function shrink(source, width, height, done) {
    var scale = Math.min(1, MAX_SIDE / Math.max(width, height));
    var canvas = document.createElement("canvas");
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    canvas.getContext("2d").drawImage(source, 0, 0, canvas.width, canvas.height);
    canvas.toBlob(done, "image/jpeg", QUALITY);
  }

  // The stylesheet gives buttons display:inline-block, which beats the hidden attribute: toggle display.
  function show(el, visible) {
    if (!el) { return; }
    el.hidden = !visible;
    el.style.display = visible ? "" : "none";
  }

  function showPreview(img, blob) {
    if (!img) { return; }
    if (img.src) { URL.revokeObjectURL(img.src); }
    img.src = URL.createObjectURL(blob);
    show(img, true);
  }

  function setup(form) {
    var input = form.querySelector("input.frs-photo");
    if (!input) { return; }
    var box = form.querySelector("[data-frs-camera]");
    var video = form.querySelector("[data-frs-video]");
    var preview = form.querySelector("[data-frs-preview]");
    var start = form.querySelector("[data-frs-start]");
    var shoot = form.querySelector("[data-frs-shoot]");
    var sending = form.querySelector("[data-frs-sending]");
    var stream = null;
    var shrinking = false;

    function stop() {
      if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); stream = null; }
      if (video) { video.srcObject = null; show(video, false); }
      show(shoot, false);
    }

    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      if (!file || !window.createImageBitmap || file.type === "image/jpeg" && file.name === "face.jpg") { return; }
      shrinking = true;
      createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
        shrink(bitmap, bitmap.width, bitmap.height, function (blob) {
          shrinking = false;
          if (blob && setFile(input, blob)) { showPreview(preview, blob); }
        });
      }).catch(function () { shrinking = false; });
    });

    show(shoot, false);
    if (box && navigator.mediaDevices && navigator.mediaDevices.getUserMedia && window.DataTransfer) {
      show(box, true);
      start.addEventListener("click", function () {
        navigator.mediaDevices.getUserMedia({
          video: { facingMode: "user", width: { ideal: 640 }, height: { ideal: 480 } }, audio: false
        }).then(function (s) {
          stream = s;
          video.srcObject = s;
          show(video, true);
          show(shoot, true);
          show(preview, false);
          return video.play();
        }).catch(function () {
          show(box, false); // no camera permission: the file input below still works
        });
      });
      shoot.addEventListener("click", function () {
        if (!stream || !video.videoWidth) { return; }
        shrink(video, video.videoWidth, video.videoHeight, function (blob) {
          if (blob && setFile(input, blob)) { showPreview(preview, blob); }
          stop();
        });
      });
    }

    form.addEventListener("submit", function (event) {
      if (shrinking) { event.preventDefault(); setTimeout(function () { form.requestSubmit(); }, 200); return; }
      stop();
      show(sending, true);
      var button = form.querySelector("button[type=submit]");
      if (button) { button.disabled = true; }
    });
    window.addEventListener("pagehide", stop);
  }

  document.querySelectorAll("form[data-frs-form]").forEach(setup);
})();
