// Shared behaviour of every page: nothing required; small conveniences only.
(function () {
  "use strict";
  // "/" focuses the search box (unless typing somewhere already).
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    var box = document.getElementById("q");
    if (box) {
      event.preventDefault();
      box.focus();
      box.select();
    }
  });

  // A wide table scrolls inside its box (.table-scroll); the box joins the tab order only while it does scroll,
  // so that keyboard users can scroll it (WCAG 2.1.1) and do not meet an extra stop when it fits.
  function scrollStops() {
    document.querySelectorAll(".table-scroll").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) box.setAttribute("tabindex", "0");
      else box.removeAttribute("tabindex");
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", scrollStops);
  else scrollStops();
  window.addEventListener("resize", scrollStops);
  document.addEventListener("toggle", scrollStops, true); // a table inside <details> gets its size when opened
})();
