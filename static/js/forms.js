/* Forms of the portal (loaded by every page; no inline scripts, so a strict Content-Security-Policy holds).
 *
 * - The error summary (templates/includes/error_summary.html) takes the focus when the page loads; each
 *   of its links opens the field's collapsed group and puts the cursor in the field.
 * - An in-page link to an element inside a collapsed accordion group opens the group first.
 * - <form data-guard>: leaving the page with unsaved changes asks first.
 * - <form data-draft-key="...">: what is typed is kept in this browser (localStorage) until the server
 *   has saved it; on the next visit the page offers to restore it. The form is posted with fetch(): a
 *   save that does not reach the server (no connection) says so and leaves everything in place.
 *   Texts come from <template> elements the server renders in the page's language
 *   (templates/includes/draft_messages.html).
 */
(function () {
  "use strict";

  var SKIPPED = { csrfmiddlewaretoken: true, version: true };

  function openGroupOf(element, then) {
    var group = element && element.closest(".accordion-collapse");
    if (!group || group.classList.contains("show") || !window.bootstrap) {
      then();
      return;
    }
    group.addEventListener("shown.bs.collapse", then, { once: true });
    window.bootstrap.Collapse.getOrCreateInstance(group, { toggle: false }).show();
  }

  function focusField(id) {
    var field = document.getElementById(id);
    if (!field) { return false; }
    openGroupOf(field, function () {
      field.scrollIntoView({ block: "center" });
      field.focus({ preventScroll: true });
    });
    return true;
  }

  // Links of the error summary, and in-page links into collapsed groups (the assessment's gaps).
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-focus-field]");
    if (link) {
      if (focusField(link.dataset.focusField)) { event.preventDefault(); }
      return;
    }
    link = event.target.closest('a[href^="#"]');
    var target = link && link.getAttribute("href").length > 1 && document.querySelector(link.getAttribute("href"));
    var group = target && target.closest(".accordion-collapse");
    if (!group || group.classList.contains("show")) { return; }
    event.preventDefault();
    openGroupOf(target, function () { target.scrollIntoView(); });
  });

  // ---- Evidence on the assessment page: uploaded without leaving it (htmx swaps the evidence card) ----

  var evidenceReturn = null;
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-evidence-for]");
    var upload = document.getElementById("evidence-upload");
    if (!link || !upload) { return; }
    event.preventDefault();
    var select = upload.querySelector("select[name=criterion]");
    if (select) { select.value = link.dataset.evidenceFor; }
    evidenceReturn = link.dataset.evidenceCode;
    var file = upload.querySelector("input[type=file]");
    upload.scrollIntoView({ block: "center" });
    if (file) { file.focus({ preventScroll: true }); }
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    if (!event.target || event.target.id !== "evidence-card" || !evidenceReturn) { return; }
    if (!event.target.querySelector("[data-uploaded]")) { return; }
    var back = document.querySelector("#evidence-for-" + evidenceReturn + " a[data-evidence-for]");
    evidenceReturn = null;
    if (back) {
      back.scrollIntoView({ block: "center" });
      back.focus({ preventScroll: true });
    }
  });

  function showErrors() {
    // Groups holding an invalid field open, so every error is visible; then the summary takes the focus.
    document.querySelectorAll(".accordion-collapse:not(.show) .is-invalid").forEach(function (field) {
      var group = field.closest(".accordion-collapse");
      if (window.bootstrap && !group.classList.contains("show")) {
        window.bootstrap.Collapse.getOrCreateInstance(group, { toggle: false }).show();
      }
    });
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
      summary.scrollIntoView({ block: "start" });
    }
  }

  // ---- Unsaved changes -------------------------------------------------------------------------

  function guard(form) {
    form.dataset.dirty = "";
    form.addEventListener("input", function () { form.dataset.dirty = "1"; });
    form.addEventListener("change", function () { form.dataset.dirty = "1"; });
    window.addEventListener("beforeunload", function (event) {
      if (form.dataset.dirty && !form.dataset.submitting) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
  }

  // ---- Drafts kept in the browser --------------------------------------------------------------

  function values(form) {
    var result = {};
    Array.prototype.forEach.call(form.elements, function (element) {
      var name = element.name;
      if (!name || SKIPPED[name] || element.type === "file" || element.type === "submit" || element.type === "button") {
        return;
      }
      if ((element.type === "checkbox" || element.type === "radio") && !element.checked) {
        if (!(name in result)) { result[name] = element.type === "checkbox" ? "" : null; }
        return;
      }
      result[name] = element.value;
    });
    return result;
  }

  function sameValues(a, b) {
    var keys = Object.keys(a).concat(Object.keys(b));
    return keys.every(function (key) { return (a[key] === undefined ? null : a[key]) === (b[key] === undefined ? null : b[key]); });
  }

  function apply(form, stored) {
    Array.prototype.forEach.call(form.elements, function (element) {
      var name = element.name;
      if (!name || !(name in stored) || SKIPPED[name] || element.type === "file") { return; }
      if (element.type === "checkbox") {
        element.checked = stored[name] !== "" && stored[name] !== null;
      } else if (element.type === "radio") {
        element.checked = stored[name] === element.value;
      } else {
        element.value = stored[name] === null ? "" : stored[name];
      }
    });
    form.dispatchEvent(new Event("change", { bubbles: true }));  // the assessment's live score follows
  }

  function read(key) {
    try {
      return JSON.parse(window.localStorage.getItem(key) || "null");
    } catch (error) {
      return null;
    }
  }

  function write(key, data) {
    try {
      window.localStorage.setItem(key, JSON.stringify(data));
    } catch (error) { /* storage full or disabled: the form still works, without a kept copy */ }
  }

  function fromTemplate(selector) {
    var template = document.querySelector("template" + selector);
    return template ? template.content.firstElementChild.cloneNode(true) : null;
  }

  function region(form) {
    return form.querySelector("[data-draft-region]") || form;
  }

  function offerRestore(form, key, stored) {
    var banner = fromTemplate("[data-draft-banner]");
    if (!banner) { return; }
    var time = banner.querySelector("[data-draft-time]");
    if (time) {
      var when = new Date(stored.savedAt);
      time.textContent = when.toLocaleString(document.documentElement.lang || "vi", {
        hour: "2-digit", minute: "2-digit", day: "2-digit", month: "2-digit", year: "numeric"
      });
    }
    banner.querySelector("[data-draft-restore]").addEventListener("click", function () {
      apply(form, stored.values);
      form.dataset.dirty = "1";
      var done = fromTemplate("[data-draft-restored]");
      banner.replaceWith(done || document.createTextNode(""));
    });
    banner.querySelector("[data-draft-discard]").addEventListener("click", function () {
      window.localStorage.removeItem(key);
      banner.remove();
    });
    region(form).prepend(banner);
  }

  function replacePage(html, url) {
    document.open();
    document.write(html);
    document.close();
    if (url && url !== window.location.href) {
      window.history.replaceState(null, "", url);
    }
  }

  function postWithFetch(form, key, event) {
    event.preventDefault();
    var submitter = event.submitter;
    var body = new FormData(form, submitter || undefined);
    form.querySelectorAll("[data-save-failed]").forEach(function (element) { element.remove(); });
    if (submitter) { submitter.disabled = true; }
    form.setAttribute("aria-busy", "true");
    form.dataset.submitting = "1";
    fetch(form.action || window.location.href, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) {
        return response.text().then(function (html) {
          var login = form.dataset.loginUrl;
          var saved = response.redirected && !(login && new URL(response.url).pathname === login);
          if (saved) { window.localStorage.removeItem(key); }
          replacePage(html, response.url);
        });
      })
      .catch(function () {
        delete form.dataset.submitting;
        form.removeAttribute("aria-busy");
        if (submitter) { submitter.disabled = false; }
        write(key, { savedAt: Date.now(), values: values(form) });
        var message = fromTemplate("[data-save-offline]");
        if (message) {
          region(form).prepend(message);
          message.focus();
          message.scrollIntoView({ block: "center" });
        }
      });
  }

  function keepDrafts(form) {
    var key = "portal-draft:" + form.dataset.draftKey;
    var initial = values(form);
    var stored = read(key);
    if (stored && stored.values) {
      if (sameValues(stored.values, initial)) {
        window.localStorage.removeItem(key);
      } else {
        offerRestore(form, key, stored);
      }
    }
    var timer = null;
    function remember() {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        write(key, { savedAt: Date.now(), values: values(form) });
      }, 250);
    }
    form.addEventListener("input", remember);
    form.addEventListener("change", remember);
    form.addEventListener("submit", function (event) {
      window.clearTimeout(timer);
      var current = values(form);
      if (!sameValues(current, initial)) { write(key, { savedAt: Date.now(), values: current }); }
      if (window.fetch && window.FormData) { postWithFetch(form, key, event); }
    });
  }

  function start() {
    document.querySelectorAll("form[data-guard]").forEach(guard);
    document.querySelectorAll("form[data-draft-key]").forEach(keepDrafts);
    showErrors();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
