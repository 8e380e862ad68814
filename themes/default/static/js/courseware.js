// Progressive enhancement of problems: submit without reloading the page and announce the
// result. Without this file every button posts the form and the page comes back at the problem.
document.addEventListener("submit", function (ev) {
  var form = ev.target;
  if (!form.matches || !form.matches("form.capa-form") || !window.fetch) {
    return;
  }
  ev.preventDefault();
  var submitter = ev.submitter;
  var data = new URLSearchParams(new FormData(form));
  if (submitter && submitter.name) {
    data.append(submitter.name, submitter.value);
  }
  var section = form.closest(".problem");
  fetch(form.action, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json" },
    body: data.toString(),
    credentials: "same-origin"
  }).then(function (r) {
    if (!r.ok && r.status !== 422) { throw new Error(String(r.status)); }
    return r.json();
  }).then(function (j) {
    if (!section || !j.html) { return; }
    section.outerHTML = j.html;
    var fresh = document.getElementById(section.id);
    var fb = fresh && fresh.querySelector(".problem-feedback");
    if (fb) { fb.setAttribute("tabindex", "-1"); fb.focus(); }
  }).catch(function () {
    form.submit();
  });
});
