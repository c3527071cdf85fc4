// Document page: "unfold/fold all" buttons and opening the branch that holds the #fragment.
(function () {
  "use strict";
  var tools = document.querySelector(".tree-tools");
  if (tools) {
    tools.hidden = false;
    tools.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-tree]");
      if (!button) return;
      var open = button.getAttribute("data-tree") === "open";
      document.querySelectorAll(".tree details").forEach(function (d) { d.open = open; });
    });
  }
  function reveal() {
    if (!window.location.hash) return;
    var target = document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
    if (!target) return;
    for (var el = target; el; el = el.parentElement) {
      if (el.tagName === "DETAILS") el.open = true;
    }
    var inner = target.querySelector(":scope > details") ;
    if (inner) inner.open = true;
    target.classList.add("target");
    target.scrollIntoView({ block: "center" });
    var focusable = target.querySelector("summary, a");
    if (focusable) focusable.focus({ preventScroll: true });
  }
  window.addEventListener("hashchange", reveal);
  reveal();
})();
