// Upload with a progress bar. Without JavaScript the form posts normally and the server answers
// with the same report, so this file only adds the progress feedback.
(function () {
  "use strict";
  var form = document.getElementById("import-form");
  if (!form || !window.XMLHttpRequest || !window.FormData) {
    return;
  }
  form.addEventListener("submit", function (event) {
    var file = document.getElementById("file");
    if (!file || !file.files || file.files.length === 0) {
      return; // let the server explain what is missing
    }
    event.preventDefault();
    var box = document.getElementById("upload-progress");
    var bar = document.getElementById("upload-bar");
    var status = document.getElementById("upload-status");
    var button = form.querySelector("button[type=submit]");
    box.hidden = false;
    button.disabled = true;
    var lastAnnounced = -10;
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable) {
        return;
      }
      var percent = Math.floor((e.loaded / e.total) * 100);
      bar.value = percent;
      // Announce every 10% so screen readers are informed but not flooded.
      if (percent - lastAnnounced >= 10 || percent === 100) {
        lastAnnounced = percent;
        status.textContent = form.dataset.msgProgress.replace("{percent}", percent);
      }
    });
    xhr.upload.addEventListener("load", function () {
      bar.value = 100;
      status.textContent = form.dataset.msgProcessing;
    });
    xhr.addEventListener("load", function () {
      // The request already followed the server's redirect to the report (and used its one-time
      // message), so show that response instead of loading the page a second time.
      var url = xhr.responseURL || form.action;
      document.open();
      document.write(xhr.responseText);
      document.close();
      if (window.history && window.history.replaceState) {
        window.history.replaceState(null, "", url);
      }
    });
    xhr.addEventListener("error", function () {
      status.textContent = form.dataset.msgFailed;
      button.disabled = false;
    });
    xhr.send(new FormData(form));
  });
})();
