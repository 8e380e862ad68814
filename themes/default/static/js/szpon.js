// Progressive enhancement only: every page works without this file.
// Moves focus to the error summary so screen-reader and keyboard users hear what went wrong.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }
});
