/* The region picker's search box (see website/taxonomy/widgets.py).
 * Without this script the picker is a plain <select> whose options are full paths; with it a
 * search box in front of the select hides the options that do not match what is typed (a name,
 * a piece of a path or a code). No inline code: it runs under the admin's CSP. */
(function () {
  "use strict";

  function normalise(text) {
    return (text || "").toLowerCase().replace(/[\s›>\/\\]+/g, "");
  }

  function enhance(select) {
    if (select.dataset.regionPickerReady) return;
    select.dataset.regionPickerReady = "1";
    var box = document.createElement("input");
    box.type = "search";
    box.className = "region-picker__search";
    box.placeholder = select.dataset.regionPickerPlaceholder || "";
    box.setAttribute("aria-label", box.placeholder);
    box.setAttribute("autocomplete", "off");
    if (select.id) box.id = select.id + "-search";
    var status = document.createElement("p");
    status.className = "region-picker__status";
    status.setAttribute("role", "status");
    status.hidden = true;
    select.parentNode.insertBefore(box, select);
    select.parentNode.insertBefore(status, select.nextSibling);

    function filter() {
      var query = normalise(box.value);
      var shown = 0;
      var first = null;
      Array.prototype.forEach.call(select.options, function (option) {
        // The empty choice (全部 / 不选) always stays.
        var match = !option.value || !query ||
          normalise(option.text).indexOf(query) !== -1 || option.value.indexOf(query) === 0;
        option.hidden = !match;
        if (match && option.value) {
          shown += 1;
          if (!first) first = option;
        }
      });
      status.hidden = !query || shown > 0;
      status.textContent = select.dataset.regionPickerNone || "";
      // A single select shows the first match, so Enter/Tab chooses what was found.
      var current = select.selectedOptions[0];
      if (query && first && !select.multiple && (!current || current.hidden || !current.value)) {
        select.value = first.value;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
    }

    box.addEventListener("input", filter);
    box.addEventListener("keydown", function (event) {
      // Enter in the search box must not submit the whole form.
      if (event.key === "Enter") {
        event.preventDefault();
        select.focus();
      }
    });
  }

  function enhanceAll(root) {
    var selects = (root.querySelectorAll ? root : document).querySelectorAll("select[data-region-picker]");
    Array.prototype.forEach.call(selects, enhance);
  }

  function start() {
    enhanceAll(document);
    // Admin filters and panels are re-rendered in place; pick up the new selects.
    new MutationObserver(function (mutations) {
      mutations.forEach(function (m) {
        Array.prototype.forEach.call(m.addedNodes, function (node) {
          if (node.nodeType === 1) {
            if (node.matches && node.matches("select[data-region-picker]")) enhance(node);
            else enhanceAll(node);
          }
        });
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
