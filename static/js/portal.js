/* PCRM Portal behaviour. Loaded as a file: the CSP forbids inline scripts and handlers.
   Elements opt in with data attributes; htmx does the rest. */
(function () {
  "use strict";

  /* <input type="checkbox" data-check-all="NAME"> ticks every checkbox named NAME. */
  document.addEventListener("change", function (event) {
    var master = event.target.closest("[data-check-all]");
    if (!master) { return; }
    var name = master.getAttribute("data-check-all");
    document.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(function (box) {
      box.checked = master.checked;
    });
  });
})();
