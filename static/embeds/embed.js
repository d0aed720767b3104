/* 防非 widgets: sizes each <iframe data-fangfei-embed> to its content. Optional: without
   this script the iframe keeps the fixed height in its snippet and scrolls inside.
   Messages are accepted only from our origin and from the iframe they describe; our own
   messages go only to our origin. */
(function () {
  "use strict";
  if (window.FangfeiEmbed) { window.FangfeiEmbed.scan(); return; }
  var script = document.currentScript;
  if (!script || !window.postMessage) return;
  var origin = new URL(script.src, location.href).origin;
  var MIN = 80, MAX = 20000;

  function frames() { return document.querySelectorAll("iframe[data-fangfei-embed]"); }
  function ours(frame) {
    try { return new URL(frame.src, location.href).origin === origin; } catch (e) { return false; }
  }
  function hello(frame) {
    if (frame.contentWindow) frame.contentWindow.postMessage({ type: "fangfei:hello" }, origin);
  }
  function onLoad(event) {
    var frame = event.target;
    // A step inside the widget (the next quiz question) should not leave the reader
    // looking at the middle of a shorter page.
    if (frame.getAttribute("data-fangfei-loaded") && frame.getBoundingClientRect().top < 0) {
      frame.scrollIntoView();
    }
    frame.setAttribute("data-fangfei-loaded", "1");
    hello(frame);
  }
  function scan() {
    var list = frames();
    for (var i = 0; i < list.length; i++) {
      var frame = list[i];
      if (frame.getAttribute("data-fangfei-ready") || !ours(frame)) continue;
      frame.setAttribute("data-fangfei-ready", "1");
      frame.addEventListener("load", onLoad);
      hello(frame);
    }
  }
  window.addEventListener("message", function (event) {
    if (event.origin !== origin || !event.data || event.data.type !== "fangfei:height") return;
    var height = Number(event.data.height);
    if (!isFinite(height)) return;
    var list = frames();
    for (var i = 0; i < list.length; i++) {
      if (list[i].contentWindow === event.source) {
        list[i].style.height = Math.max(MIN, Math.min(MAX, Math.ceil(height))) + "px";
      }
    }
  });
  window.FangfeiEmbed = { scan: scan };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", scan);
  } else {
    scan();
  }
  // Frames added later (a partner's page that loads its content by script, a tab opened
  // afterwards) are picked up as they arrive, at most once per animation frame.
  if (window.MutationObserver) {
    var pending = false;
    new MutationObserver(function (records) {
      if (pending) return;
      for (var i = 0; i < records.length; i++) {
        if (records[i].addedNodes.length || records[i].type === "attributes") {
          pending = true;
          (window.requestAnimationFrame || setTimeout)(function () { pending = false; scan(); });
          return;
        }
      }
    }).observe(document.documentElement, {
      childList: true, subtree: true,
      attributes: true, attributeFilter: ["data-fangfei-embed", "src"]
    });
  }
})();
