/* Behaviour every page shares, kept out of the templates so the Content-Security-Policy can forbid
 * inline script and style (core.middleware.SecurityHeadersMiddleware):
 *  - <select data-autosubmit> submits its form when changed;
 *  - <div data-width="42"> is drawn 42 % wide (progress bars);
 *  - a <textarea maxlength> shows how many characters are used of its limit as the user types.
 * Content that htmx swaps in gets the same treatment. */
(function () {
  "use strict";

  var lang = document.documentElement.lang || "vi";
  var number = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });

  function counter(textarea) {
    if (textarea.dataset.counted) { return; }
    textarea.dataset.counted = "1";
    var limit = parseInt(textarea.getAttribute("maxlength"), 10);
    var note = document.createElement("div");
    note.className = "form-text text-end small char-count";
    note.setAttribute("aria-live", "polite");
    function update() {
      var used = textarea.value.length;
      note.textContent = number.format(used) + " / " + number.format(limit);
      note.classList.toggle("text-danger", used >= limit);
    }
    textarea.insertAdjacentElement("afterend", note);
    textarea.addEventListener("input", update);
    update();
  }

  function apply(root) {
    root.querySelectorAll("[data-width]").forEach(function (element) {
      var width = parseFloat(element.dataset.width);
      element.style.width = (isNaN(width) ? 0 : Math.max(0, Math.min(100, width))) + "%";
    });
    root.querySelectorAll("textarea[maxlength]").forEach(counter);
  }

  document.addEventListener("change", function (event) {
    var select = event.target.closest("[data-autosubmit]");
    if (select && select.form) { select.form.submit(); }
  });
  document.addEventListener("DOMContentLoaded", function () { apply(document); });
  document.addEventListener("htmx:load", function (event) { apply(event.detail.elt.parentNode || event.detail.elt); });
})();
