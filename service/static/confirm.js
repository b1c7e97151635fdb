// Forms marked data-confirm ask before they are sent (the reject form): a static file, because
// the Content-Security-Policy allows no inline script such as onsubmit="…".
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form instanceof HTMLFormElement ? form.getAttribute("data-confirm") : null;
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
})();
