// Drag-and-drop onto the upload form: dropped files go into the ordinary file input,
// so the form posts exactly as it does without JavaScript.
(function () {
  "use strict";
  var zone = document.getElementById("dropzone");
  var input = document.getElementById("files");
  var list = document.getElementById("chosen");
  if (!zone || !input || typeof DataTransfer === "undefined") { return; }

  function show() {
    list.textContent = "";
    Array.prototype.forEach.call(input.files, function (file) {
      var item = document.createElement("li");
      item.textContent = file.name + " (" + file.size.toLocaleString() + " B)";
      list.appendChild(item);
    });
  }

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
    var merged = new DataTransfer();
    Array.prototype.forEach.call(input.files, function (file) { merged.items.add(file); });
    Array.prototype.forEach.call(event.dataTransfer.files, function (file) { merged.items.add(file); });
    input.files = merged.files;
    show();
  });
  input.addEventListener("change", show);
})();
