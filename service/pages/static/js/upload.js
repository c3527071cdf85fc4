// The upload page: send the file with the admin token as a bearer header, show the preview, commit, poll the
// build, then link to the new document. Every text from the server is set with textContent (never as HTML).
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form) return;
  var $ = function (id) { return document.getElementById(id); };
  var TYPE_LABELS = {
    Vision: "Vision", Track: "Spor", Bearing: "Pejlemærke", FocusArea: "Indsatsområde", Principle: "Princip",
    Statement: "Udsagn", Goal: "Mål", Activity: "Aktivitet", StatusReport: "Status", Motto: "Motto",
    Passage: "Tekstafsnit", Section: "Afsnit", RelatedDocument: "Relateret dokument"
  };
  var FIELD_LABELS = {
    title: "Titel", municipality: "Kommune", year: "År", period: "Periode", date: "Dato",
    committee: "Udvalg eller center", kind: "Type", follows_up: "Følger op på"
  };
  var MISSING_LABELS = { municipality: "kommune", title: "titel", year: "år", kind: "type" };
  var FORMAT_LABELS = { pdf: "PDF", docx: "Word (.docx)", html: "webside (HTML)", markdown: "Markdown", text: "tekst" };
  var uploadId = null;

  function token() { return $("token").value.trim(); }

  function headers(extra) {
    var h = { Authorization: "Bearer " + token(), Accept: "application/json" };
    for (var k in extra) h[k] = extra[k];
    return h;
  }

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  function showError(message) {
    $("upload-error-text").textContent = message;
    $("upload-error").hidden = false;
    $("upload-error").scrollIntoView({ block: "nearest" });
  }

  function hideError() { $("upload-error").hidden = true; }

  // A problem+json body's Danish detail, or a Danish sentence for the status.
  // Problems of the upload API carry a Danish detail and a reason; others (the token, the server's own body
  // limit) are worded here.
  function problemText(response, body, fileName) {
    if (body && body.reason && body.detail) return body.detail;
    if (response.status === 401) return "Admin-tokenet er forkert eller mangler.";
    if (response.status === 404) return "Administration er slået fra på denne server.";
    if (response.status === 413) {
      return "Filen »" + (fileName || "") + "« er for stor. Grænsen er " + form.getAttribute("data-limit") + ".";
    }
    return "Serveren svarede " + response.status + ". Prøv igen.";
  }

  function readJson(response) {
    return response.text().then(function (text) {
      try { return text ? JSON.parse(text) : null; } catch (e) { return null; }
    });
  }

  function fields() {
    var out = {};
    ["municipality", "title", "year", "kind"].forEach(function (name) {
      var value = form.elements[name].value.trim();
      if (value) out[name] = value;
    });
    return out;
  }

  function sizeText(bytes) {
    if (bytes < 1024 * 1024) return Math.max(1, Math.round(bytes / 1024)) + " kB";
    return (bytes / (1024 * 1024)).toFixed(1).replace(".", ",") + " MB";
  }

  function renderPreview(p) {
    var parts = ["»" + p.file + "«", FORMAT_LABELS[p.format] || p.format, sizeText(p.size)];
    if (p.pages) parts.push(p.pages + (p.pages === 1 ? " side" : " sider"));
    parts.push(p.nodes + (p.nodes === 1 ? " element genkendt" : " elementer genkendt"));
    $("preview-summary").textContent = parts.join(" · ");

    var warnings = $("preview-warnings");
    clear(warnings);
    (p.warnings || []).forEach(function (w) { warnings.appendChild(el("li", "Bemærk: " + w, "help")); });

    var tbody = $("preview-metadata").querySelector("tbody");
    clear(tbody);
    Object.keys(FIELD_LABELS).forEach(function (name) {
      var m = p.metadata[name];
      if (!m) return;
      var tr = el("tr");
      tr.appendChild(el("th", FIELD_LABELS[name])).setAttribute("scope", "row");
      tr.appendChild(el("td", m.display === null ? "–" : m.display));
      tr.appendChild(el("td", m.evidence_da));
      tbody.appendChild(tr);
    });

    var missing = $("preview-missing");
    if (p.missing && p.missing.length) {
      missing.textContent = "Dokumentet siger ikke selv sin " +
        p.missing.map(function (m) { return MISSING_LABELS[m] || m; }).join(", ") +
        ". Udfyld feltet i formularen ovenfor, før du tilføjer det.";
      missing.hidden = false;
    } else {
      missing.hidden = true;
    }

    var counts = $("preview-counts");
    clear(counts);
    Object.keys(p.counts).forEach(function (cls) {
      counts.appendChild(el("li", (TYPE_LABELS[cls] || cls) + ": " + p.counts[cls]));
    });

    // The flat list of (class, label, depth) becomes nested lists.
    var root = $("preview-tree");
    clear(root);
    var stack = [root];
    p.tree.forEach(function (n) {
      while (stack.length > n.depth + 1) stack.pop();
      var parent = stack[stack.length - 1];
      var li = el("li");
      var badge = el("span", TYPE_LABELS[n["class"]] || n["class"], "badge badge-" + n["class"].toLowerCase());
      li.appendChild(badge);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(el("span", n.label || n.text, "tree-label"));
      parent.appendChild(li);
      var sub = el("ul", null, "tree");
      li.appendChild(sub);
      stack.push(sub);
    });
    root.querySelectorAll("ul.tree").forEach(function (ul) { if (!ul.firstChild) ul.remove(); });
    var truncated = $("preview-truncated");
    truncated.hidden = !p.tree_truncated;
    truncated.textContent = p.tree_truncated ? "Kun de første " + p.tree.length + " elementer er vist." : "";

    $("preview").hidden = false;
    $("commit-button").disabled = false;
    $("preview-heading").focus();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    hideError();
    $("preview").hidden = true;
    $("progress").hidden = true;
    uploadId = null;
    var file = form.elements.file.files[0];
    if (!file) { showError("Vælg en fil at uploade."); return; }
    if (!token()) { showError("Skriv admin-tokenet."); return; }
    var data = new FormData();
    data.append("file", file, file.name);
    var f = fields();
    for (var k in f) data.append(k, f[k]);
    var button = $("preview-button");
    button.disabled = true;
    button.textContent = "Læser dokumentet …";
    fetch("/admin/documents", { method: "POST", headers: headers({}), body: data })
      .then(function (response) {
        return readJson(response).then(function (body) {
          if (!response.ok) { showError(problemText(response, body, file.name)); return; }
          uploadId = body.upload_id;
          renderPreview(body.preview);
        });
      })
      .catch(function () { showError("Serveren kunne ikke nås. Prøv igen."); })
      .then(function () { button.disabled = false; button.textContent = "Vis forhåndsvisning"; });
  });

  function poll() {
    fetch("/admin/documents/" + encodeURIComponent(uploadId), { headers: headers({}) })
      .then(function (response) {
        return readJson(response).then(function (body) {
          if (!response.ok) { showError(problemText(response, body)); return; }
          var steps = $("progress-steps");
          while (steps.children.length < body.progress.length) {
            steps.appendChild(el("li", body.progress[steps.children.length]));
          }
          if (body.state === "done") {
            $("progress-bar").max = 1;
            $("progress-bar").value = 1;
            var link = $("done-link");
            link.href = body.document_url;
            link.textContent = "Åbn »" + (body.document_title || body.document_id) + "«";
            $("done").hidden = false;
            link.focus();
          } else if (body.state === "failed") {
            $("progress").hidden = true;
            showError(body.error || "Dokumentet kunne ikke tilføjes.");
          } else {
            window.setTimeout(poll, 1000);
          }
        });
      })
      .catch(function () { window.setTimeout(poll, 2000); });
  }

  $("commit-button").addEventListener("click", function () {
    if (!uploadId) return;
    hideError();
    var button = $("commit-button");
    button.disabled = true;
    fetch("/admin/documents/" + encodeURIComponent(uploadId) + "/commit", {
      method: "POST", headers: headers({ "Content-Type": "application/json" }), body: JSON.stringify(fields())
    })
      .then(function (response) {
        return readJson(response).then(function (body) {
          if (!response.ok) { showError(problemText(response, body)); button.disabled = false; return; }
          clear($("progress-steps"));
          $("done").hidden = true;
          $("progress-bar").removeAttribute("value");
          $("progress").hidden = false;
          $("progress-heading").focus();
          poll();
        });
      })
      .catch(function () { showError("Serveren kunne ikke nås. Prøv igen."); button.disabled = false; });
  });
})();
