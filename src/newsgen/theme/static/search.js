/* The search page: Pagefind's UI over the index the build wrote into pagefind/.
   The one script the theme ships; every other page works without JavaScript.
   ?q=word on the address starts a search, so a search can be linked to. */
(function () {
  "use strict";
  var root = document.getElementById("search");
  if (!root || typeof window.PagefindUI !== "function") {
    return;
  }
  var ui = new window.PagefindUI({
    element: "#search",
    bundlePath: root.getAttribute("data-bundle"),
    baseUrl: root.getAttribute("data-base"),
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
