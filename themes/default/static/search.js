/* aula search: works from file:// (the index is a script, not fetched), loads the index
   only when the search box is used, folds like the index (accents, case, ' ’ ʼ). */
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  if (!form) return;
  var input = form.querySelector("input[type=search]");
  var out = document.getElementById("search-results");
  var root = form.getAttribute("data-root") || "";
  var docs = null, loading = false, pending = null;

  /* Letters of any script where the browser knows Unicode properties (2018 on); before
     that, the Latin ones: a regular expression it cannot read would stop the script. */
  var LETTER = (function () {
    try { new RegExp("\\p{L}", "u"); return "\\p{L}\\p{N}"; } catch (e) { return "A-Za-z0-9\\u00C0-\\u024F\\u1E00-\\u1EFF"; }
  })();
  var FLAGS = LETTER.charAt(1) === "p" ? "u" : "";
  var SPLIT = new RegExp("[^" + LETTER + "']+", FLAGS);
  /* French elides articles and pronouns into the next word (l'utilité, d'une, qu'il):
     on a French page they are words of their own, so that "utilité" finds "l'utilité".
     Never in K'iche', where the apostrophe is a letter. */
  var ELISION = /^fr\b/.test(document.documentElement.lang || "")
    ? new RegExp("(^|[^" + LETTER + "'])(qu|[ldjnscmt])'(?=[" + LETTER + "])", "g" + FLAGS)
    : null;
  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[\u2019\u02bc\u2018`\u00b4]/g, "'");
  }
  function words(s) {
    var f = fold(s);
    if (ELISION) f = f.replace(ELISION, "$1$2 ");
    return f.split(SPLIT).map(function (w) { return w.replace(/^'+|'+$/g, ""); }).filter(Boolean);
  }
  /* Folded text with, for each folded character, its index in the original. */
  function foldMap(s) {
    var f = "", map = [], chars = Array.from(s), pos = 0;
    chars.forEach(function (c) {
      var fc = fold(c);
      for (var i = 0; i < fc.length; i++) { f += fc[i]; map.push(pos); }
      pos += c.length;
    });
    map.push(pos);
    return { f: f, map: map };
  }
  function load(then) {
    if (docs) return then();
    pending = then;
    if (loading) return;
    loading = true;
    var s = document.createElement("script");
    s.src = form.getAttribute("data-index");
    s.onload = function () {
      docs = (window.aulaSearch && window.aulaSearch.docs) || [];
      docs.forEach(function (d) { d.w = words(d.t + " " + d.x); d.tw = words(d.t); });
      if (pending) pending();
    };
    document.head.appendChild(s);
  }
  function excerpt(text, q) {
    var fm = foldMap(text), best = -1, len = 0;
    q.forEach(function (w) {
      var re = new RegExp("(^|[^" + LETTER + "'])" + w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), FLAGS);
      var m = re.exec(fm.f);
      if (m && (best < 0 || m.index < best)) { best = m.index + m[1].length; len = w.length; }
    });
    var frag = document.createDocumentFragment();
    if (best < 0) {
      var cut = text.length > 160 ? text.lastIndexOf(" ", 160) : text.length;
      frag.appendChild(document.createTextNode(text.slice(0, cut > 0 ? cut : 160) + (cut < text.length ? " …" : "")));
      return frag;
    }
    var start = fm.map[best], end = fm.map[best + len];
    var from = Math.max(0, start - 70), to = Math.min(text.length, end + 90);
    // Whole words only: the excerpt starts after a space and ends before one.
    if (from > 0) { var sp = text.indexOf(" ", from); from = sp >= 0 && sp < start ? sp + 1 : start; }
    if (to < text.length) { var ep = text.lastIndexOf(" ", to); to = ep > end ? ep : to; }
    frag.appendChild(document.createTextNode((from > 0 ? "… " : "") + text.slice(from, start)));
    var mark = document.createElement("mark");
    mark.textContent = text.slice(start, end);
    frag.appendChild(mark);
    frag.appendChild(document.createTextNode(text.slice(end, to) + (to < text.length ? " …" : "")));
    return frag;
  }
  function search() {
    var q = words(input.value);
    out.textContent = "";
    if (!q.length) { out.hidden = true; return; }
    var hits = [];
    docs.forEach(function (d) {
      var score = 0;
      for (var i = 0; i < q.length; i++) {
        var found = 0;
        for (var j = 0; j < d.w.length; j++) if (d.w[j].indexOf(q[i]) === 0) found++;
        if (!found) return;
        score += found;
        for (var k = 0; k < d.tw.length; k++) if (d.tw[k].indexOf(q[i]) === 0) score += 20;
      }
      hits.push({ d: d, s: score });
    });
    hits.sort(function (a, b) { return b.s - a.s; });
    var status = document.createElement("p");
    status.className = "search-count";
    status.textContent = (form.getAttribute(hits.length === 1 ? "data-one" : "data-many") || "{n}").replace("{n}", hits.length);
    out.appendChild(status);
    var list = document.createElement("ol");
    hits.slice(0, 20).forEach(function (h) {
      var li = document.createElement("li"), a = document.createElement("a"), p = document.createElement("p");
      a.href = root + h.d.u;
      a.textContent = h.d.t;
      if (h.d.l) a.lang = h.d.l;
      p.appendChild(excerpt(h.d.x, q));
      if (h.d.l) p.lang = h.d.l;
      li.appendChild(a);
      li.appendChild(p);
      list.appendChild(li);
    });
    out.appendChild(list);
    out.hidden = false;
  }
  input.addEventListener("input", function () { load(search); });
  input.addEventListener("focus", function () { load(function () {}); });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { input.value = ""; out.hidden = true; out.textContent = ""; }
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); load(search); });
  var params = new URLSearchParams(location.search);
  if (params.get("q")) { input.value = params.get("q"); load(search); }
})();
