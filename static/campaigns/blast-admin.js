/* SMS blasts in the Wagtail admin: a live counter (asked of the server) on the compose form and
 * live progress on the detail page. Progressive enhancement only: the server renders the same
 * numbers, and the page has a 刷新 link. No third-party requests. */
(function () {
  "use strict";

  // The counter asks the server (the compose page's own count view) rather than counting
  // here: links become short links and the opt-out is added there, and the billed parts come
  // from the one function that also prices the blast. Without JavaScript the 更新字数 button
  // posts the form for the same figures.
  function setupCounter(box) {
    var form = box.closest("form");
    var url = box.dataset.countUrl;
    var shown = box.querySelector("[data-sms-text]");
    var chars = box.querySelector("[data-sms-chars]");
    var segs = box.querySelector("[data-sms-segments]");
    var recount = box.querySelector("[data-recount]");
    if (!form || !url || !chars || !segs) return;
    if (recount) recount.hidden = true;
    var timer = null;
    var asked = 0;

    function update() {
      var mine = ++asked;
      var data = new FormData(form);
      data.delete("recount");
      fetch(url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-Requested-With": "XMLHttpRequest" },
      })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (result) {
          if (mine !== asked) return; // a later keystroke's answer is on its way
          if (shown) shown.textContent = result.text;
          chars.textContent = String(result.characters);
          segs.textContent = String(result.segments);
        })
        .catch(function () {
          if (recount) recount.hidden = false; // counting by hand still works
        });
    }

    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(update, 250);
    }
    form.addEventListener("input", later);
    form.addEventListener("change", later);
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
