// Progressive enhancement of the Studio outline (studio/outline.html) and the subsection settings
// form. Without this file every action works through its own form and a page reload.
//
// - Moves ("Move up", "Move down", "Move to…") are sent with fetch (Accept: application/json,
//   the form's CSRF field in the body); the outline is then redrawn from a fresh copy of the page,
//   focus returns to the same control and the status region announces the new position.
// - Drag and drop with the mouse: every node gets a handle (hidden from assistive technology,
//   which has the buttons); a drop posts the same explicit move (parent and position).
// - After a plain form's redirect, focus goes to the element the URL fragment names.
// - Settings: ticking "graded" and choosing an assignment type go together, as in Open edX.
(function () {
  'use strict';

  var busy = false;
  var dragged = null;

  function tree() {
    return document.getElementById('outline-tree');
  }

  function announce(text) {
    var status = document.getElementById('outline-status');
    if (!status || !text) return;
    status.textContent = '';
    // A new node a moment later, so a message equal to the last one is announced again.
    window.setTimeout(function () {
      var p = document.createElement('p');
      p.textContent = text;
      status.appendChild(p);
    }, 100);
  }

  function focusId(id) {
    var el = id ? document.getElementById(id) : null;
    if (el) {
      el.focus();
      if (el.scrollIntoView) el.scrollIntoView({ block: 'nearest' });
    }
    return !!el;
  }

  function failed() {
    var t = tree();
    announce(t ? t.getAttribute('data-error') : '');
  }

  // Replaces the outline with the one a fresh GET of this page shows.
  function redraw() {
    return fetch(window.location.pathname, {
      credentials: 'same-origin',
      headers: { Accept: 'text/html' },
    })
      .then(function (r) {
        if (!r.ok) throw new Error('HTTP ' + r.status);
        return r.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, 'text/html');
        var fresh = doc.getElementById('outline-tree');
        var old = tree();
        if (!fresh || !old) throw new Error('no outline');
        old.replaceWith(document.importNode(fresh, true));
        enhanceDrag();
      });
  }

  // Posts a move; on success redraws, focuses `focus` (or the answer's) and announces.
  function post(url, body, focus) {
    if (busy) return Promise.resolve(false);
    busy = true;
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        Accept: 'application/json',
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: body.toString(),
    })
      .then(function (r) {
        return r
          .json()
          .catch(function () {
            return null;
          })
          .then(function (data) {
            if (!data) throw new Error('HTTP ' + r.status);
            if (!data.ok) {
              announce(data.message);
              return true;
            }
            return redraw().then(function () {
              focusId(focus || data.focus);
              announce(data.message);
              return true;
            });
          });
      })
      .finally(function () {
        busy = false;
      });
  }

  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (!form.classList || !form.classList.contains('so-move') || !window.fetch) return;
    e.preventDefault();
    var body = new URLSearchParams(new FormData(form));
    post(form.action, body).catch(function () {
      // Without a usable answer, the plain form does the job (and shows any error page).
      form.submit();
    });
  });

  // ------------------------------------------------------------------ drag and drop

  function csrf() {
    var input = document.querySelector('input[name=csrf_token]');
    return input ? input.value : '';
  }

  var PARENT = { chapter: 'course', sequential: 'chapter', vertical: 'sequential' };

  // The list of children of a parent, if it has one yet.
  function childList(ptype, pid) {
    var lists = tree().querySelectorAll('ol.so-list');
    for (var i = 0; i < lists.length; i++) {
      var l = lists[i];
      if (l.getAttribute('data-parent-type') === ptype && l.getAttribute('data-parent-id') === pid) return l;
    }
    return null;
  }

  function siblings(list, exclude) {
    if (!list) return [];
    return Array.prototype.filter.call(list.children, function (li) {
      return li.classList.contains('so-node') && li !== exclude;
    });
  }

  // Where a drop on `node` would put the dragged node: {ptype, pid, position, node, where}.
  function dropSpot(node, e) {
    if (!dragged || node === dragged) return null;
    var type = dragged.getAttribute('data-type');
    var ntype = node.getAttribute('data-type');
    if (ntype === type) {
      var list = node.parentElement;
      var head = node.querySelector('.so-head');
      var rect = head.getBoundingClientRect();
      var after = e.clientY > rect.top + rect.height / 2;
      var sibs = siblings(list, dragged);
      return {
        ptype: list.getAttribute('data-parent-type'),
        pid: list.getAttribute('data-parent-id'),
        position: sibs.indexOf(node) + (after ? 1 : 0),
        node: node,
        where: after ? 'so-drop-after' : 'so-drop-before',
      };
    }
    if (PARENT[type] === ntype) {
      var pid = node.getAttribute('data-id');
      return {
        ptype: ntype,
        pid: pid,
        position: siblings(childList(ntype, pid), dragged).length,
        node: node,
        where: 'so-drop-into',
      };
    }
    return null;
  }

  function clearMarks() {
    var marked = document.querySelectorAll('.so-drop-before, .so-drop-after, .so-drop-into');
    Array.prototype.forEach.call(marked, function (el) {
      el.classList.remove('so-drop-before', 'so-drop-after', 'so-drop-into');
    });
  }

  function enhanceDrag() {
    var t = tree();
    if (!t || !('draggable' in document.createElement('span'))) return;
    var label = t.getAttribute('data-drag-label') || '';
    var hint = t.querySelector('.so-drag-hint');
    if (hint) hint.hidden = false;
    Array.prototype.forEach.call(t.querySelectorAll('.so-node'), function (node) {
      var head = node.querySelector('.so-head');
      if (!head || head.querySelector('.so-handle')) return;
      var handle = document.createElement('span');
      handle.className = 'so-handle';
      handle.setAttribute('draggable', 'true');
      handle.setAttribute('aria-hidden', 'true');
      handle.title = label;
      handle.textContent = '\u2630';
      head.insertBefore(handle, head.firstChild);
      handle.addEventListener('dragstart', function (e) {
        dragged = node;
        e.dataTransfer.effectAllowed = 'move';
        e.dataTransfer.setData('text/plain', node.getAttribute('data-id'));
        if (e.dataTransfer.setDragImage) e.dataTransfer.setDragImage(head, 16, 16);
        node.classList.add('so-dragging');
      });
      handle.addEventListener('dragend', function () {
        node.classList.remove('so-dragging');
        dragged = null;
        clearMarks();
      });
      head.addEventListener('dragover', function (e) {
        var spot = dropSpot(node, e);
        if (!spot) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'move';
        clearMarks();
        node.classList.add(spot.where);
      });
      head.addEventListener('dragleave', function () {
        node.classList.remove('so-drop-before', 'so-drop-after', 'so-drop-into');
      });
      head.addEventListener('drop', function (e) {
        var spot = dropSpot(node, e);
        if (!spot) return;
        e.preventDefault();
        var moving = dragged;
        clearMarks();
        var type = moving.getAttribute('data-type');
        var id = moving.getAttribute('data-id');
        var body = new URLSearchParams();
        body.set('csrf_token', csrf());
        body.set('rodzic_typ', spot.ptype);
        body.set('rodzic_id', spot.pid);
        body.set('pozycja', String(spot.position));
        var url = '/studio/kursy/' + encodeURIComponent(t.getAttribute('data-course')) + '/struktura/' +
          type + '/' + encodeURIComponent(id) + '/przesun';
        post(url, body, 'blok-' + type + '-' + id).catch(failed);
      });
    });
  }

  // ------------------------------------------------------------------ settings form

  function linkGrading() {
    var graded = document.getElementById('graded');
    var format = document.getElementById('format');
    if (!graded || !format || !document.querySelector('.so-settings')) return;
    format.addEventListener('change', function () {
      graded.checked = format.value !== '';
    });
    graded.addEventListener('change', function () {
      if (!graded.checked) format.value = '';
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    enhanceDrag();
    linkGrading();
    // A message shown after a redirect: said again so screen readers announce it.
    var status = document.getElementById('outline-status');
    if (status && status.textContent.trim()) announce(status.textContent.trim());
    if (!document.querySelector('.error-summary') && window.location.hash.length > 1) {
      var id;
      try {
        id = decodeURIComponent(window.location.hash.slice(1));
      } catch (err) {
        id = '';
      }
      focusId(id);
    }
  });
})();
