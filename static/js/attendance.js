// Count the ticked children as the worker taps, and tick or untick a child's meal with her presence:
// one tap per child who came, and an absent child never has a meal ticked (the page works without this,
// and the server records no meal for a child not present).
(function () {
  var out = document.querySelector("[data-count]");
  if (!out) { return; }
  function update() {
    out.textContent = document.querySelectorAll('input[name="present"]:checked').length + " \u2713";
  }
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (box && box.name === "present") {
      var meal = document.getElementById("m" + box.value);
      if (meal) { meal.checked = box.checked; }
    }
    update();
  });
  update();
})();
