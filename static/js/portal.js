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

/* Dialogs and error fragments for htmx (task queue and others).
   - <dialog data-portal-dialog>: opens (showModal) when htmx swaps content into it or into an
     element inside it; focus goes to its [autofocus] field, else the first field. Escape
     closes it (native). A successful request from inside it whose answer goes elsewhere (e.g.
     a completed task's row) closes it. Buttons with data-close-dialog close it. On close,
     focus returns to the element that opened it, or to data-return-focus if that is gone, and
     its [data-dialog-content] is emptied (a stale form never lingers or clashes by id).
   - data-swap-errors on a requesting element (or an ancestor): a 4xx answer is swapped like
     a success (it carries the form with its errors, or an error message), into the normal
     target, or into the element named by the attribute's value (a CSS selector). */
(function () {
  "use strict";

  var opener = null;

  function dialogOf(element) {
    return element && element.closest ? element.closest("dialog[data-portal-dialog]") : null;
  }

  function focusFirstField(dialog) {
    var field = dialog.querySelector("[autofocus]") ||
      dialog.querySelector("input:not([type=hidden]), select, textarea, button");
    if (field) { field.focus(); }
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    if (!dialogOf(event.target)) { opener = event.target; }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var dialog = dialogOf(event.detail.target);
    if (!dialog) { return; }
    if (!dialog.open) { dialog.showModal(); }
    focusFirstField(dialog);
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var dialog = dialogOf(event.target);
    if (!dialog || !dialog.open || !event.detail.successful) { return; }
    if (!dialog.contains(event.detail.target)) { dialog.close(); }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-close-dialog]");
    var dialog = dialogOf(button);
    if (dialog) { dialog.close(); }
  });

  document.addEventListener("close", function (event) {
    var dialog = event.target;
    if (!dialog.matches || !dialog.matches("dialog[data-portal-dialog]")) { return; }
    var back = opener && opener.isConnected ? opener
      : document.querySelector(dialog.getAttribute("data-return-focus") || "main");
    dialog.querySelectorAll("[data-dialog-content]").forEach(function (content) {
      content.replaceChildren();
    });
    if (back) { back.focus(); }
    opener = null;
  }, true);

  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status < 400 || status >= 500) { return; }
    var source = event.detail.requestConfig && event.detail.requestConfig.elt;
    var holder = source && source.closest ? source.closest("[data-swap-errors]") : null;
    if (!holder) { return; }
    var selector = holder.getAttribute("data-swap-errors");
    event.detail.shouldSwap = true;
    event.detail.isError = false;
    if (selector) {
      var target = document.querySelector(selector);
      if (target) {
        event.detail.target = target;
        event.detail.swapOverride = "innerHTML";
      }
    }
  });
})();

/* Score grid (training): after a row is saved, focus moves to the next row's score; a row
   answered with an error keeps the focus on its score, selected, so it can be retyped. */
(function () {
  "use strict";

  document.addEventListener("htmx:afterSettle", function (event) {
    var row = event.detail.elt;
    if (!row || !row.matches || !row.matches("[data-score-row]")) { return; }
    var input = row.querySelector("input[name=score]");
    if (row.hasAttribute("data-error")) {
      input.focus();
      input.select();
      return;
    }
    var next = row.nextElementSibling;
    while (next && !next.matches("[data-score-row]")) { next = next.nextElementSibling; }
    var target = next ? next.querySelector("input[name=score]") : input;
    target.focus();
    if (next) { target.select(); }
  });
})();
