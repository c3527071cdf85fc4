// SPARQL page: YASGUI (vendored, static/vendor/yasgui) against this service's /sparql endpoint, the example
// catalogue (/sparql/examples) one click away, and CSV/JSON downloads of the current query's results.
(function () {
  "use strict";
  var root = document.getElementById("yasgui");
  if (!root || typeof window.Yasgui !== "function") return;
  var endpoint = new URL(root.getAttribute("data-endpoint") || "/sparql", window.location.href).href;
  var Yasgui = window.Yasgui;

  // The results table's column resizer injects a <style> element into <head>, which the page's
  // Content-Security-Policy (no inline styles) refuses. Its rules are in /static/css/sparql.css instead, so
  // those elements are dropped here rather than blocked (and reported) by the browser.
  var headAppend = HTMLHeadElement.prototype.appendChild;
  HTMLHeadElement.prototype.appendChild = function (node) {
    if (node && node.nodeName === "STYLE" && node.gripid !== undefined) return node;
    return headAppend.call(this, node);
  };
  var STARTER = [
    "# Alle spor (sg:Track) med deres titel og dokument. Vælg et eksempel til venstre for flere.",
    "PREFIX sg:      <https://w3id.org/strategigraf/ontology#>",
    "PREFIX skos:    <http://www.w3.org/2004/02/skos/core#>",
    "PREFIX dcterms: <http://purl.org/dc/terms/>",
    "",
    "SELECT ?spor ?titel ?dokument",
    "WHERE {",
    "  ?spor a sg:Track ;",
    "        skos:prefLabel ?titel ;",
    "        sg:inDocument/dcterms:title ?dokument .",
    "}",
    "ORDER BY ?dokument ?titel",
    "LIMIT 50",
  ].join("\n");

  var yasgui = new Yasgui(root, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    autofocus: false,
    persistenceId: "strategigraf-sparql",
    populateFromUrl: false,
    endpointCatalogueOptions: {
      getData: function () { return [{ endpoint: endpoint }]; },
    },
    // Only completers that work offline: class/property completion asks an outside service (LOV).
    // Auto height: the editor grows with the query instead of becoming a scroll region without a tab stop.
    yasqe: { autocompleters: ["prefixes", "variables"], resizeable: false, editorHeight: "auto",
             viewportMargin: Infinity, value: STARTER },
    yasr: { pluginOrder: ["table", "response"], defaultPlugin: "table" },
  });
  window.strategigrafYasgui = yasgui; // for the browser tests

  function tab() { return yasgui.getTab(); }

  // Accessibility of the vendored widgets: give unlabeled controls a Danish name.
  var NAMES = [
    [".yasqe textarea", "SPARQL-forespørgsel"],
    [".yasqe_queryButton", "Kør forespørgslen"],
    [".yasqe_share", "Del forespørgslen"],
    [".autocomplete", "SPARQL-endepunkt"],
    [".tabName input", "Fanens navn"],
    [".addTab", "Ny fane"],
    [".closeTab", "Luk fanen"],
    [".yasr_downloadIcon", "Hent resultatet"],
    [".yasr_fullscreenButton", "Fuld skærm"],
    [".tableFilter", "Filtrer resultatet"],
    [".tableSizer", "Rækker pr. side"],
    [".yasr_btn", null],
  ];
  function labelControls() {
    NAMES.forEach(function (pair) {
      root.querySelectorAll(pair[0]).forEach(function (el) {
        if (el.getAttribute("aria-label") || el.getAttribute("aria-labelledby")) return;
        var name = pair[1] || (el.textContent || "").trim() || el.getAttribute("title");
        if (name) el.setAttribute("aria-label", name);
      });
    });
  }
  // YASGUI's own controls are in English: mark them so (WCAG 3.1.2, language of parts).
  var ENGLISH = [".controlbar", ".yasr_header", ".dt-info", ".dt-paging", ".dt-length", ".dt-search",
                 ".dataTables_info", ".dataTables_paginate", ".yasr_response_chip"];
  function label() {
    labelControls();
    ENGLISH.forEach(function (sel) {
      root.querySelectorAll(sel).forEach(function (el) { if (!el.lang) el.lang = "en"; });
    });
  }
  label();
  new MutationObserver(label).observe(root, { childList: true, subtree: true });

  // Example queries: the catalogue is rendered on the page; the query text is fetched from the API.
  var catalogue = null;
  function examples() {
    if (catalogue) return Promise.resolve(catalogue);
    return fetch("/sparql/examples", { headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
      .then(function (list) { catalogue = list; return list; });
  }
  document.querySelectorAll("button[data-example]").forEach(function (button) {
    button.addEventListener("click", function () {
      var id = button.getAttribute("data-example");
      examples().then(function (list) {
        var ex = list.find(function (e) { return e.id === id; });
        if (!ex) return;
        var t = tab();
        t.setQuery(ex.query);
        t.setEndpoint(endpoint);
        t.query();
        document.getElementById("editor-heading").scrollIntoView({ block: "start" });
      }).catch(function (err) { status("Eksemplet kunne ikke hentes: " + err.message); });
    });
  });

  // Downloads: run the current query again with the wanted result format and save the answer.
  var download = document.querySelector(".download");
  var statusEl = download && download.querySelector(".dl-status");
  function status(text) { if (statusEl) statusEl.textContent = text; }
  var ACCEPT = {
    csv: "text/csv, text/turtle;q=0.5",
    json: "application/sparql-results+json, application/ld+json;q=0.5",
  };
  var EXT = { "text/csv": "csv", "text/turtle": "ttl", "application/sparql-results+json": "json",
              "application/ld+json": "jsonld" };
  if (download) {
    download.hidden = false;
    download.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-download]");
      if (!button) return;
      var kind = button.getAttribute("data-download");
      status("Henter …");
      fetch(endpoint, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: ACCEPT[kind] },
        body: new URLSearchParams({ query: tab().getQuery() }),
      }).then(function (r) {
        if (!r.ok) return r.json().then(function (p) { throw new Error(p.detail || p.title || r.status); });
        var type = (r.headers.get("content-type") || "").split(";")[0].trim();
        return r.blob().then(function (blob) { return { blob: blob, ext: EXT[type] || kind }; });
      }).then(function (res) {
        var a = document.createElement("a");
        a.href = URL.createObjectURL(res.blob);
        a.download = "strategigraf-resultat." + res.ext;
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
        status("Resultatet er hentet som " + res.ext.toUpperCase() + ".");
      }).catch(function (err) { status("Kunne ikke hente resultatet: " + err.message); });
    });
  }
})();
