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

// Links carry only the filters in use (issue 16): a form sent by GET leaves out its empty fields and those at
// their default (data-default), so a shared search link reads /?q=netværk&type=Principle, not every empty filter.
// A field marked data-keep is always sent (an empty search box answers with a message). The fields are disabled
// only while the browser builds the URL; back/forward (pageshow) enables them again. Print addresses below.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || (form.method || "get").toLowerCase() !== "get") return;
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.disabled || field.hasAttribute("data-keep")) return;
      if (field.type === "submit" || field.type === "button" || field.type === "fieldset") return;
      if ((field.type === "radio" || field.type === "checkbox") && !field.checked) return;
      var value = field.value.trim();
      var fallback = field.getAttribute("data-default");
      if (value === "" || (fallback !== null && value === fallback)) {
        field.disabled = true;
        field.setAttribute("data-dropped", "");
      }
    });
  });
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("[data-dropped]").forEach(function (field) {
      field.disabled = false;
      field.removeAttribute("data-dropped");
    });
  });

  // Print (site.css, @media print): the full address of each evidence link is written after it on paper.
  function printUrls() {
    document.querySelectorAll(".cite a[href], .evidence a[href], .overlap-meta a[href], .pair a[href], " +
                              ".links a[href]").forEach(function (link) {
      link.setAttribute("data-print-url", link.href);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", printUrls);
  else printUrls();
})();
