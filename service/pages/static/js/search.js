// Search page: keep the document filter consistent with the municipality filter, move focus to the results.
(function () {
  "use strict";
  var muni = document.getElementById("municipality");
  var doc = document.getElementById("document");
  function syncDocuments() {
    if (!muni || !doc) return;
    var chosen = muni.value;
    Array.prototype.forEach.call(doc.options, function (option) {
      if (!option.value) return;
      var hidden = chosen !== "" && option.value.indexOf(chosen + "-") !== 0;
      option.hidden = hidden;
      option.disabled = hidden;
      if (hidden && option.selected) doc.value = "";
    });
  }
  if (muni) {
    muni.addEventListener("change", syncDocuments);
    syncDocuments();
  }
  // After a search, put the keyboard focus on the results heading so screen readers announce the count.
  var heading = document.getElementById("results-heading");
  var query = document.getElementById("q");
  if (heading && query && query.value && window.location.search) {
    heading.focus({ preventScroll: false });
  }
})();
