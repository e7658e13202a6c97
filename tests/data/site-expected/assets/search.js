/* The search page: Pagefind's UI over the index the build wrote into pagefind/
   (and pagefind/shard-N/ past 4,000 articles: one Pagefind run holds its index in memory).
   The one script the theme ships; every other page works without JavaScript.
   ?q=word on the address starts a search, so a search can be linked to. */
(function () {
  "use strict";
  var root = document.getElementById("search");
  if (!root || typeof window.PagefindUI !== "function") {
    return;
  }
  var bundle = root.getAttribute("data-bundle");
  var base = root.getAttribute("data-base");
  // A large archive's index is in shards (bundle/shard-N/), searched as one.
  var merged = [];
  var shards = parseInt(root.getAttribute("data-shards") || "1", 10);
  for (var n = 1; n < shards; n += 1) {
    merged.push({ bundlePath: bundle + "shard-" + n + "/", baseUrl: base });
  }
  var ui = new window.PagefindUI({
    element: "#search",
    bundlePath: bundle,
    baseUrl: base,
    mergeIndex: merged,
    showImages: false,
    showSubResults: false,
    resetStyles: false,
    autofocus: true
  });
  // Pagefind labels its box with a title only; the page heading is a visible label.
  var box = root.querySelector("input");
  if (box) {
    box.setAttribute("aria-labelledby", "search-title");
  }
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) {
    ui.triggerSearch(query);
  }
})();
