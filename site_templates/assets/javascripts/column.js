/* 党建品牌专栏: starts the Pagefind search UI on the search page.
 * Material's instant navigation swaps pages without reloading, so run on every document$ emission. */
(function () {
  "use strict";

  var loading = null;

  // The header is not swapped by instant navigation, so its form keeps the relative action written for
  // the first page ("search/", "../../../search/"…). Pin it to the absolute URL while that is still right.
  var headerForm = document.querySelector("form.dj-header-search");
  if (headerForm) headerForm.setAttribute("action", headerForm.action);

  function loadBundle(bundle) {
    if (loading) return loading;
    loading = new Promise(function (resolve, reject) {
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = bundle + "pagefind-ui.css";
      document.head.appendChild(css);
      var script = document.createElement("script");
      script.src = bundle + "pagefind-ui.js";
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
    return loading;
  }

  function startSearch() {
    var box = document.getElementById("dj-search");
    if (!box || box.dataset.started) return;
    box.dataset.started = "1";
    var bundle = box.getAttribute("data-bundle");
    loadBundle(bundle).then(function () {
      var ui = new PagefindUI({
        element: "#dj-search",
        bundlePath: bundle,
        showImages: true,
        showSubResults: false,
        resetStyles: false,
        pageSize: 10,
        translations: { placeholder: "输入关键词，例如：党课、找矿" }
      });
      var query = new URLSearchParams(window.location.search).get("q");
      if (query) ui.triggerSearch(query);
    }).catch(function () {
      box.textContent = "搜索组件加载失败，请刷新页面重试。";
    });
  }

  function fillHeaderBox() {
    var query = new URLSearchParams(window.location.search).get("q");
    var input = document.querySelector(".dj-header-search__input");
    if (input && query && !input.value) input.value = query;
  }

  function onPage() {
    startSearch();
    fillHeaderBox();
  }

  if (typeof document$ !== "undefined" && document$.subscribe) {
    document$.subscribe(onPage);
  } else {
    document.addEventListener("DOMContentLoaded", onPage);
  }
})();
