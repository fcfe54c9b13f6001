// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  // Ask before leaving a form with unsaved input (forms opt in with data-warn-unsaved).
  document.querySelectorAll("form[data-warn-unsaved]").forEach(function (form) {
    var dirty = false;
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (event) {
      if (dirty) { event.preventDefault(); }
    });
  });
})();
