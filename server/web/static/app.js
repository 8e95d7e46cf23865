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
  // The picture viewer: a thumbnail (a[data-viewer]) opens its picture in
  // the page's dialog#viewer. The dialog is modal, so focus stays in it;
  // Escape (the dialog's own), the close button or a click beside the
  // picture closes it and focus goes back to the thumbnail; the arrow keys
  // and buttons go through the pictures of the page.
  document.addEventListener("DOMContentLoaded", function () {
    var dialog = document.getElementById("viewer");
    if (!dialog || typeof dialog.showModal !== "function") { return; }
    var img = dialog.querySelector("[data-viewer-img]");
    var title = document.getElementById("viewer-name");
    var count = dialog.querySelector("[data-viewer-count]");
    var download = dialog.querySelector("[data-viewer-download]");
    var prev = dialog.querySelector("[data-viewer-prev]");
    var next = dialog.querySelector("[data-viewer-next]");
    var links = [], current = 0, opener = null;
    function shown() {
      return Array.from(document.querySelectorAll("a[data-viewer]")).filter(function (a) { return !a.closest("[hidden]"); });
    }
    function show(i) {
      current = (i + links.length) % links.length;
      var a = links[current];
      img.src = a.getAttribute("href");
      img.alt = a.dataset.name;
      title.textContent = a.dataset.name;
      download.href = a.dataset.download;
      count.textContent = links.length > 1 ? dialog.dataset.count.replace("{n}", current + 1).replace("{total}", links.length) : "";
      prev.hidden = next.hidden = links.length < 2;
    }
    document.addEventListener("click", function (e) {
      var a = e.target.closest && e.target.closest("a[data-viewer]");
      if (!a || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey) { return; }
      e.preventDefault();
      links = shown();
      opener = a;
      show(links.indexOf(a));
      dialog.showModal();
    });
    prev.addEventListener("click", function () { show(current - 1); });
    next.addEventListener("click", function () { show(current + 1); });
    dialog.querySelector("[data-viewer-close]").addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("click", function (e) { if (e.target === dialog) { dialog.close(); } });
    dialog.addEventListener("keydown", function (e) {
      if (e.key === "ArrowRight" && links.length > 1) { e.preventDefault(); show(current + 1); }
      if (e.key === "ArrowLeft" && links.length > 1) { e.preventDefault(); show(current - 1); }
    });
    dialog.addEventListener("close", function () {
      img.removeAttribute("src");
      if (opener) { opener.focus(); }
    });
  });
  // A thumbnail that cannot be made (the file is no picture after all)
  // disappears; the download link beside it stays.
  document.addEventListener("error", function (e) {
    var box = e.target.tagName === "IMG" && e.target.closest(".tl-thumb");
    if (box) { box.hidden = true; }
  }, true);
  // A copy button (button[data-copy]) copies the text of the element it
  // names, such as a token shown once, and says so; without script the
  // text stays selectable and the button hidden.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      var source = document.getElementById(button.dataset.copy);
      var status = button.parentNode.querySelector("[data-copy-status]");
      if (!source) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        var text = source.textContent.trim();
        var said = function () { if (status) { status.textContent = button.dataset.copied; } };
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(text).then(said, function () { selectAndCopy(source); said(); });
        } else {
          selectAndCopy(source);
          said();
        }
      });
    });
  });
  function selectAndCopy(el) {
    var range = document.createRange();
    range.selectNodeContents(el);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    try { document.execCommand("copy"); } catch (e) { /* the text stays selected */ }
  }
})();
