// Progressive enhancement of the survey question form: shows only the fields that the chosen
// question type uses (choice options, or scale end labels). Without this file every field shows,
// each with a hint saying which type it is for.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".survey-question-form").forEach(function (form) {
    var kinds = form.querySelectorAll("input[name=kind]");
    var parts = form.querySelectorAll("[data-kinds]");
    function update() {
      var chosen = form.querySelector("input[name=kind]:checked");
      var kind = chosen ? chosen.value : "";
      parts.forEach(function (part) {
        var wanted = part.getAttribute("data-kinds").split(" ").indexOf(kind) >= 0;
        // Fields with an error stay visible, so the message is never hidden.
        part.hidden = !wanted && !part.classList.contains("field-error") && !part.querySelector(".field-error");
      });
    }
    kinds.forEach(function (k) {
      k.addEventListener("change", update);
    });
    update();
  });
});
