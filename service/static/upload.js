// The upload form, improved where JavaScript runs (without it the form posts as it is):
// - dropped or chosen files join one list; a file already in it (same name and size) is not
//   added twice; each can be removed before sending;
// - on sending, each file goes in a request of its own to the same form address, with its own
//   progress bar; the buttons are disabled until every file has been answered; then the answers
//   (the server's own result cards) are shown as the page without JavaScript shows them.
// Texts come from the form's data-* attributes (the page's language); no inline script (CSP).
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  var zone = document.getElementById("dropzone");
  var input = document.getElementById("files");
  var list = document.getElementById("chosen");
  var status = document.getElementById("upload-status");
  if (!form || !zone || !input || !list || typeof DataTransfer === "undefined") { return; }
  var chosen = [];
  var sending = false;

  function text(name, file) {
    return (form.dataset[name] || "").replace("{name}", file ? file.name : "");
  }

  function announce(message) {
    if (status) { status.textContent = message; }
  }

  function sync() {
    // Keep the ordinary input equal to the list: a post without this script sends the same.
    var data = new DataTransfer();
    chosen.forEach(function (entry) { data.items.add(entry.file); });
    input.files = data.files;
  }

  function row(entry) {
    var item = document.createElement("li");
    var name = document.createElement("span");
    name.textContent = entry.file.name + " (" + entry.file.size.toLocaleString() + " B)";
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-label", text("progress", entry.file));
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "secondary remove";
    remove.textContent = text("removeShort");
    remove.setAttribute("aria-label", text("remove", entry.file));
    remove.addEventListener("click", function () {
      chosen = chosen.filter(function (other) { return other !== entry; });
      sync();
      show();
      input.focus();
    });
    item.appendChild(name);
    item.appendChild(bar);
    item.appendChild(remove);
    entry.bar = bar;
    entry.remove = remove;
    return item;
  }

  function show() {
    list.textContent = "";
    chosen.forEach(function (entry) { list.appendChild(row(entry)); });
  }

  function add(files) {
    var dropped = [];
    Array.prototype.forEach.call(files, function (file) {
      var twin = chosen.some(function (entry) {
        return entry.file.name === file.name && entry.file.size === file.size;
      });
      if (twin) { dropped.push(text("duplicate", file)); } else { chosen.push({file: file}); }
    });
    sync();
    show();
    announce(dropped.join(" "));
  }

  function buttons(disabled) {
    Array.prototype.forEach.call(form.querySelectorAll("button"), function (button) {
      button.disabled = disabled;
    });
  }

  function results(mode) {
    // Filled while the files are answered, shown once all are (as the page without script).
    var old = document.getElementById("live-results");
    if (old) { old.parentNode.removeChild(old); }
    var section = document.createElement("section");
    section.id = "live-results";
    section.className = "results";
    var heading = document.createElement("h2");
    heading.tabIndex = -1;
    heading.textContent = mode === "validate" ? text("validated") : text("results");
    section.appendChild(heading);
    return section;
  }

  function answered(entry, request, section) {
    var page = new DOMParser().parseFromString(request.responseText || "", "text/html");
    var cards = page.querySelectorAll("section.results article");
    if (!cards.length) {
      var failure = document.createElement("p");
      failure.className = "error";
      var reason = page.querySelector("main p.error");
      failure.textContent = text("failed", entry.file) + (reason ? " " + reason.textContent : "");
      section.appendChild(failure);
      return;
    }
    Array.prototype.forEach.call(cards, function (card) {
      section.appendChild(document.importNode(card, true));
    });
  }

  function send(entries, mode, section, done) {
    if (!entries.length) { done(); return; }
    var entry = entries[0];
    var body = new FormData();
    body.append("csrf_token", form.elements.csrf_token.value);
    body.append("mode", mode);
    body.append("files", entry.file);
    var request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) { entry.bar.value = Math.round(100 * event.loaded / event.total); }
    });
    request.addEventListener("loadend", function () {
      entry.bar.value = 100;
      answered(entry, request, section);
      send(entries.slice(1), mode, section, done);
    });
    request.send(body);
  }

  form.addEventListener("submit", function (event) {
    if (!chosen.length || typeof FormData === "undefined") { return; }  // the server explains
    event.preventDefault();
    if (sending) { return; }
    sending = true;
    var mode = event.submitter && event.submitter.value ? event.submitter.value : "validate";
    var section = results(mode);
    buttons(true);
    chosen.forEach(function (entry) { entry.remove.disabled = true; });
    announce(text("sending"));
    send(chosen.slice(), mode, section, function () {
      form.parentNode.insertBefore(section, form);
      chosen = [];
      sync();
      sending = false;
      buttons(false);
      announce(text("done"));
      section.querySelector("h2").focus();
    });
  });

  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) {
      event.preventDefault();
      zone.classList.add("over");
    });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function () { zone.classList.remove("over"); });
  });
  zone.addEventListener("drop", function (event) {
    event.preventDefault();
    add(event.dataTransfer.files);
  });
  input.addEventListener("change", function () {
    // The input now holds only the newly chosen files; the list keeps the earlier ones.
    var fresh = Array.prototype.slice.call(input.files);
    add(fresh);
  });
})();
