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
  // YASGUI speaks English; the page speaks Danish. The results table (DataTables) takes its words from its
  // language option, query errors are drawn by our own error renderer from the endpoint's problem details
  // (asked for in Danish), and the few remaining fixed English strings of the widgets are replaced below.
  var TABLE_LANGUAGE = {
    aria: { orderable: ": aktivér for at sortere", orderableReverse: ": aktivér for at vende sorteringen",
            orderableRemove: ": aktivér for at fjerne sorteringen",
            paginate: { first: "Første side", last: "Sidste side", next: "Næste side", previous: "Forrige side",
                        number: "" } },
    paginate: { first: "«", last: "»", next: "›", previous: "‹" },
    entries: { _: "rækker", 1: "række" },
    lengthLabels: { "-1": "Alle" },
    emptyTable: "Forespørgslen gav ingen resultater",
    info: "Viser _START_–_END_ af _TOTAL_ _ENTRIES-TOTAL_",
    infoEmpty: "Viser 0 af 0 rækker",
    infoFiltered: "(filtreret fra _MAX_ _ENTRIES-MAX_ i alt)",
    thousands: ".",
    decimal: ",",
    lengthMenu: "_MENU_ _ENTRIES_ pr. side",
    loadingRecords: "Henter …",
    search: "Søg:",
    zeroRecords: "Ingen rækker passer til filteret",
  };
  var tablePlugin = Yasgui.Yasr && Yasgui.Yasr.plugins && Yasgui.Yasr.plugins.table;
  if (tablePlugin && tablePlugin.defaults && tablePlugin.defaults.tableConfig) {
    tablePlugin.defaults.tableConfig.language = TABLE_LANGUAGE;
  }

  // A failed query: the endpoint answers application/problem+json (in Danish, as asked); show its title and
  // detail as text, and the SPARQL parser's own words (English) folded away under "Teknisk besked".
  function problemOf(error) {
    var text = error && (error.text || (error.response && error.response.text));
    if (typeof text === "string") {
      try { return JSON.parse(text); } catch (e) { /* not JSON: fall through */ }
    }
    return null;
  }
  function renderDanishError(error) {
    var box = document.createElement("div");
    box.className = "sparql-error";
    box.setAttribute("role", "alert");
    var problem = problemOf(error);
    var heading = document.createElement("p");
    heading.className = "sparql-error-title";
    var detail = document.createElement("p");
    if (problem && (problem.title || problem.detail)) {
      heading.textContent = problem.title || "Forespørgslen kunne ikke køres";
      detail.textContent = problem.detail || "";
    } else if (error && error.status) {
      heading.textContent = "Forespørgslen kunne ikke køres";
      detail.textContent = "Endepunktet svarede med fejlkode " + error.status + ".";
    } else {
      heading.textContent = "Endepunktet svarer ikke";
      detail.textContent = "Forespørgslen nåede ikke frem. Prøv igen om lidt.";
    }
    box.appendChild(heading);
    box.appendChild(detail);
    if (problem && problem.technical) {
      var more = document.createElement("details");
      var summary = document.createElement("summary");
      summary.textContent = "Teknisk besked";
      var code = document.createElement("code");
      code.lang = "en";
      code.textContent = problem.technical;
      more.appendChild(summary);
      more.appendChild(code);
      box.appendChild(more);
    }
    return Promise.resolve(box);
  }
  if (Yasgui.Yasr && Yasgui.Yasr.defaults) Yasgui.Yasr.defaults.errorRenderers = [renderDanishError];

  // The fixed English strings left in YASGUI's controls, with their Danish wording.
  var WORDS = {
    "Table": "Tabel", "Response": "Svar", "Simple view": "Enkel visning", "Ellipse": "Forkort lange værdier",
    "Page size:": "Rækker pr. side:", "All": "Alle", "Try query in a new browser window": "Prøv forespørgslen i et nyt vindue",
    "Share query": "Del forespørgslen", "Run query": "Kør forespørgslen", "Shows Table view": "Vis som tabel",
    "Shows Response view": "Vis det rå svar", "Filter query results": "Filtrer resultatet",
    "Download result": "Hent resultatet", "Download Results": "Hent resultatet",
    "View documentation of Table": "Vejledning til tabellen", "View documentation of Response": "Vejledning til svaret",
    "Close tab": "Luk fanen", "Add tab": "Ny fane", "Add a new tab": "Ny fane", "Open settings": "Åbn indstillinger",
    "Clear endpoint": "Ryd endepunktet", "Copy": "Kopiér", "Shorten": "Forkort", "Fullscreen": "Fuld skærm",
    "Show all": "Vis alle", "Show less": "Vis færre", "Show more": "Vis flere", "pagination": "Sideskift",
    "Unable to get response from endpoint. Possible reasons:": "Endepunktet svarede ikke. Mulige årsager:",
    "Download not supported": "Resultatet kan ikke hentes i dette format", "Search or add an endpoint": "SPARQL-endepunkt",
    "Endpoint is down": "Endepunktet svarer ikke", "Incorrect endpoint URL": "Forkert adresse på endepunktet",
    "POST": "POST",
  };
  var PATTERNS = [
    [/^(\d+) results? in ([\d.]+) seconds?$/, function (m) {
      return m[1] + (m[1] === "1" ? " resultat" : " resultater") + " på " + m[2].replace(".", ",") + " sekunder";
    }],
    [/^Response in ([\d.]+) seconds?$/, function (m) { return "Svar på " + m[1].replace(".", ",") + " sekunder"; }],
    [/^(.*): Activate to (invert|remove)? ?sort(ing)?$/, function (m) {
      return m[1] + (m[2] === "invert" ? ": aktivér for at vende sorteringen"
                     : m[2] === "remove" ? ": aktivér for at fjerne sorteringen" : ": aktivér for at sortere");
    }],
  ];
  function danish(text) {
    var trimmed = text.trim();
    if (!trimmed) return null;
    if (Object.prototype.hasOwnProperty.call(WORDS, trimmed)) return text.replace(trimmed, WORDS[trimmed]);
    for (var i = 0; i < PATTERNS.length; i++) {
      var m = trimmed.match(PATTERNS[i][0]);
      if (m) return text.replace(trimmed, PATTERNS[i][1](m));
    }
    return null;
  }
  // Not translated: the query (CodeMirror), the results' cells and the raw response.
  var KEEP = ".CodeMirror-lines, .yasr_results tbody, .yasr_results pre, .sparql-error";
  function translate() {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var node;
    while ((node = walker.nextNode())) {
      if (node.parentElement && node.parentElement.closest(KEEP)) continue;
      var out = danish(node.nodeValue);
      if (out !== null && out !== node.nodeValue) node.nodeValue = out;
    }
    root.querySelectorAll("[title], [aria-label], [placeholder]").forEach(function (el) {
      if (el.closest(KEEP)) return;
      ["title", "aria-label", "placeholder"].forEach(function (attr) {
        var value = el.getAttribute(attr);
        var out = value && danish(value);
        if (out && out !== value) el.setAttribute(attr, out);
      });
    });
  }

  var STARTER = [
    "# Alle spor (sg:Track) med deres titel og dokument. Vælg et eksempel ovenfor for flere.",
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
    requestConfig: { endpoint: endpoint, method: "POST", headers: { "Accept-Language": "da" } },
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
  function label() {
    labelControls();
    translate();
  }
  label();
  new MutationObserver(label).observe(root, { childList: true, subtree: true, characterData: true, attributes: true,
                                            attributeFilter: ["title", "aria-label", "placeholder"] });

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
