// Compare page: offer only the chosen municipality's documents in "Fra" and "Til".
(function () {
  "use strict";
  var muni = document.getElementById("kommune");
  if (!muni) return;
  function sync() {
    ["fra", "til"].forEach(function (id) {
      var select = document.getElementById(id);
      if (!select) return;
      Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
        var hide = muni.value !== "" && group.getAttribute("data-municipality") !== muni.value;
        group.hidden = hide;
        group.disabled = hide;
        if (hide && select.selectedOptions.length && select.selectedOptions[0].parentNode === group) select.value = "";
      });
    });
  }
  muni.addEventListener("change", sync);
  sync();
})();
