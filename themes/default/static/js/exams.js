// The countdown of a running timed subsection. The server states the deadline in words and
// closes submissions itself; this only keeps the visible clock moving. Time is counted from the
// seconds left when the page was rendered (not from the device's clock, which may be wrong).
// The clock is role="timer", which screen readers do not read every second; at 10, 5 and 1
// minute left, and at the end, a sentence goes to the separate polite live region.
(function () {
  var box = document.querySelector(".exam-timer[data-remaining]");
  if (!box) { return; }
  var clock = document.getElementById("exam-remaining");
  var live = document.getElementById("exam-announce");
  var left = parseInt(box.getAttribute("data-remaining"), 10);
  if (!clock || !live || isNaN(left)) { return; }
  var end = Date.now() + left * 1000;
  var marks = [10, 5, 1];
  var said = {};
  // Do not announce marks already passed when the page loaded.
  marks.forEach(function (m) { if (left <= m * 60) { said[m] = true; } });

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function format(s) {
    var h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60, sec = s % 60;
    return h > 0 ? h + ":" + pad(m) + ":" + pad(sec) : m + ":" + pad(sec);
  }
  function say(text) {
    if (!text) { return; }
    live.textContent = "";
    // A fresh text node after clearing makes screen readers announce it again.
    window.setTimeout(function () { live.textContent = text; }, 50);
  }
  function timeUp() {
    say(box.getAttribute("data-announce-0"));
    // The server refuses answers now; say so on the buttons too instead of letting them fail.
    document.querySelectorAll("form.capa-form button[value=check], form.capa-form button[value=reset]")
      .forEach(function (b) { b.disabled = true; });
  }
  var timer;
  function tick() {
    var s = Math.max(0, Math.round((end - Date.now()) / 1000));
    clock.textContent = format(s);
    marks.forEach(function (m) {
      if (!said[m] && s <= m * 60) {
        said[m] = true;
        say(box.getAttribute("data-announce-" + m));
      }
    });
    if (s <= 300) { box.classList.add("exam-timer-low"); }
    if (s === 0) {
      window.clearInterval(timer);
      timeUp();
    }
  }
  tick();
  if (left > 0) { timer = window.setInterval(tick, 1000); } else { timeUp(); }
})();
