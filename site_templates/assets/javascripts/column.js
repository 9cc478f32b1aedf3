/* 党建品牌专栏: the search page (results from search-engine.js, fetched only on this page), the photo
 * lightbox, 长辈模式 and 朗读. Every page is a full page load (no instant navigation: mkdocs.yml), so the
 * setup runs once, at DOMContentLoaded; nothing here depends on Material's script. */
(function () {
  "use strict";

  var PAGE_SIZE = 10;
  var EXCERPT_LENGTH = 72;
  var THUMB_SIZES = "90px"; // .dj-result__thumb: 4.5rem at Material's 20-px root
  var engine = null; // the opened index, kept for the page's later searches

  var script = document.currentScript && document.currentScript.src;
  var assets = script ? script.replace(/javascripts\/column\.js(\?.*)?$/, "") : null;
  var engineLib = null;

  function absolute(path) {
    return new URL(path, window.location.href).pathname;
  }

  function loadJson(url) {
    return fetch(url).then(function (r) {
      if (!r.ok) throw new Error(url + ": " + r.status);
      return r.json();
    });
  }

  function loadEngine(indexUrl) {
    if (!engine) {
      engineLib = engineLib || loadScript(assets + "javascripts/search-engine.js");
      engine = engineLib.then(function () { return window.DjSearch.open(indexUrl, loadJson); });
      engine.catch(function () { engine = null; engineLib = null; });
    }
    return engine;
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var js = document.createElement("script");
      js.src = src;
      js.onload = resolve;
      js.onerror = reject;
      document.head.appendChild(js);
    });
  }

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text) el.textContent = text;
    return el;
  }

  function renderResult(data, query) {
    var item = element("li", "dj-result");
    var link = element("a", "dj-result__link");
    link.href = data.url;
    if (data.image) {
      // The 160/320-px renditions (not the 480-px JPEG: 55–73 KB for a 90-px box), WebP first; width and
      // height give the box its size before the file arrives (column.css fixes it at 4.5 × 3.2 rem).
      var picture = element("picture", "dj-result__pic");
      if (data.image.webp) {
        var source = element("source");
        source.type = "image/webp";
        source.srcset = data.image.webp;
        source.sizes = THUMB_SIZES;
        picture.appendChild(source);
      }
      var img = element("img", "dj-result__thumb");
      img.src = data.image.src;
      img.srcset = data.image.srcset;
      img.sizes = THUMB_SIZES;
      img.width = data.image.width;
      img.height = data.image.height;
      img.alt = "";
      img.loading = "lazy";
      img.decoding = "async";
      picture.appendChild(img);
      link.appendChild(picture);
    }
    link.appendChild(element("span", "dj-result__title", data.title));
    item.appendChild(link);
    var meta = [data.date, data.branches.join("、"), data.kind].filter(Boolean).join(" · ");
    item.appendChild(element("p", "dj-result__meta", meta));
    var excerpt = element("p", "dj-result__excerpt");
    window.DjSearch.excerpt(data.text, query, EXCERPT_LENGTH).forEach(function (piece) {
      excerpt.appendChild(piece.mark ? element("mark", "", piece.text) : document.createTextNode(piece.text));
    });
    item.appendChild(excerpt);
    return item;
  }

  function setupSearchPage() {
    var list = document.getElementById("dj-search");
    if (!list || list.dataset.started) return;
    list.dataset.started = "1";
    var indexUrl = list.getAttribute("data-index") ? absolute(list.getAttribute("data-index")) : "";
    var form = document.querySelector("form.dj-search");
    var input = form.querySelector(".dj-search__input");
    var filterBox = form.querySelector(".dj-search__filters");
    var selects = Array.prototype.slice.call(filterBox.querySelectorAll("select"));
    var status = document.querySelector(".dj-search__status");
    var more = document.querySelector(".dj-search__more");
    var params = new URLSearchParams(window.location.search);
    var results = [];
    var shownQuery = "";
    var shown = 0;
    var generation = 0;

    input.value = params.get("q") || "";
    selects.forEach(function (s) { s.dataset.wanted = params.get(s.name) || ""; });

    function chosenFilters() {
      var filters = {};
      selects.forEach(function (s) {
        var value = s.value || s.dataset.wanted;
        if (value) filters[s.getAttribute("data-filter")] = value;
      });
      return filters;
    }

    function showMore() {
      var batch = results.slice(shown, shown + PAGE_SIZE);
      shown += batch.length;
      more.hidden = shown >= results.length;
      return loadEngine(indexUrl).then(function (search) {
        return Promise.all(batch.map(function (r) { return search.doc(r.id); }));
      }).then(function (pages) {
        pages.forEach(function (data) { list.appendChild(renderResult(data, shownQuery)); });
      });
    }

    // Filters are offered once the first results are on screen, so they never delay them.
    function offerFilters(search) {
      if (!filterBox.hidden) return;
      search.facets().then(function (all) {
        selects.forEach(function (s) {
          var values = (all[s.getAttribute("data-filter")] || []).slice();
          values.forEach(function (v) { s.appendChild(new Option(v, v)); });
          if (s.dataset.wanted) s.value = s.dataset.wanted;
        });
        filterBox.hidden = false;
      });
    }

    function run() {
      var query = input.value.trim();
      var mine = ++generation;
      list.textContent = "";
      more.hidden = true;
      if (!query) { status.textContent = ""; return; }
      if (!indexUrl) { status.textContent = "专栏还没有可搜索的内容。"; return; }
      status.textContent = "正在搜索…";
      loadEngine(indexUrl).then(function (search) {
        return search.search(query, chosenFilters()).then(function (hits) {
          if (mine !== generation) return;
          results = hits;
          shownQuery = query;
          shown = 0;
          status.textContent = results.length ? "找到 " + results.length + " 篇相关内容" : "没有找到相关内容，换个关键词试试。";
          return showMore().then(function () { offerFilters(search); });
        });
      }).catch(function () {
        status.textContent = "搜索组件加载失败，请刷新页面重试。";
      });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var next = new URLSearchParams();
      next.set("q", input.value.trim());
      selects.forEach(function (s) { s.dataset.wanted = ""; if (s.value) next.set(s.name, s.value); });
      history.replaceState(history.state, "", "?" + next.toString());
      run();
    });
    selects.forEach(function (s) {
      s.addEventListener("change", function () { form.requestSubmit(); });
    });
    more.addEventListener("click", showMore);
    run();
  }

  function fillHeaderBox() {
    var query = new URLSearchParams(window.location.search).get("q");
    var input = document.querySelector(".dj-header-search__input");
    if (input && query && !input.value) input.value = query;
  }

  // Photo lightbox: GLightbox (bundled under assets/vendor, no CDN), fetched only on pages with photos
  // so the search page and listings stay light on phones.
  var vendor = assets ? assets + "vendor/glightbox/" : null;
  var lightboxLib = null;
  var lightbox = null;

  function loadLightboxStyles() {
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = vendor + "glightbox.min.css";
    document.head.appendChild(css);
  }

  function loadLightbox() {
    if (!lightboxLib) {
      loadLightboxStyles();
      lightboxLib = new Promise(function (resolve, reject) {
        var js = document.createElement("script");
        js.src = vendor + "glightbox.min.js";
        js.onload = function () { resolve(window.GLightbox); };
        js.onerror = function () { lightboxLib = null; reject(new Error("lightbox")); };
        document.head.appendChild(js);
      });
    }
    return lightboxLib;
  }

  // GLightbox's own markup with Chinese labels, a modal dialog, and no empty <h4> in the page outline.
  var LIGHTBOX_HTML = '<div id="glightbox-body" class="glightbox-container" tabindex="-1" role="dialog" ' +
    'aria-modal="true" aria-label="照片浏览" aria-hidden="false"><div class="gloader visible"></div>' +
    '<div class="goverlay"></div><div class="gcontainer"><div id="glightbox-slider" class="gslider"></div>' +
    '<button class="gclose gbtn" aria-label="关闭" data-taborder="3">{closeSVG}</button>' +
    '<button class="gprev gbtn" aria-label="上一张" data-taborder="2">{prevSVG}</button>' +
    '<button class="gnext gbtn" aria-label="下一张" data-taborder="1">{nextSVG}</button></div></div>';
  var SLIDE_HTML = '<div class="gslide"><div class="gslide-inner-content"><div class="ginner-container">' +
    '<div class="gslide-media"></div><div class="gslide-description"><div class="gdesc-inner">' +
    '<p class="gslide-title"></p><div class="gslide-desc"></div></div></div></div></div></div>';

  function reducedMotion() {
    return window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  // After the page's own load (its cover and the photos in view): GLightbox's 22 KB then never share a slow
  // connection with them. A photo tapped before that opens as the photo file itself, as without script.
  function afterLoad(task) {
    var idle = window.requestIdleCallback || function (fn) { return setTimeout(fn, 1); };
    if (document.readyState === "complete") idle(task);
    else window.addEventListener("load", function () { idle(task); }, { once: true });
  }

  function setupLightbox() {
    if (!vendor || !document.querySelector("a.dj-lightbox")) return;
    afterLoad(startLightbox);
  }

  function startLightbox() {
    if (lightbox || !document.querySelector("a.dj-lightbox")) return;
    loadLightbox().then(function (GLightbox) {
      if (lightbox) return;
      var opener = null;  // the photo link that opened it: focus goes back there on close
      var still = reducedMotion();
      lightbox = GLightbox({
        selector: "a.dj-lightbox", touchNavigation: true, keyboardNavigation: true, loop: false,
        descPosition: "bottom", plyr: { css: "", js: "" },  // photos only: never fetch the video player
        lightboxHTML: LIGHTBOX_HTML, slideHTML: SLIDE_HTML,
        openEffect: still ? "fade" : "zoom", closeEffect: still ? "fade" : "zoom", slideEffect: still ? "fade" : "slide"
      });
      document.documentElement.setAttribute("data-dj-lightbox", "ready");  // photos now open in it
      lightbox.on("open", function () {
        opener = document.activeElement && document.activeElement.closest && document.activeElement.closest("a.dj-lightbox");
        var close = document.querySelector(".glightbox-container .gclose");
        if (close) close.focus();
      });
      lightbox.on("close", function () {
        var back = opener;
        opener = null;
        // GLightbox removes its container after the closing animation; focus the photo once it is gone.
        if (back) setTimeout(function () { back.focus(); }, still ? 0 : 450);
      });
    }).catch(function () { /* links still open the photo itself */ });
  }

  // 长辈模式 (大字版): a class on <html>, remembered in localStorage.
  // The inline script in main.html applies it before the first paint; the buttons only mirror it.
  var ELDER_KEY = "dj-elder";
  var root = document.documentElement;

  function remember(on) {
    try { if (on) localStorage.setItem(ELDER_KEY, "1"); else localStorage.removeItem(ELDER_KEY); } catch (e) { /* private mode */ }
  }

  function showElderState() {
    var on = root.classList.contains(ELDER_KEY);
    document.querySelectorAll(".dj-elder-toggle").forEach(function (b) { b.setAttribute("aria-pressed", on ? "true" : "false"); });
  }

  // Read-aloud with the browser's own speech synthesis (no third-party service); only where it exists.
  var speech = window.speechSynthesis;

  function stopReading() {
    if (speech && (speech.speaking || speech.pending)) speech.cancel();
    document.querySelectorAll(".dj-read").forEach(function (b) { b.setAttribute("aria-pressed", "false"); b.textContent = "朗读"; });
  }

  function readAloud(button) {
    if (speech.speaking) { stopReading(); return; }
    var article = document.querySelector("article.md-content__inner");
    if (!article) return;
    var utterance = new SpeechSynthesisUtterance(article.innerText);
    utterance.lang = "zh-CN";
    utterance.onend = stopReading;
    button.setAttribute("aria-pressed", "true");
    button.textContent = "停止朗读";
    speech.speak(utterance);
  }

  function setupReader() {
    var supported = !!(speech && window.SpeechSynthesisUtterance);
    // Leaving the page ends the reading (a browser may go on speaking the last page's text).
    if (supported) window.addEventListener("pagehide", stopReading);
    document.querySelectorAll(".dj-read").forEach(function (b) { b.hidden = !supported; });
  }

  // One listener for the page's buttons (the masthead's and the story's).
  document.addEventListener("click", function (event) {
    var target = event.target.closest && event.target.closest(".dj-elder-toggle, .dj-read");
    if (!target) return;
    if (target.classList.contains("dj-read")) { readAloud(target); return; }
    var on = root.classList.toggle(ELDER_KEY);
    remember(on);
    showElderState();
  });

  function onPage() {
    showElderState();
    setupReader();
    setupSearchPage();
    fillHeaderBox();
    setupLightbox();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", onPage);
  else onPage();
})();
