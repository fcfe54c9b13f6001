// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  // Ask before leaving a form with unsaved input (forms opt in with data-warn-unsaved).
  // A form that may post many files says how many at most (data-max-files, the server's own
  // limit): over it, nothing is sent and the choice stays, with a message above the button.
  document.querySelectorAll("form[data-max-files]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var limit = parseInt(form.getAttribute("data-max-files"), 10);
      var chosen = 0;
      form.querySelectorAll("input[type=file]").forEach(function (input) { chosen += input.files.length; });
      var note = form.querySelector("[data-max-files-note]");
      if (chosen > limit) {
        event.preventDefault();
        note.textContent = "本次选择了 " + chosen + " 个文件，一次最多保存 " + limit + " 个。请先保存部分条目的文件，再继续选择其余文件。";
        note.hidden = false;
        note.scrollIntoView({block: "center"});
      } else {
        note.hidden = true;
      }
    });
  });
  document.querySelectorAll("form[data-warn-unsaved]").forEach(function (form) {
    var dirty = false;
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (event) {
      if (dirty) { event.preventDefault(); }
    });
  });
})();
