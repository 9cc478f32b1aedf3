/* 党建品牌专栏: the search engine over the static n-gram index in searchindex/ (written by
 * hooks/dangjian_column/publishing/search). Pure logic: the page (column.js) and the tests (node) give it
 * a `load(url) -> Promise<JSON>`. A query is cut into runs of letters/digits exactly like the text was;
 * a run of one or two characters is looked up in the pair lists, a longer one must hold every one of its
 * overlapping triples; all runs must occur (AND). Title matches first, then index order (newest first). */
(function (root) {
  "use strict";

  var ALPHABET = "0123456789abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZwxyz-_";
  var VALUE = {};
  for (var a = 0; a < ALPHABET.length; a++) VALUE[ALPHABET.charAt(a)] = a;
  var RUN = /[\p{L}\p{N}]+/gu;

  // Same as text.normalise: full-width ASCII to half-width, A–Z to lower case, one char for one char.
  function normalise(text) {
    return text.replace(/[\uFF01-\uFF5E\u3000A-Z]/g, function (c) {
      var cp = c.charCodeAt(0);
      if (cp === 0x3000) return " ";
      if (cp >= 0xFF01) cp -= 0xFEE0;
      return String.fromCharCode(cp >= 65 && cp <= 90 ? cp + 32 : cp);
    });
  }

  function decode(text) {
    var out = [], n = 0;
    for (var i = 0; i < text.length; i++) {
      var v = VALUE[text.charAt(i)];
      n = n * 32 + (v & 31);
      if (v < 32) { out.push(n); n = 0; }
    }
    return out;
  }

  // doc list -> Map(doc id -> in title)
  function docList(text, into) {
    var nums = decode(text), doc = -1, map = into || new Map();
    for (var i = 0; i < nums.length; i++) {
      doc += (nums[i] >> 1) + 1;
      map.set(doc, map.get(doc) || (nums[i] & 1) === 1);
    }
    return map;
  }

  function terms(query) {
    var seen = {};
    return (normalise(query).match(RUN) || []).filter(function (t) {
      return seen[t] ? false : (seen[t] = true);
    });
  }

  // A term of three or more characters: all its overlapping triples.
  function triples(term) {
    var out = [];
    for (var i = 0; i + 3 <= term.length; i++) out.push(term.substr(i, 3));
    return out.filter(function (t, i) { return out.indexOf(t) === i; });
  }

  function open(indexUrl, load) {
    return load(indexUrl + "manifest.json").then(function (manifest) {
      return new Engine(indexUrl, manifest, load);
    });
  }

  function Engine(indexUrl, manifest, load) {
    this.base = indexUrl + manifest.dir;
    this.site = indexUrl.replace(/searchindex\/$/, "");
    this.manifest = manifest;
    this.load = load;
    this.cache = new Map();
  }

  Engine.prototype.file = function (name) {
    if (!this.cache.has(name)) {
      var self = this;
      var p = this.load(this.base + name);
      p.catch(function () { self.cache.delete(name); });
      this.cache.set(name, p);
    }
    return this.cache.get(name);
  };

  Engine.prototype.shard = function (folder, count, char) {
    return this.file(folder + "/" + (char.codePointAt(0) % count) + ".json");
  };

  // Map(doc id -> term in title) of the documents containing `term`.
  Engine.prototype.find = function (term) {
    var self = this, m = this.manifest;
    if (term.length === 1) {
      return this.shard("t", m.n, term).then(function (shard) {
        var map = new Map();
        Object.keys(shard).forEach(function (token) { if (token.charAt(0) === term) docList(shard[token], map); });
        return map;
      });
    }
    if (term.length === 2) {
      return this.shard("t", m.n, term).then(function (shard) { return docList(shard[term] || ""); });
    }
    var grams = triples(term);
    return Promise.all(grams.map(function (g) { return self.shard("g", m.g, g); })).then(function (shards) {
      var lists = grams.map(function (g, i) { return docList(shards[i][g] || ""); });
      var out = new Map();
      intersect(lists).forEach(function (_, doc) {
        out.set(doc, lists.every(function (l) { return l.get(doc); }));
      });
      return out;
    });
  };

  function intersect(maps) {
    var sorted = maps.slice().sort(function (x, y) { return x.size - y.size; });
    var out = new Map();
    sorted[0].forEach(function (v, doc) {
      if (sorted.every(function (m) { return m.has(doc); })) out.set(doc, v);
    });
    return out;
  }

  // -> Promise<[{id, title}]>: every document holding every term, title matches first, then by id.
  Engine.prototype.search = function (query, filters) {
    var self = this, words = terms(query);
    if (!words.length) return Promise.resolve([]);
    var wanted = Object.keys(filters || {}).filter(function (k) { return filters[k]; });
    return Promise.all(words.map(function (t) { return self.find(t); })).then(function (maps) {
      var hits = [];
      maps[0].forEach(function (_, doc) {
        var score = 0;
        for (var i = 0; i < maps.length; i++) {
          if (!maps[i].has(doc)) return;
          if (maps[i].get(doc)) score++;
        }
        hits.push({ id: doc, title: score === maps.length, score: score });
      });
      hits.sort(function (x, y) { return y.score - x.score || x.id - y.id; });
      if (!wanted.length) return hits;
      return self.facets().then(function (f) {
        return hits.filter(function (h) { return wanted.every(function (k) { return matches(f, k, h.id, filters[k]); }); });
      });
    });
  };

  function matches(f, name, id, value) {
    if (name === "活动类型") return f["活动类型"][f.k[id]] === value;
    if (name === "年份") return f.y[id] >= 0 && f["年份"][f.y[id]] === value;
    return f.b[id].some(function (b) { return f["支部"][b] === value; });
  }

  Engine.prototype.facets = function () { return this.file("f.json"); };

  // One result: {url, title, date, branches, kind, image, text}; url absolute; image null or
  // {src, srcset, webp, width, height}: the thumbnail's small renditions as absolute srcset strings.
  Engine.prototype.doc = function (id) {
    var site = this.site;
    function srcset(list) {
      return (list || []).map(function (r) { return site + r[0] + " " + r[1] + "w"; }).join(", ");
    }
    return this.file("d/" + id + ".json").then(function (d) {
      var image = d.i && d.i.length ? { src: site + d.i[0][0], srcset: srcset(d.i), webp: srcset(d.iw),
                                        width: d.ih[0], height: d.ih[1] } : null;
      return { url: site + d.u, title: d.t, date: d.d, branches: d.b, kind: d.k, image: image, text: d.x };
    });
  };

  // The excerpt: from just before the first match, `length` characters, every match marked.
  // -> [{text, mark}] pieces, so the page builds it with text nodes (never innerHTML).
  function excerpt(text, query, length) {
    var flat = text.replace(/\s*\n\s*/g, " "), norm = normalise(flat), words = terms(query), first = -1;
    words.forEach(function (w) { var i = norm.indexOf(w); if (i >= 0 && (first < 0 || i < first)) first = i; });
    var start = first < 0 ? 0 : Math.max(0, first - 6);
    if (first > 0) {  // do not reach back across a sentence end
      var stop = Math.max(norm.lastIndexOf("。", first - 1), norm.lastIndexOf("！", first - 1),
                          norm.lastIndexOf("？", first - 1), norm.lastIndexOf(" ", first - 1));
      if (stop >= start) start = stop + 1;
    }
    var end = Math.min(flat.length, start + length), marks = [];
    words.forEach(function (w) {
      for (var i = norm.indexOf(w, start); i >= 0 && i < end; i = norm.indexOf(w, i + 1)) marks.push([i, i + w.length]);
    });
    marks.sort(function (x, y) { return x[0] - y[0]; });
    var pieces = [], at = start;
    if (start > 0) pieces.push({ text: "…", mark: false });
    marks.forEach(function (m) {
      if (m[0] < at) { if (m[1] <= at) return; m = [at, m[1]]; }
      if (m[0] > at) pieces.push({ text: flat.slice(at, m[0]), mark: false });
      pieces.push({ text: flat.slice(m[0], Math.min(m[1], end)), mark: true });
      at = Math.min(m[1], end);
    });
    if (at < end) pieces.push({ text: flat.slice(at, end), mark: false });
    if (end < flat.length) pieces.push({ text: "…", mark: false });
    return pieces;
  }

  var api = { open: open, excerpt: excerpt, terms: terms, normalise: normalise, decode: decode };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else root.DjSearch = api;
})(this);
