// schemapipe catalog: search and filters on the index page. No network, no framework: the
// prebuilt index (search-index.js) holds one entry per table row, in the same order. The state
// lives in the address (#q=email&owner=payments), so a search can be linked and bookmarked.
(function () {
  "use strict";
  var table = document.getElementById("schemas");
  if (!table) return;
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var raw = (window.CATALOG_INDEX && window.CATALOG_INDEX.s) || [];
  var entries = raw.map(function (e) {
    return { name: e[0].toLowerCase(), fields: e[1] ? e[1].split(" ") : [], labels: " " + e[2].toLowerCase() + " ", docs: e[3] };
  });
  var q = document.getElementById("q");
  var filters = { domain: document.getElementById("f-domain"), owner: document.getElementById("f-owner"), tag: document.getElementById("f-tag") };
  var count = document.getElementById("count");
  var none = document.getElementById("none");

  function readHash() {
    var out = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (part) {
      if (!part) return;
      var i = part.indexOf("=");
      var k = i < 0 ? part : part.slice(0, i);
      var v = i < 0 ? "" : part.slice(i + 1);
      try { out[k] = decodeURIComponent(v.replace(/\+/g, " ")); } catch (e) { out[k] = v; }
    });
    return out;
  }

  function writeHash() {
    var parts = [];
    if (q.value) parts.push("q=" + encodeURIComponent(q.value));
    Object.keys(filters).forEach(function (k) {
      if (filters[k] && filters[k].value) parts.push(k + "=" + encodeURIComponent(filters[k].value));
    });
    var h = parts.length ? "#" + parts.join("&") : "";
    if (location.hash === h || (h === "" && location.hash === "")) return;
    try { history.replaceState(null, "", h || location.pathname + location.search); } catch (e) { location.hash = h; }
  }

  function setSelect(sel, value) {
    if (!sel) return;
    var ok = Array.prototype.some.call(sel.options, function (o) { return o.value === value; });
    sel.value = ok ? value : "";
  }

  function matchTerm(e, t, matched) {
    var hit = e.name.indexOf(t) >= 0;
    for (var i = 0; i < e.fields.length; i++) {
      var f = e.fields[i];
      if (f.toLowerCase().indexOf(t) >= 0) {
        hit = true;
        if (matched.indexOf(f) < 0) matched.push(f);
      }
    }
    if (e.labels.indexOf(t) >= 0) hit = true;
    if (e.docs.indexOf(t) >= 0) hit = true;
    return hit;
  }

  function apply() {
    var terms = q.value.toLowerCase().split(/\s+/).filter(Boolean);
    var d = filters.domain ? filters.domain.value : "";
    var o = filters.owner ? filters.owner.value : "";
    var t = filters.tag ? filters.tag.value : "";
    var shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i];
      var e = entries[i] || { name: "", fields: [], labels: " ", docs: "" };
      var ok = (!d || r.getAttribute("data-domain") === d) && (!o || r.getAttribute("data-owner") === o) &&
        (!t || (" " + r.getAttribute("data-tags") + " ").indexOf(" " + t + " ") >= 0);
      var matched = [];
      if (ok) {
        for (var j = 0; j < terms.length && ok; j++) ok = matchTerm(e, terms[j], matched);
      }
      r.hidden = !ok;
      var cell = r.cells[r.cells.length - 1];
      cell.textContent = ok && matched.length ? matched.slice(0, 8).join(", ") + (matched.length > 8 ? " …" : "") : "";
      if (ok) shown++;
    }
    count.textContent = shown === rows.length ? rows.length + " schemas" : shown + " of " + rows.length + " schemas";
    if (none) none.hidden = shown !== 0;
    document.body.setAttribute("data-results", String(shown));
  }

  function fromHash() {
    var h = readHash();
    q.value = h.q || "";
    setSelect(filters.domain, h.domain || "");
    setSelect(filters.owner, h.owner || "");
    setSelect(filters.tag, h.tag || "");
    apply();
  }

  var pending = 0;
  q.addEventListener("input", function () {
    if (pending) cancelAnimationFrame(pending);
    pending = requestAnimationFrame(function () { pending = 0; apply(); writeHash(); });
  });
  Object.keys(filters).forEach(function (k) {
    if (filters[k]) filters[k].addEventListener("change", function () { apply(); writeHash(); });
  });
  window.addEventListener("hashchange", fromHash);
  fromHash();
  document.body.setAttribute("data-ready", "1");
})();
