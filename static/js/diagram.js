// Progressive enhancement of the SRM diagram: without this script every layer's duties are
// listed under the diagram and its links jump to them; with it, one layer shows at a time.
(function () {
  "use strict";
  document.querySelectorAll("[data-diagram]").forEach(function (diagram) {
    var panels = diagram.querySelectorAll(".layer-panel");
    var layers = diagram.querySelectorAll(".diagram-layer");
    var hint = diagram.querySelector(".diagram-hint");
    var showAll = diagram.querySelector(".diagram-show-all");

    function show(slug) {
      panels.forEach(function (panel) {
        panel.hidden = panel.id !== "layer-" + slug;
      });
      layers.forEach(function (layer) {
        var active = layer.getAttribute("data-layer") === slug;
        layer.classList.toggle("is-active", active);
        if (active) {
          layer.setAttribute("aria-current", "true");
        } else {
          layer.removeAttribute("aria-current");
        }
      });
      hint.hidden = true;
      showAll.hidden = false;
    }

    layers.forEach(function (layer) {
      var slug = layer.getAttribute("data-layer");
      layer.addEventListener("click", function (event) {
        event.preventDefault();
        show(slug);
      });
      layer.addEventListener("focus", function () { show(slug); });
      layer.addEventListener("mouseenter", function () { show(slug); });
    });

    showAll.addEventListener("click", function () {
      panels.forEach(function (panel) { panel.hidden = false; });
      layers.forEach(function (layer) {
        layer.classList.remove("is-active");
        layer.removeAttribute("aria-current");
      });
      showAll.hidden = true;
    });

    diagram.classList.add("is-enhanced");
    panels.forEach(function (panel) { panel.hidden = true; });
    hint.hidden = false;
  });
})();
