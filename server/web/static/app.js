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
  // The comment box: "@" offers colleagues to mention (the list comes from
  // the server, which knows who may read the request); "/" at the start
  // offers the standard answers of the list above the box. Delegated, as
  // htmx replaces the box when an answer is chosen.
  function pickList(box) {
    var id = box.id + "-mentions", list = document.getElementById(id);
    if (!list) {
      list = document.createElement("div");
      list.id = id;
      list.className = "mentions";
      list.setAttribute("aria-live", "polite");
      box.insertAdjacentElement("afterend", list);
    }
    return list;
  }
  function insertAtWord(box, re, text) {
    var pos = box.selectionStart, before = box.value.slice(0, pos).replace(re, text);
    box.value = before + box.value.slice(pos);
    box.focus();
    box.setSelectionRange(before.length, before.length);
  }
  document.addEventListener("input", function (e) {
    var box = e.target;
    if (!box.matches || !box.matches("#form-comment textarea")) { return; }
    var list = pickList(box), before = box.value.slice(0, box.selectionStart);
    var slash = /^\/(.*)$/.exec(box.value), choice = document.getElementById("answer-choice");
    if (slash && choice) {
      var q = slash[1].toLowerCase(), html = "";
      Array.from(choice.options).forEach(function (o) {
        if (o.value && o.text.toLowerCase().indexOf(q) >= 0) {
          html += '<li><button type="button" class="link" data-answer="' + o.value + '"></button></li>';
        }
      });
      list.innerHTML = html ? '<ul class="mention-list">' + html + "</ul>" : "";
      list.querySelectorAll("[data-answer]").forEach(function (b) {
        b.textContent = choice.querySelector('option[value="' + b.dataset.answer + '"]').text;
      });
      return;
    }
    var at = /(^|\s)@([\w.+-]*)$/.exec(before);
    if (!at || !box.dataset.mentions) { list.innerHTML = ""; return; }
    var internal = document.getElementById("comment-internal");
    var url = box.dataset.mentions + "?q=" + encodeURIComponent(at[2]) + (internal && internal.checked ? "&internal=1" : "");
    fetch(url, { headers: { "HX-Request": "true" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (html) { list.innerHTML = html; });
  });
  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("#form-comment [data-handle], #form-comment [data-answer]");
    if (!b) { return; }
    var box = document.querySelector("#form-comment textarea"), list = b.closest(".mentions");
    if (b.dataset.handle) {
      insertAtWord(box, /@[\w.+-]*$/, "@" + b.dataset.handle + " ");
    } else {
      var choice = document.getElementById("answer-choice");
      box.value = "";
      choice.value = b.dataset.answer;
      choice.dispatchEvent(new Event("change", { bubbles: true }));
    }
    if (list) { list.innerHTML = ""; }
  });
})();
