// Pan and zoom for the ER diagram pages that scripts/render_erd.py writes (erd_*.html).
// The drawing is an inline SVG in a scrolling box: scrolling and dragging pan it; Ctrl/Cmd +
// wheel, a trackpad pinch, the toolbar buttons and the keys + - 0 F zoom it by resizing the SVG,
// which the browser redraws sharp at every size. No library and nothing fetched: the file works
// from `dbt docs serve`, any static server, or a folder opened from disk.
(function () {
  "use strict";
  var view = document.getElementById("erd-view");
  var svg = view && view.querySelector("svg");
  if (!svg) return;
  var readout = document.querySelector(".erd-scale");
  var MIN = 0.1;
  var MAX = 4;
  // Natural size: graphviz gives width and height in points, which CSS draws at 4/3 px each.
  var naturalWidth = svg.width.baseVal.value;
  var naturalHeight = svg.height.baseVal.value;
  svg.removeAttribute("width");
  svg.removeAttribute("height");
  var scale = 1;

  function clamp(value) {
    return Math.min(MAX, Math.max(MIN, value));
  }

  function apply() {
    svg.style.width = naturalWidth * scale + "px";
    svg.style.height = naturalHeight * scale + "px";
    view.dataset.scale = scale.toFixed(3);
    if (readout) readout.textContent = Math.round(scale * 100) + " %";
  }

  // Zoom to a scale, keeping the diagram point under (x, y) of the view where it is.
  function zoomTo(next, x, y) {
    next = clamp(next);
    var rect = view.getBoundingClientRect();
    if (x === undefined) x = rect.width / 2;
    if (y === undefined) y = rect.height / 2;
    var offsetX = svg.offsetLeft;
    var offsetY = svg.offsetTop;
    var pointX = (view.scrollLeft + x - offsetX) / scale;
    var pointY = (view.scrollTop + y - offsetY) / scale;
    scale = next;
    apply();
    view.scrollLeft = pointX * scale + svg.offsetLeft - x;
    view.scrollTop = pointY * scale + svg.offsetTop - y;
  }

  function fit() {
    var rect = view.getBoundingClientRect();
    var margin = 16;
    zoomTo(
      Math.min((rect.width - margin) / naturalWidth, (rect.height - margin) / naturalHeight, 1),
    );
    view.scrollLeft = 0;
    view.scrollTop = 0;
  }

  var actions = {
    in: function () { zoomTo(scale * 1.25); },
    out: function () { zoomTo(scale / 1.25); },
    natural: function () { zoomTo(1); },
    fit: fit,
  };
  document.querySelectorAll("[data-zoom]").forEach(function (button) {
    button.addEventListener("click", function () {
      actions[button.dataset.zoom]();
    });
  });

  view.addEventListener(
    "wheel",
    function (event) {
      if (!event.ctrlKey && !event.metaKey) return; // a plain wheel scrolls (pans)
      event.preventDefault(); // and not the browser's page zoom
      var rect = view.getBoundingClientRect();
      var factor = Math.exp(-event.deltaY * (event.deltaMode === 1 ? 0.05 : 0.002));
      zoomTo(scale * factor, event.clientX - rect.left, event.clientY - rect.top);
    },
    { passive: false },
  );

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var key = { "+": "in", "=": "in", "-": "out", _: "out", 0: "natural", f: "fit", F: "fit" }[
      event.key
    ];
    if (key) {
      event.preventDefault();
      actions[key]();
    }
  });

  // Drag to pan. A press that moves less than a few pixels stays a click (a table's link).
  var drag = null;
  var justDragged = false;
  view.addEventListener("pointerdown", function (event) {
    if (event.button !== 0) return;
    drag = {
      x: event.clientX,
      y: event.clientY,
      left: view.scrollLeft,
      top: view.scrollTop,
      id: event.pointerId,
      moved: false,
    };
  });
  view.addEventListener("pointermove", function (event) {
    if (!drag || event.pointerId !== drag.id) return;
    var dx = event.clientX - drag.x;
    var dy = event.clientY - drag.y;
    if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 5) return;
    if (!drag.moved) {
      drag.moved = true;
      view.setPointerCapture(drag.id);
      view.classList.add("erd-dragging");
    }
    view.scrollLeft = drag.left - dx;
    view.scrollTop = drag.top - dy;
  });
  function endDrag() {
    if (drag && drag.moved) {
      justDragged = true;
      setTimeout(function () { justDragged = false; }, 0);
    }
    drag = null;
    view.classList.remove("erd-dragging");
  }
  view.addEventListener("pointerup", endDrag);
  view.addEventListener("pointercancel", endDrag);
  view.addEventListener(
    "click",
    function (event) {
      if (justDragged) {
        event.preventDefault();
        event.stopPropagation();
      }
    },
    true,
  );
  // Links are images of text to a browser: do not start a native drag of them.
  view.addEventListener("dragstart", function (event) { event.preventDefault(); });

  apply();
  view.focus({ preventScroll: true });
})();
