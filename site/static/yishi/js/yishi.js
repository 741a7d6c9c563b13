// Progressive enhancement only: every control works without this file.
(function () {
  "use strict";
  var form = document.querySelector("form.text-size");
  if (!form || !window.fetch) { return; }
  form.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-size]");
    if (!button) { return; }
    event.preventDefault();
    var size = button.getAttribute("data-size");
    var root = document.documentElement;
    root.classList.remove("text-small", "text-medium", "text-large");
    root.classList.add("text-" + size);
    form.querySelectorAll("button[data-size]").forEach(function (b) {
      b.setAttribute("aria-pressed", b === button ? "true" : "false");
    });
    var data = new URLSearchParams(new FormData(form));
    data.set("size", size);
    fetch(form.action + "?" + data.toString(), { credentials: "same-origin", redirect: "manual" });
  });
})();
