// Progressive enhancement of the HTML component editor: a rich-text region with a toolbar
// (headings, bold, italic, lists, link, image, HTML source) over the <textarea> with the HTML
// source. The textarea stays the form's field: it is kept in sync with the region, and without
// this file it is the editor. The server sanitises whatever arrives; the cleaning here only
// keeps scripts and handlers from running while the author edits.
(function () {
  "use strict";
  var root = document.querySelector("[data-rich-editor]");
  if (!root || !document.execCommand) {
    return;
  }
  var form = root.closest("form");
  var textarea = document.getElementById("body");
  var area = document.getElementById("body-rich");
  var toolbar = root.querySelector('[role="toolbar"]');
  var keysHint = document.getElementById("body-keys");
  var sourceHint = document.getElementById("body-hint");
  var tools = Array.prototype.slice.call(toolbar.querySelectorAll("button.tool"));
  var staticBase = root.getAttribute("data-static-base") || "";
  var sourceMode = false;
  // The textarea keeps the author's source untouched until the region is edited, so the server
  // can still say what its sanitising removes.
  var dirty = false;
  var dropped = 0;

  var DROP = ["SCRIPT", "STYLE", "IFRAME", "OBJECT", "EMBED", "FORM", "INPUT", "BUTTON",
    "TEXTAREA", "SELECT", "LINK", "META", "BASE", "FRAME", "FRAMESET"];
  var BLOCKS = ["P", "H1", "H2", "H3", "H4", "H5", "H6", "UL", "OL", "LI", "DIV", "BLOCKQUOTE",
    "PRE", "TABLE", "FIGURE", "HR", "DL", "SECTION", "ARTICLE", "ASIDE", "DETAILS", "VIDEO", "AUDIO"];

  function each(nodeList, fn) {
    Array.prototype.slice.call(nodeList).forEach(fn);
  }

  // Author HTML in an inert document, without what could run or restyle the page.
  function parse(html) {
    var doc = document.implementation.createHTMLDocument("");
    doc.body.innerHTML = html;
    each(doc.body.querySelectorAll("*"), function (el) {
      if (DROP.indexOf(el.tagName) >= 0) {
        el.remove();
        dropped += 1;
        return;
      }
      each(el.attributes, function (a) {
        var n = a.name.toLowerCase();
        if (n.indexOf("on") === 0 || n === "style" || n === "contenteditable" ||
            ((n === "href" || n === "src") && /^\s*(javascript|vbscript|data):/i.test(a.value))) {
          el.removeAttribute(a.name);
          dropped += 1;
        }
      });
      // Course files are served under the course; show them, and write back /static/ names.
      if (el.tagName === "IMG" && staticBase) {
        var src = el.getAttribute("src") || "";
        if (src.indexOf("/static/") === 0) {
          el.setAttribute("data-static-src", src);
          el.setAttribute("src", staticBase + src.slice(8));
        }
      }
    });
    return doc.body;
  }

  function load(html) {
    dropped = 0;
    var body = parse(html);
    var note = document.getElementById("body-dropped");
    if (note) {
      note.hidden = dropped === 0;
    }
    area.textContent = "";
    while (body.firstChild) {
      area.appendChild(document.adoptNode(body.firstChild));
    }
    if (!area.firstChild) {
      area.innerHTML = "<p><br></p>";
    }
  }

  function rename(el, tag) {
    var fresh = document.createElement(tag);
    each(el.attributes, function (a) { fresh.setAttribute(a.name, a.value); });
    while (el.firstChild) { fresh.appendChild(el.firstChild); }
    el.replaceWith(fresh);
  }

  function isEmptyBlock(el) {
    return el.textContent.trim() === "" && !el.querySelector("img, video, audio, hr, table");
  }

  // The region as clean HTML: strong/em for bold/italic, no styling spans, paragraphs around
  // loose text, no empty paragraphs.
  function serialize() {
    var copy = area.cloneNode(true);
    each(copy.querySelectorAll("img[data-static-src]"), function (img) {
      img.setAttribute("src", img.getAttribute("data-static-src"));
      img.removeAttribute("data-static-src");
    });
    each(copy.querySelectorAll("b"), function (el) { rename(el, "strong"); });
    each(copy.querySelectorAll("i"), function (el) { rename(el, "em"); });
    each(copy.querySelectorAll("span:not([class]), font"), function (el) {
      while (el.firstChild) { el.parentNode.insertBefore(el.firstChild, el); }
      el.remove();
    });
    each(copy.querySelectorAll("[style]"), function (el) { el.removeAttribute("style"); });
    each(copy.querySelectorAll("div"), function (el) {
      if (!el.attributes.length) { rename(el, "p"); }
    });
    // A trailing <br> only keeps an empty line editable.
    each(copy.querySelectorAll("p > br:last-child, li > br:last-child, h2 > br:last-child, h3 > br:last-child, h4 > br:last-child"), function (br) {
      if (br.parentNode.textContent.trim() !== "") { br.remove(); }
    });
    each(copy.querySelectorAll("p, h2, h3, h4, li"), function (el) {
      if (isEmptyBlock(el) && el.tagName !== "LI") { el.remove(); }
    });
    // Loose inline content at the top level goes into paragraphs.
    var run = null;
    each(copy.childNodes, function (n) {
      var block = n.nodeType === 1 && BLOCKS.indexOf(n.tagName) >= 0;
      if (block || (n.nodeType === 3 && n.textContent.trim() === "" && !run)) {
        run = null;
        return;
      }
      if (!run) {
        run = document.createElement("p");
        copy.insertBefore(run, n);
      }
      run.appendChild(n);
    });
    return copy.innerHTML.trim();
  }

  function sync() {
    if (!sourceMode && dirty) {
      textarea.value = serialize();
    }
  }

  function currentBlock() {
    var v = String(document.queryCommandValue("formatBlock") || "").toLowerCase();
    return v.replace(/[<>]/g, "");
  }

  function selectionInside() {
    var sel = window.getSelection();
    return sel && sel.rangeCount > 0 && area.contains(sel.getRangeAt(0).commonAncestorContainer);
  }

  function refreshPressed() {
    if (sourceMode || !selectionInside()) {
      return;
    }
    var block = currentBlock();
    tools.forEach(function (b) {
      var cmd = b.getAttribute("data-cmd");
      var on = null;
      if (cmd === "bold" || cmd === "italic") {
        on = document.queryCommandState(cmd);
      } else if (cmd === "ul") {
        on = document.queryCommandState("insertUnorderedList");
      } else if (cmd === "ol") {
        on = document.queryCommandState("insertOrderedList");
      } else if (cmd === "h2" || cmd === "h3" || cmd === "h4" || cmd === "p") {
        on = block === cmd;
      }
      if (on !== null) {
        b.setAttribute("aria-pressed", on ? "true" : "false");
      }
    });
  }

  function escapeHtml(s) {
    return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  function run(cmd, button) {
    if (cmd === "source") {
      toggleSource();
      return;
    }
    if (cmd === "image") {
      var file = document.getElementById("image");
      if (file) {
        file.scrollIntoView({ block: "center" });
        file.focus();
      }
      return;
    }
    if (sourceMode) {
      return;
    }
    area.focus();
    switch (cmd) {
      case "bold":
      case "italic":
        document.execCommand(cmd, false, null);
        break;
      case "ul":
        document.execCommand("insertUnorderedList", false, null);
        break;
      case "ol":
        document.execCommand("insertOrderedList", false, null);
        break;
      case "h2":
      case "h3":
      case "h4":
        document.execCommand("formatBlock", false, currentBlock() === cmd ? "p" : cmd);
        break;
      case "p":
        document.execCommand("formatBlock", false, "p");
        break;
      case "link": {
        var label = (button || toolbar.querySelector('[data-cmd="link"]')).getAttribute("data-prompt");
        var url = window.prompt(label, "https://");
        if (url && !/^\s*(javascript|vbscript|data):/i.test(url)) {
          url = url.trim();
          if (window.getSelection().isCollapsed) {
            document.execCommand("insertHTML", false, '<a href="' + escapeHtml(url) + '">' + escapeHtml(url) + "</a>");
          } else {
            document.execCommand("createLink", false, url);
          }
        }
        break;
      }
      default:
        return;
    }
    dirty = true;
    sync();
    refreshPressed();
  }

  function toggleSource() {
    var button = toolbar.querySelector('[data-cmd="source"]');
    sourceMode = !sourceMode;
    if (sourceMode) {
      sync();
      area.hidden = true;
      textarea.hidden = false;
      sourceHint.hidden = false;
      keysHint.hidden = true;
      textarea.focus();
    } else {
      load(textarea.value);
      dirty = false;
      textarea.hidden = true;
      sourceHint.hidden = true;
      area.hidden = false;
      keysHint.hidden = false;
      area.focus();
    }
    button.setAttribute("aria-pressed", sourceMode ? "true" : "false");
    tools.forEach(function (b) {
      var cmd = b.getAttribute("data-cmd");
      if (cmd !== "source" && cmd !== "image") {
        if (sourceMode) { b.setAttribute("aria-disabled", "true"); } else { b.removeAttribute("aria-disabled"); }
      }
    });
  }

  // One tab stop for the toolbar; arrows, Home and End move between its buttons.
  function focusTool(i) {
    tools.forEach(function (b, j) { b.tabIndex = j === i ? 0 : -1; });
    tools[i].focus();
  }
  toolbar.addEventListener("keydown", function (ev) {
    var i = tools.indexOf(document.activeElement);
    if (i < 0) {
      return;
    }
    var next = null;
    if (ev.key === "ArrowRight") { next = (i + 1) % tools.length; }
    if (ev.key === "ArrowLeft") { next = (i - 1 + tools.length) % tools.length; }
    if (ev.key === "Home") { next = 0; }
    if (ev.key === "End") { next = tools.length - 1; }
    if (next !== null) {
      ev.preventDefault();
      focusTool(next);
    }
  });
  toolbar.addEventListener("mousedown", function (ev) {
    // Keep the selection in the region when a button is clicked.
    if (ev.target.closest("button.tool")) {
      ev.preventDefault();
    }
  });
  tools.forEach(function (b, i) {
    b.addEventListener("click", function () {
      tools.forEach(function (x, j) { x.tabIndex = j === i ? 0 : -1; });
      if (b.getAttribute("aria-disabled") === "true") {
        return;
      }
      run(b.getAttribute("data-cmd"), b);
    });
  });

  area.addEventListener("keydown", function (ev) {
    var mod = ev.ctrlKey || ev.metaKey;
    if (!mod) {
      return;
    }
    var cmd = null;
    if (ev.altKey && !ev.shiftKey) {
      cmd = { Digit2: "h2", Digit3: "h3", Digit4: "h4", Digit0: "p" }[ev.code] || null;
    } else if (ev.shiftKey && !ev.altKey) {
      cmd = { Digit8: "ul", Digit7: "ol" }[ev.code] || null;
    } else if (!ev.altKey) {
      cmd = { b: "bold", i: "italic", k: "link" }[String(ev.key).toLowerCase()] || null;
    }
    if (cmd) {
      ev.preventDefault();
      run(cmd);
    }
  });
  area.addEventListener("input", function () {
    dirty = true;
    sync();
    refreshPressed();
  });
  document.addEventListener("selectionchange", refreshPressed);
  // Pasted content arrives as plain text lines, so nothing foreign comes in with it.
  area.addEventListener("paste", function (ev) {
    var text = ev.clipboardData && ev.clipboardData.getData("text/plain");
    if (text === undefined || text === null) {
      return;
    }
    ev.preventDefault();
    dirty = true;
    document.execCommand("insertText", false, text);
  });

  form.addEventListener("submit", sync);
  var imageForm = document.getElementById("image-form");
  if (imageForm) {
    imageForm.addEventListener("submit", function () {
      sync();
      var body = document.getElementById("image-body");
      var name = document.getElementById("image-name");
      body.value = textarea.value;
      body.disabled = false;
      var nameField = document.getElementById("display_name");
      if (name && nameField) {
        name.value = nameField.value;
        name.disabled = false;
      }
    });
  }

  // Switch on: the region shows the source, the textarea hides.
  document.execCommand("defaultParagraphSeparator", false, "p");
  document.execCommand("styleWithCSS", false, false);
  load(textarea.value);
  toolbar.hidden = false;
  area.hidden = false;
  keysHint.hidden = false;
  textarea.hidden = true;
  sourceHint.hidden = true;
  tools.forEach(function (b, j) { b.tabIndex = j === 0 ? 0 : -1; });
})();
