/* Charts for the shared chart macro (templates/_macros/charts.html): each
   <canvas data-chart='{"type":…,"labels":[…],"datasets":[…],"options":{…}}'> becomes a
   Chart.js chart, on load and in content htmx swaps in. No inline script (strict CSP). */
(function () {
  "use strict";

  var PALETTE = ["#0b3d6e", "#d9822b", "#2e8540", "#8e44ad", "#c0392b", "#16a085"];

  function colour(index, alpha) {
    var hex = PALETTE[index % PALETTE.length];
    var n = parseInt(hex.slice(1), 16);
    return "rgba(" + (n >> 16) + "," + ((n >> 8) & 255) + "," + (n & 255) + "," + alpha + ")";
  }

  function config(spec) {
    var radar = spec.type === "radar";
    spec.datasets.forEach(function (set, index) {
      set.borderColor = set.borderColor || colour(index, 1);
      set.backgroundColor = set.backgroundColor || colour(index, radar ? 0.15 : 0.7);
      set.borderWidth = set.borderWidth || 2;
      if (radar && index > 0) { set.borderDash = set.borderDash || [6, 4]; set.fill = false; }
    });
    var options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false },
      spec.options || {});
    if (radar && !options.scales) {
      options.scales = { r: { min: 0, max: 100, ticks: { stepSize: 20, backdropColor: "transparent" } } };
    }
    return { type: spec.type, data: { labels: spec.labels, datasets: spec.datasets }, options: options };
  }

  function draw(root) {
    if (typeof window.Chart === "undefined") { return; }
    root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var existing = window.Chart.getChart(canvas);
      if (existing) { existing.destroy(); }
      try {
        canvas.chart = new window.Chart(canvas, config(JSON.parse(canvas.getAttribute("data-chart"))));
      } catch (error) {
        canvas.setAttribute("data-chart-error", String(error));
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSettle", function (event) { draw(event.detail.elt || document); });
})();
