/* SMS blasts in the Wagtail admin: a live character/segment counter on the compose form and
 * live progress on the detail page. Progressive enhancement only: the server renders the same
 * numbers, and the page has a 刷新 link. No third-party requests. */
(function () {
  "use strict";

  function length(text) {
    return Array.from(text).length; // code points, as Python's len() counts them
  }

  function segments(n, single, part) {
    if (n === 0) return 0;
    return n <= single ? 1 : Math.ceil(n / part);
  }

  function setupCounter(box) {
    var body = box.querySelector("textarea");
    var chars = box.querySelector("[data-sms-chars]");
    var segs = box.querySelector("[data-sms-segments]");
    if (!body || !chars || !segs) return;
    var single = parseInt(box.dataset.single, 10);
    var part = parseInt(box.dataset.part, 10);
    function update() {
      var text = box.dataset.prefix + body.value.trim();
      if (box.dataset.link) text += " " + box.dataset.link;
      text += box.dataset.suffix;
      var n = length(text);
      chars.textContent = String(n);
      segs.textContent = String(segments(n, single, part));
    }
    body.addEventListener("input", update);
    update();
  }

  function setupProgress(section) {
    var url = section.dataset.progressUrl;
    var bar = section.querySelector("[role=progressbar]");
    var fill = section.querySelector(".sms-progress__fill");
    var status = section.querySelector("[data-blast-status]");
    var quiet = section.querySelector("[data-quiet-note]");
    var live = section.querySelector("[data-live-note]");
    var keys = ["queued", "in_flight", "submitted", "delivered", "failed", "skipped"];

    function apply(data) {
      section.querySelectorAll("[data-field]").forEach(function (el) {
        var key = el.getAttribute("data-field");
        if (key in data) el.textContent = String(data[key]);
      });
      bar.setAttribute("aria-valuenow", String(data.percent));
      bar.setAttribute("aria-valuetext", data.percent + "%");
      fill.style.width = data.percent + "%";
      if (status) status.textContent = data.status_label;
      if (quiet) {
        quiet.textContent = data.quiet_note;
        quiet.hidden = !data.quiet_note;
      }
      var top = Math.max.apply(null, keys.map(function (k) { return data[k]; }).concat([1]));
      // The server-drawn chart (website.core.charts) says where its bars start and how wide
      // the full scale is.
      var chart = section.querySelector("svg[data-plot-width]");
      var plotX = chart ? Number(chart.getAttribute("data-plot-x")) : 0;
      var plotWidth = chart ? Number(chart.getAttribute("data-plot-width")) : 0;
      keys.forEach(function (key) {
        var rect = section.querySelector('[data-bar="' + key + '"]');
        var label = section.querySelector('[data-bar-label="' + key + '"]');
        var width = Math.round((plotWidth * data[key]) / top);
        if (rect) rect.setAttribute("width", String(width));
        if (label) {
          label.setAttribute("x", String(plotX + width + 6));
          label.textContent = String(data[key]);
        }
      });
      section.toggleAttribute("data-finished", Boolean(data.finished));
    }

    function tick() {
      fetch(url, {
        credentials: "same-origin",
        cache: "no-store",
        headers: { Accept: "application/json", "X-Requested-With": "XMLHttpRequest" },
      })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (data) {
          apply(data);
          if (data.finished) {
            if (live) live.hidden = true;
          } else {
            window.setTimeout(tick, 1000);
          }
        })
        .catch(function () {
          window.setTimeout(tick, 5000); // the server is away; try again, more slowly
        });
    }

    if (!section.hasAttribute("data-finished")) {
      if (live) live.hidden = false;
      window.setTimeout(tick, 1000);
    }
  }

  function setupConfirm(button) {
    button.form.addEventListener("submit", function (event) {
      if (!window.confirm(button.dataset.confirm)) event.preventDefault();
    });
  }

  document.querySelectorAll("[data-sms-counter]").forEach(setupCounter);
  document.querySelectorAll("[data-progress-url]").forEach(setupProgress);
  document.querySelectorAll("button[data-confirm]").forEach(setupConfirm);
})();
