// Node page: scroll the source view so the marked span is visible.
(function () {
  "use strict";
  var span = document.getElementById("source-span");
  var box = span && span.closest("pre");
  if (span && box) box.scrollTop = Math.max(0, span.offsetTop - box.offsetTop - 40);
})();
