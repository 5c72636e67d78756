/* aula search: works from file:// (the index is scripts, not fetched), loads only the
   parts of the index a query needs, folds like the index (accents, case, ' ’ ʼ). */
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  if (!form) return;
  var input = form.querySelector("input[type=search]");
  var out = document.getElementById("search-results");
  var root = form.getAttribute("data-root") || "";

  /* Letters of any script where the browser knows Unicode properties (2018 on); before
     that, the Latin ones: a regular expression it cannot read would stop the script. */
  var LETTER = (function () {
    try { new RegExp("\\p{L}", "u"); return "\\p{L}\\p{N}"; } catch (e) { return "A-Za-z0-9\\u00C0-\\u024F\\u1E00-\\u1EFF"; }
  })();
  var FLAGS = LETTER.charAt(1) === "p" ? "u" : "";
  var SPLIT = new RegExp("[^" + LETTER + "']+", FLAGS);
  /* French elides articles and pronouns into the next word (l'utilité, d'une, qu'il):
     on a French page the particle is dropped, as the index drops it from French text, so
     that "l'utilité" and "utilité" find the same pages. Never in K'iche', where the
     apostrophe is a letter. */
  var ELISION = /^fr\b/.test(document.documentElement.lang || "")
    ? new RegExp("(^|[^" + LETTER + "'])(qu|[ldjnscmt])'(?=[" + LETTER + "])", "g" + FLAGS)
    : null;
  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[\u2019\u02bc\u2018`\u00b4]/g, "'");
  }
  function words(s) {
    var f = fold(s);
    if (ELISION) f = f.replace(ELISION, "$1");
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
  /* The index is a folder of scripts: m.js names the modules and the chunks that exist;
     each chunk holds the words that begin with its key: two letters, or more where the
     words of two letters are too many for one chunk (m.js gives each chunk's size). A
     query loads the chunks of its words only, each once. */
  var base = (form.getAttribute("data-index") || "").replace(/[^\/]*$/, "");
  var meta = null, chunks = {}, blocks = {}, waiting = {};
  window.aulaSearch = {
    meta: function (m) {
      /* The keys come front-coded: each as how many characters it shares with the one
         before (a base-36 digit) and the rest, separated by spaces. */
      var keys = [], before = [];
      m.k.split(" ").forEach(function (e) {
        if (!e) return;
        before = before.slice(0, parseInt(e.charAt(0), 36)).concat(Array.from(e.slice(1)));
        keys.push(before.join(""));
      });
      m.k = keys;
      meta = m;
    },
    words: function (key, words, docs) { chunks[key] = { w: words, d: docs }; },
    docs: function (n, list) { blocks[n] = list; }
  };
  function hex(s) {
    var out = "";
    new TextEncoder().encode(s).forEach(function (b) { out += (b < 16 ? "0" : "") + b.toString(16); });
    return out;
  }
  /* Loads a script once; `then` runs when it has run (or failed: a chunk that is not
     there is a word nobody wrote). */
  function script(name, then) {
    if (waiting[name] === true) return then();
    if (waiting[name]) return waiting[name].push(then);
    waiting[name] = [then];
    var s = document.createElement("script");
    s.src = base + name;
    s.onload = s.onerror = function () {
      var run = waiting[name];
      waiting[name] = true;
      run.forEach(function (f) { f(); });
    };
    document.head.appendChild(s);
  }
  function all(names, then) {
    var left = names.length;
    if (!left) return then();
    names.forEach(function (n) { script(n, function () { if (--left === 0) then(); }); });
  }
  /* The chunks of a query word: the one of the longest key that begins it, and those of
     longer keys that begin with it (its words did not fit in one chunk) if together they
     are at most MORE KiB. If they are more, or the word is one letter, the word is too
     short to match as a prefix: it matches only itself, and loads only its own chunk. */
  var MORE = 48;
  function chunksOf(w) {
    var own = null, under = [], size = 0;
    meta.k.forEach(function (k, i) {
      if (w.indexOf(k) === 0) { if (own === null || k.length > own.length) own = k; }
      else if (k.indexOf(w) === 0) { under.push(k); size += meta.z[i]; }
    });
    var whole = under.length > 0 && (Array.from(w).length < 2 || size > MORE);
    var keys = own === null ? [] : [own];
    return { keys: whole ? keys : keys.concat(under), whole: whole };
  }
  function load(then) { script("m.js", then); }
  function excerpt(text, q) {
    /* Every place a query word starts a word, in the folded text: [start, length]. */
    var fm = foldMap(text), found = [];
    q.forEach(function (w) {
      // A word starts the text or follows a non-letter; in French it may follow an elided
      // particle, marked with it (the word as written: no line breaks inside "l'activité").
      var re = new RegExp("(^|[^" + LETTER + "'])" + (ELISION ? "((?:qu|[ldjnscmt])')?" : "()") +
        w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "g" + FLAGS);
      for (var m = re.exec(fm.f); m; m = re.exec(fm.f)) {
        found.push([m.index + m[1].length, (m[2] || "").length + w.length]);
        if (m[0].length === 0) re.lastIndex++;
      }
    });
    found.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var frag = document.createDocumentFragment();
    if (!found.length) {
      var cut = text.length > 160 ? text.lastIndexOf(" ", 160) : text.length;
      frag.appendChild(document.createTextNode(text.slice(0, cut > 0 ? cut : 160) + (cut < text.length ? " …" : "")));
      return frag;
    }
    /* Around the first word found, and every word found there is marked. */
    var start = fm.map[found[0][0]], end = fm.map[found[0][0] + found[0][1]];
    var from = Math.max(0, start - 70), to = Math.min(text.length, end + 90);
    // Whole words only: the excerpt starts after a space and ends before one.
    if (from > 0) { var sp = text.indexOf(" ", from); from = sp >= 0 && sp < start ? sp + 1 : start; }
    if (to < text.length) { var ep = text.lastIndexOf(" ", to); to = ep > end ? ep : to; }
    var at = from, before = from > 0 ? "… " : "";
    found.forEach(function (f) {
      var s = fm.map[f[0]], e = fm.map[f[0] + f[1]];
      if (s < at || e > to) return; /* overlaps the one before, or past the end */
      frag.appendChild(document.createTextNode(before + text.slice(at, s)));
      before = "";
      var mark = document.createElement("mark");
      mark.textContent = text.slice(s, e);
      frag.appendChild(mark);
      at = e;
    });
    frag.appendChild(document.createTextNode(before + text.slice(at, to) + (to < text.length ? " …" : "")));
    return frag;
  }
  var asked = 0;
  function search() {
    var q = words(input.value), n = ++asked;
    if (!q.length || !meta) { out.textContent = ""; out.hidden = true; return; }
    var of = q.map(chunksOf), needed = [];
    of.forEach(function (c) { c.keys.forEach(function (k) { needed.push("w" + hex(k) + ".js"); }); });
    all(needed, function () {
      if (n !== asked) return; /* a newer query is on its way */
      var score = null, excerpts = {}, info = {}, short = null;
      q.forEach(function (w, i) {
        var whole = of[i].whole, mine = {};
        of[i].keys.forEach(function (k) {
          var c = chunks[k];
          if (c) Object.keys(c.w).forEach(function (word) {
            /* Words begin with what was typed, or are it (see chunksOf). */
            if (whole ? word !== w : word.indexOf(w) !== 0) return;
            var e = c.w[word], p = e.p;
            for (var j = 0; j < p.length; j += 2) mine[p[j]] = (mine[p[j]] || 0) + p[j + 1];
            e.e.forEach(function (x) { if (!(x[0] in excerpts)) excerpts[x[0]] = x[1]; });
            Object.keys(c.d).forEach(function (d) { info[d] = c.d[d]; });
          });
        });
        if (whole && !Object.keys(mine).length) short = w;
        if (score === null) score = mine;
        else Object.keys(score).forEach(function (d) {
          if (d in mine) score[d] += mine[d]; else delete score[d];
        });
      });
      if (short !== null) return tooShort(short);
      var hits = Object.keys(score || {}).map(function (d) { return { d: +d, s: score[d] }; });
      hits.sort(function (a, b) { return b.s - a.s || a.d - b.d; });
      var shown = hits.slice(0, 20);
      /* Titles and addresses not in the chunks come from their block of documents. */
      var missing = {};
      shown.forEach(function (h) { if (!info[h.d]) missing["d" + Math.floor(h.d / meta.b) + ".js"] = 1; });
      all(Object.keys(missing), function () {
        if (n !== asked) return;
        shown.forEach(function (h) {
          if (!info[h.d]) { var b = blocks[Math.floor(h.d / meta.b)]; info[h.d] = b && b[h.d % meta.b]; }
        });
        show(hits.length, shown.filter(function (h) { return info[h.d]; }), info, excerpts, q);
      });
    });
  }
  /* A word too short to match as a prefix, and not a word itself: say to type more. */
  function tooShort(w) {
    out.textContent = "";
    var status = document.createElement("p");
    status.className = "search-count";
    status.textContent = (form.getAttribute("data-more") || "{w}").replace("{w}", w);
    out.appendChild(status);
    out.hidden = false;
  }
  function show(total, shown, info, excerpts, q) {
    out.textContent = "";
    var status = document.createElement("p");
    status.className = "search-count";
    status.textContent = (form.getAttribute(total === 1 ? "data-one" : "data-many") || "{n}").replace("{n}", total);
    out.appendChild(status);
    var list = document.createElement("ol");
    shown.forEach(function (h) {
      var d = info[h.d], li = document.createElement("li"), a = document.createElement("a");
      a.href = root + d[1];
      a.textContent = d[0];
      li.appendChild(a);
      if (d[3]) {
        /* Fallback text: in its own language, and said so. */
        a.lang = d[3];
        var tag = document.createElement("span");
        tag.className = "search-lang";
        tag.textContent = " (" + d[4] + ")";
        li.appendChild(tag);
      }
      var module = document.createElement("span");
      module.className = "search-module";
      module.textContent = meta.m[d[2]];
      if (d[3]) module.lang = d[3];
      li.appendChild(module);
      if (h.d in excerpts) {
        var p = document.createElement("p");
        p.appendChild(excerpt(excerpts[h.d], q));
        if (d[3]) p.lang = d[3];
        li.appendChild(p);
      }
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
