// Beheer's small progressive enhancements; every form works without them.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  // Send the CSRF token with every htmx request.
  document.addEventListener("htmx:configRequest", function (e) {
    var token = document.body.dataset.csrf;
    if (token) { e.detail.headers["X-CSRF-Token"] = token; }
  });

  // Drag and drop onto a file input's drop zone; the dropped files are
  // checked like chosen ones.
  function dropzones(root) {
    root.querySelectorAll("[data-dropzone]").forEach(function (zone) {
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
          input.dispatchEvent(new Event("change", { bubbles: true }));
        }
      });
    });
  }

  // Files are checked before they are sent (the server checks again): the
  // size against the limit, and the kinds the server refuses. The message
  // goes beside the field, and the form is not sent while it stands.
  // Messages the browser completes come with markers such as %name% (the
  // page never shows an unfilled {name}).
  var refused = /\.(html?|xhtml|svg|xml|m?js)$/i;
  function fileProblem(input) {
    var max = parseInt(input.dataset.maxBytes || "0", 10);
    var files = Array.from(input.files || []);
    for (var i = 0; i < files.length; i++) {
      var f = files[i];
      if (f.size === 0) { return (input.dataset.msgEmpty || "").replace("%name%", f.name); }
      if (max > 0 && f.size > max) { return (input.dataset.msgTooLarge || "").replace("%name%", f.name); }
      if (refused.test(f.name)) { return (input.dataset.msgType || "").replace("%name%", f.name); }
    }
    return "";
  }
  function showFileProblem(input) {
    var msg = fileProblem(input);
    var id = input.id + "-check";
    var el = document.getElementById(id);
    if (!msg) {
      if (el) { el.remove(); }
      if (input.dataset.checked) { input.removeAttribute("aria-invalid"); }
      return true;
    }
    if (!el) {
      el = document.createElement("p");
      el.className = "field-error";
      el.id = id;
      el.setAttribute("role", "alert");
      (input.closest(".dropzone") || input).insertAdjacentElement("beforebegin", el);
      var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      if (described.indexOf(id) < 0) { described.push(id); }
      input.setAttribute("aria-describedby", described.join(" "));
    }
    el.textContent = msg;
    input.setAttribute("aria-invalid", "true");
    input.dataset.checked = "1";
    return false;
  }

  // A counter under every field with a maximum: "120 van 5.000 tekens".
  function counters(root) {
    root.querySelectorAll("textarea[maxlength], input[maxlength][data-counter]").forEach(function (field) {
      if (field.dataset.counted) { return; }
      field.dataset.counted = "1";
      var max = parseInt(field.getAttribute("maxlength"), 10);
      var out = document.createElement("p");
      out.className = "counter";
      out.id = field.id + "-counter";
      field.insertAdjacentElement("afterend", out);
      var nf = new Intl.NumberFormat(document.documentElement.lang || "nl");
      var label = document.body.dataset.counter || "%n% / %max%";
      var update = function () {
        var n = field.value.length;
        out.textContent = label.replace("%n%", nf.format(n)).replace("%max%", nf.format(max));
        out.classList.toggle("near", n > max * 0.9);
      };
      field.addEventListener("input", update);
      update();
    });
  }

  // Open the <details> a link or the address points at: the button "next
  // step" in a request's head and links in an error summary land in an
  // open form.
  function openTarget(hash) {
    if (!hash || hash.length < 2) { return; }
    var el = document.getElementById(decodeURIComponent(hash.slice(1)));
    if (!el) { return; }
    var d = el.tagName === "DETAILS" ? el : el.closest("details");
    if (d) { d.open = true; }
  }

  // "Select all" in a table of check boxes.
  function selectAll(root) {
    root.querySelectorAll("[data-select-all]").forEach(function (box) {
      box.hidden = false;
      var boxes = function () { return document.querySelectorAll(box.dataset.selectAll); };
      box.addEventListener("change", function () {
        boxes().forEach(function (b) { b.checked = box.checked; });
      });
    });
  }

  // The menu on a phone: a button opens and closes it.
  function menu() {
    var button = document.querySelector(".menu-toggle");
    var panel = document.getElementById("menu");
    if (!button || !panel) { return; }
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", String(open));
      panel.classList.toggle("open", open);
    });
  }

  // A table wider than its frame scrolls; without a link in it, the
  // keyboard could not reach the hidden part, so the frame takes focus.
  function scrollables(root) {
    root.querySelectorAll(".table-wrap, .chart-wrap").forEach(function (wrap) {
      if (wrap.scrollWidth <= wrap.clientWidth || wrap.querySelector("a, button, input, select, textarea")) { return; }
      wrap.tabIndex = 0;
      wrap.setAttribute("role", "region");
      var name = wrap.querySelector("caption, svg title");
      if (name) { wrap.setAttribute("aria-label", name.textContent.trim()); }
    });
  }

  function enhance(root) {
    scrollables(root);
    dropzones(root);
    counters(root);
    selectAll(root);
  }

  document.addEventListener("DOMContentLoaded", function () {
    // On a phone, a panel of filters starts folded: the list comes first.
    if (window.matchMedia("(max-width: 640px)").matches) {
      document.querySelectorAll("details[data-collapse-narrow]").forEach(function (d) { d.open = false; });
    }
    enhance(document);
    menu();
    openTarget(location.hash);
    document.addEventListener("change", function (e) {
      if (e.target.matches && e.target.matches("input[type=file][data-max-bytes]")) { showFileProblem(e.target); }
    });
    document.addEventListener("submit", function (e) {
      var bad = Array.from(e.target.querySelectorAll("input[type=file][data-max-bytes]")).filter(function (i) { return !showFileProblem(i); });
      if (bad.length) { e.preventDefault(); bad[0].focus(); }
    }, true);
    document.addEventListener("click", function (e) {
      var a = e.target.closest && e.target.closest("a[href^='#']");
      if (!a) { return; }
      openTarget(a.getAttribute("href"));
      // A link in an error summary puts the person in the field itself.
      if (a.closest(".error-summary")) {
        var field = document.getElementById(decodeURIComponent(a.getAttribute("href").slice(1)));
        if (field && field.focus) { e.preventDefault(); field.scrollIntoView({block: "center"}); field.focus(); }
      }
    });
    window.addEventListener("hashchange", function () { openTarget(location.hash); });
  });
  document.addEventListener("htmx:afterSwap", function (e) { enhance(e.target); });
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
      count.textContent = links.length > 1 ? dialog.dataset.count.replace("%n%", current + 1).replace("%total%", links.length) : "";
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
  // disappears; the download link beside it stays. This script is
  // deferred, so a thumbnail of the page itself may have failed before it
  // ran: those are found by looking.
  document.addEventListener("error", function (e) {
    var box = e.target.tagName === "IMG" && e.target.closest(".tl-thumb");
    if (box) { box.hidden = true; }
  }, true);
  document.querySelectorAll(".tl-thumb img").forEach(function (img) {
    if (img.complete && img.naturalWidth === 0) { img.closest(".tl-thumb").hidden = true; }
  });
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
  // A person field with more people than its list holds: the search box
  // above it (hidden without script, where the list alone serves) asks
  // the server for the people matching what was typed, keeping the person
  // chosen; Enter searches instead of sending the form.
  function personSearches(root) {
    root.querySelectorAll("[data-person-search][hidden]").forEach(function (box) { box.hidden = false; });
  }
  document.addEventListener("DOMContentLoaded", function () { personSearches(document); });
  document.addEventListener("htmx:afterSwap", function () { personSearches(document); });
  document.addEventListener("htmx:configRequest", function (e) {
    var input = e.detail.elt;
    if (!input.dataset || !input.dataset.personField) { return; }
    var select = document.getElementById(input.dataset.personField);
    e.detail.parameters.q = input.value;
    e.detail.parameters.field = input.dataset.personField;
    e.detail.parameters.selected = select ? select.value : "";
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && e.target.dataset && e.target.dataset.personField) { e.preventDefault(); }
  });
  document.addEventListener("change", function () { conditions(document); });
  document.addEventListener("DOMContentLoaded", function () { conditions(document); });
  document.addEventListener("htmx:afterSwap", function () { conditions(document); });
  // A process field that follows an area field (select[data-area-from])
  // offers the chosen area's processes, every area's while none is chosen.
  // Choosing another area lets go of a process outside it; a process shown
  // when the page opens stays in view. Without script every area's
  // processes stay, and the server refuses a mismatch beside the field.
  function followArea(select, keep) {
    var area = document.getElementById(select.dataset.areaFrom);
    if (!area) { return; }
    var all = area.value === "" || area.value === "0";
    var chosen = select.selectedOptions[0];
    select.querySelectorAll("optgroup[data-area]").forEach(function (g) {
      var off = !all && g.dataset.area !== area.value && !(keep && chosen && chosen.parentNode === g);
      g.hidden = off;
      g.disabled = off;
    });
    if (chosen && chosen.parentNode.disabled) { select.value = "0"; }
  }
  function followAreas(root, keep) {
    root.querySelectorAll("select[data-area-from]").forEach(function (s) { followArea(s, keep); });
  }
  document.addEventListener("DOMContentLoaded", function () { followAreas(document, true); });
  document.addEventListener("htmx:afterSwap", function (e) { followAreas(e.target, true); });
  document.addEventListener("change", function (e) {
    if (!e.target.id) { return; }
    document.querySelectorAll('select[data-area-from="' + e.target.id + '"]').forEach(function (s) { followArea(s, false); });
  });
})();
