// Face photo capture for THR (no inline script: CSP script-src 'self').
// - Where the browser allows, a live camera preview ("Use the live camera" → "Take the photo").
// - Any photo (live or from the phone's camera app) is cut to the face with a margin (the browser's
//   FaceDetector where it has one, else the centre of the photo), at most 400 px, upright, as JPEG
//   stepped down until it is at most 30 KB: a few seconds on a 64 kbit/s link instead of minutes.
//   The server checks the face anyway, so if anything here fails the original file is sent unchanged.
// - The photo is sent with a progress bar; when the last byte has gone the page says "checking" at once.
// - The photo stays in memory: nothing is stored on the phone.
(function () {
  "use strict";
  var MAX_SIDE = 400;
  var MAX_BYTES = 30 * 1024;
  var QUALITIES = [0.8, 0.7, 0.6, 0.5, 0.4];
  var SHRINK_STEP = 0.8;
  // Around a detected face: 1.1 face widths each side, 1.4 above the centre, 1.3 below (hair, chin, neck).
  var SIDE_MARGIN = 1.1, ABOVE = 1.4, BELOW = 1.3;
  // Without a detector: the middle of the photo, portrait-shaped (most of the frame is the person).
  var CENTRE_SHARE = 0.8;

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

  function clamp(v, lo, hi) { return Math.max(lo, Math.min(hi, v)); }

  function centreCrop(width, height) {
    var w = width * CENTRE_SHARE, h = Math.min(height * CENTRE_SHARE, w * 1.3);
    return { x: (width - w) / 2, y: (height - h) / 2, w: w, h: h };
  }

  function faceCrop(box, width, height) {
    var cx = box.x + box.width / 2, cy = box.y + box.height / 2, fw = box.width;
    var x0 = clamp(cx - SIDE_MARGIN * fw, 0, width), x1 = clamp(cx + SIDE_MARGIN * fw, 0, width);
    var y0 = clamp(cy - ABOVE * fw, 0, height), y1 = clamp(cy + BELOW * fw, 0, height);
    return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
  }

  // The crop to send: around the one face the browser's FaceDetector finds, else the centre.
  function findCrop(source, width, height, done) {
    if (!("FaceDetector" in window)) { done(centreCrop(width, height)); return; }
    try {
      new window.FaceDetector({ maxDetectedFaces: 1, fastMode: true }).detect(source).then(function (found) {
        done(found && found.length === 1 ? faceCrop(found[0].boundingBox, width, height) : centreCrop(width, height));
      }).catch(function () { done(centreCrop(width, height)); });
    } catch (e) {
      done(centreCrop(width, height));
    }
  }

  function encode(source, crop, scale, step, done) {
    var canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(crop.w * scale));
    canvas.height = Math.max(1, Math.round(crop.h * scale));
    canvas.getContext("2d").drawImage(source, crop.x, crop.y, crop.w, crop.h, 0, 0, canvas.width, canvas.height);
    canvas.toBlob(function (blob) {
      if (!blob || blob.size <= MAX_BYTES) { done(blob); return; }
      if (step + 1 < QUALITIES.length) { encode(source, crop, scale, step + 1, done); return; }
      encode(source, crop, scale * SHRINK_STEP, 0, done); // still too big: smaller, from the best quality again
    }, "image/jpeg", QUALITIES[step]);
  }

  function shrink(source, width, height, done) {
    findCrop(source, width, height, function (crop) {
      encode(source, crop, Math.min(1, MAX_SIDE / Math.max(crop.w, crop.h)), 0, done);
    });
  }

  // Send the form with a progress bar; say "checking" the moment the upload ends; then show the answer.
  function sendWithProgress(form, sending) {
    var bar = sending && sending.querySelector("progress");
    var label = sending && sending.querySelector("[data-frs-sending-label]");
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action || window.location.href);
    xhr.upload.addEventListener("progress", function (e) {
      if (bar && e.lengthComputable) { bar.max = e.total; bar.value = e.loaded; }
    });
    xhr.upload.addEventListener("load", function () {
      if (bar) { bar.removeAttribute("value"); }
      if (label && sending.dataset.checking) { label.textContent = sending.dataset.checking; }
    });
    xhr.addEventListener("load", function () {
      if (xhr.responseURL && xhr.responseURL !== (form.action || window.location.href) && xhr.status === 200) {
        window.location.replace(xhr.responseURL); // the check page (redirected after the upload)
      } else {
        document.open(); document.write(xhr.responseText); document.close(); // the form again, with its messages
      }
    });
    xhr.addEventListener("error", function () { form.dataset.frsPlain = "1"; form.submit(); });
    xhr.send(new FormData(form));
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

    // Both frames of the head-turn challenge are sent face-sized: the photo and the one after the turn.
    function shrinkOnChange(field, shown) {
      if (!field) { return; }
      field.addEventListener("change", function () {
        var file = field.files && field.files[0];
        if (!file || !window.createImageBitmap || file.type === "image/jpeg" && file.name === "face.jpg") { return; }
        shrinking = true;
        createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
          shrink(bitmap, bitmap.width, bitmap.height, function (blob) {
            shrinking = false;
            if (blob && setFile(field, blob) && shown) { showPreview(shown, blob); }
          });
        }).catch(function () { shrinking = false; });
      });
    }
    shrinkOnChange(input, preview);
    shrinkOnChange(form.querySelector("input.frs-photo-turned"), null);

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
      if (window.FormData && window.XMLHttpRequest && !form.dataset.frsPlain) {
        event.preventDefault();
        sendWithProgress(form, sending);
      }
      var button = form.querySelector("button[type=submit]");
      if (button) { button.disabled = true; }
    });
    window.addEventListener("pagehide", stop);
  }

  document.querySelectorAll("form[data-frs-form]").forEach(setup);
})();
