// Show the running self-score while the questionnaire is filled in (saved on 保存/完成提交).
(function () {
  "use strict";
  var form = document.getElementById("questionnaire");
  var label = document.querySelector("[data-testid=self-score]");
  if (!form || !label) { return; }
  form.addEventListener("change", function () {
    var total = 0;
    form.querySelectorAll("input[type=radio]:checked").forEach(function (input) {
      total += parseFloat(input.dataset.points || "0");
    });
    // Out of 100, like the evaluators' scores: points over the questionnaire's maximum.
    var maximum = parseFloat(label.dataset.maximum || "0") || 1;
    label.textContent = (total * 100 / maximum).toFixed(2);
  });
})();
