/* Inside a 防非 widget: report our height to the page that frames us, so its embed.js can
   size the iframe. We answer only a window that is our parent and has said hello, and we
   post only to that window's origin. */
(function () {
  "use strict";
  if (window.parent === window || !window.postMessage) return;
  var parentOrigin = null;
  var last = 0;
  function send() {
    if (!parentOrigin) return;
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ type: "fangfei:height", height: height }, parentOrigin);
  }
  window.addEventListener("message", function (event) {
    if (event.source !== window.parent) return;
    if (!event.data || event.data.type !== "fangfei:hello") return;
    if (!/^https?:\/\/[^/]+$/.test(event.origin)) return;
    parentOrigin = event.origin;
    last = 0;
    send();
  });
  if (window.ResizeObserver) {
    new ResizeObserver(send).observe(document.documentElement);
  } else {
    window.addEventListener("resize", send);
  }
  window.addEventListener("load", send);
})();
