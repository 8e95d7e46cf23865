// Beheer's small progressive enhancements; every form works without them.
(function () {
  "use strict";
  // Send the CSRF token with every htmx request.
  document.addEventListener("htmx:configRequest", function (e) {
    var token = document.body.dataset.csrf;
    if (token) { e.detail.headers["X-CSRF-Token"] = token; }
  });
  // Drag and drop onto a file input's drop zone.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-dropzone]").forEach(function (zone) {
      var input = document.getElementById(zone.dataset.dropzone);
      if (!input) { return; }
      ["dragenter", "dragover"].forEach(function (ev) {
        zone.addEventListener(ev, function (e) { e.preventDefault(); zone.classList.add("over"); });
      });
      ["dragleave", "drop"].forEach(function (ev) {
        zone.addEventListener(ev, function (e) { e.preventDefault(); zone.classList.remove("over"); });
      });
      zone.addEventListener("drop", function (e) {
        if (e.dataTransfer && e.dataTransfer.files.length) {
          input.files = e.dataTransfer.files;
          var out = zone.querySelector("[data-filename]");
          if (out) { out.textContent = Array.from(input.files).map(function (f) { return f.name; }).join(", "); }
        }
      });
    });
  });
  // A form's field shown only when another field has a given value: hidden
  // otherwise (the server ignores what a hidden field holds).
  function conditions(root) {
    root.querySelectorAll("[data-show-if]").forEach(function (box) {
      var form = box.closest("form");
      var inputs = form ? form.querySelectorAll('[name="' + box.dataset.showIf + '"]') : [];
      var shown = Array.from(inputs).some(function (i) {
        return (i.type === "radio" || i.type === "checkbox") ? i.checked && i.value === box.dataset.showValue : i.value === box.dataset.showValue;
      });
      box.hidden = !shown;
    });
  }
  document.addEventListener("change", function () { conditions(document); });
  document.addEventListener("DOMContentLoaded", function () { conditions(document); });
  document.addEventListener("htmx:afterSwap", function () { conditions(document); });
})();
