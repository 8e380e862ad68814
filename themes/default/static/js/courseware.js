// Progressive enhancement of problems: submit without reloading the page and announce the
// result. Without this file every button posts the form and the page comes back at the problem.
// Note: the problem form has buttons named "action", so `form.action` is a button (DOM named
// property), never the URL: always read attributes.
document.addEventListener("submit", function (ev) {
  var form = ev.target;
  if (!form.matches || !form.matches("form.capa-form") || !window.fetch) {
    return;
  }
  ev.preventDefault();
  if (form.getAttribute("aria-busy") === "true") {
    return;
  }
  var submitter = ev.submitter;
  var data = new URLSearchParams(new FormData(form));
  if (submitter && submitter.name) {
    data.append(submitter.name, submitter.value);
  }
  var section = form.closest(".problem");
  form.setAttribute("aria-busy", "true");
  fetch(form.getAttribute("action"), {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json" },
    body: data.toString(),
    credentials: "same-origin"
  }).then(function (r) {
    if (!r.ok && r.status !== 422) { throw new Error(String(r.status)); }
    return r.json();
  }).then(function (j) {
    form.removeAttribute("aria-busy");
    if (!section || !j.html) { return; }
    var tpl = document.createElement("template");
    tpl.innerHTML = j.html;
    var fresh = tpl.content.firstElementChild;
    if (!fresh) { return; }
    section.replaceWith(fresh);
    var fb = fresh.querySelector(".problem-feedback");
    if (fb && fb.textContent.trim() !== "") {
      fb.setAttribute("tabindex", "-1");
      fb.focus();
    } else {
      // Nothing to announce (e.g. reset): keep the keyboard user in the problem.
      var first = fresh.querySelector("input:not([type=hidden]), select, textarea, button");
      if (first) { first.focus(); }
    }
  }).catch(function () {
    // Fall back to a normal post, keeping the button that was pressed.
    form.removeAttribute("aria-busy");
    if (submitter && submitter.name) {
      var hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = submitter.name;
      hidden.value = submitter.value;
      form.appendChild(hidden);
    }
    HTMLFormElement.prototype.submit.call(form);
  });
});

// Sandboxed author HTML frames report their height (they have an opaque origin, so the page
// cannot measure them); size the frame that sent it.
window.addEventListener("message", function (ev) {
  var h = ev.data && ev.data.szponFrameHeight;
  if (typeof h !== "number" || !isFinite(h)) { return; }
  var frames = document.querySelectorAll("iframe.html-frame");
  for (var i = 0; i < frames.length; i++) {
    if (frames[i].contentWindow === ev.source) {
      frames[i].style.height = Math.max(80, Math.min(h + 16, 6000)) + "px";
    }
  }
});
