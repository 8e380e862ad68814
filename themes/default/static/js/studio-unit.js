// Progressive enhancement of a Studio unit page: "up" and "down" move a component without
// reloading, keep focus on the button that was pressed and announce the new position in a live
// region. Without this file each button posts its form and the page comes back at the component
// (the focus then goes back to that button below).
(function () {
  "use strict";
  var list = document.getElementById("component-list");
  var status = document.getElementById("move-status");
  if (!list) {
    return;
  }

  function items() {
    return Array.prototype.filter.call(list.children, function (el) {
      return el.classList.contains("component");
    });
  }

  // The first item cannot go up and the last cannot go down: say so without removing the
  // buttons from the tab order (aria-disabled, not disabled).
  function refreshEdges() {
    var all = items();
    all.forEach(function (li, i) {
      var up = li.querySelector('button[data-move="gora"]');
      var down = li.querySelector('button[data-move="dol"]');
      if (up) {
        if (i === 0) { up.setAttribute("aria-disabled", "true"); } else { up.removeAttribute("aria-disabled"); }
      }
      if (down) {
        if (i === all.length - 1) { down.setAttribute("aria-disabled", "true"); } else { down.removeAttribute("aria-disabled"); }
      }
    });
  }

  function announce(message) {
    if (!status) {
      return;
    }
    // Emptied first, so the same message twice is announced twice.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = message; }, 50);
  }

  list.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (!form.classList || !form.classList.contains("move-form") || !window.fetch) {
      return;
    }
    ev.preventDefault();
    if (form.getAttribute("aria-busy") === "true") {
      return;
    }
    var button = form.querySelector("button[data-move]");
    var up = button.getAttribute("data-move") === "gora";
    var li = form.closest("li.component");
    form.setAttribute("aria-busy", "true");
    fetch(form.getAttribute("action"), {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json" },
      body: new URLSearchParams(new FormData(form)).toString(),
      credentials: "same-origin"
    }).then(function (r) {
      if (!r.ok) { throw new Error(String(r.status)); }
      return r.json();
    }).then(function (j) {
      form.removeAttribute("aria-busy");
      if (j.moved) {
        if (up && li.previousElementSibling) {
          list.insertBefore(li, li.previousElementSibling);
        } else if (!up && li.nextElementSibling) {
          list.insertBefore(li.nextElementSibling, li);
        }
      }
      refreshEdges();
      // Moving a node can take the focus away: put it back on the same button.
      button.focus();
      announce(j.message);
    }).catch(function () {
      form.removeAttribute("aria-busy");
      HTMLFormElement.prototype.submit.call(form);
    });
  });

  // Back from a move posted without the script: focus the same button of the moved component.
  var moved = list.querySelector('li[data-moved="true"]');
  if (moved) {
    var dir = list.getAttribute("data-moved-direction") === "dol" ? "dol" : "gora";
    var again = moved.querySelector('button[data-move="' + dir + '"]');
    if (again) {
      again.focus();
    }
  }
})();
