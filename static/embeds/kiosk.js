/* The kiosk widget turns to the next notice by fetching it and swapping it in, instead of
   navigating: when the network drops or the server answers 502 during a deploy, the current
   notice stays on screen and the turn is retried after 5, 10, 20 … (at most 60) seconds,
   so an unattended branch screen never sits on the browser's error page. Without
   JavaScript a <noscript> meta refresh turns the pages. ES5 and XMLHttpRequest: branch
   screens run whatever browser they shipped with. */
(function () {
  "use strict";
  var FIRST_RETRY = 5;
  var LONGEST_RETRY = 60;
  var TIMEOUT_MS = 15000;
  var failures = 0;

  if (!window.XMLHttpRequest || !window.DOMParser) return;

  function turning(doc) {
    var body = doc.body;
    if (!body || !body.hasAttribute("data-kiosk")) return null;
    var next = body.getAttribute("data-kiosk-next");
    var interval = parseInt(body.getAttribute("data-kiosk-interval"), 10);
    return next && interval > 0 ? { next: next, interval: interval } : { next: null };
  }

  function later(seconds) {
    window.setTimeout(turn, seconds * 1000);
  }

  function retry() {
    failures += 1;
    later(Math.min(LONGEST_RETRY, FIRST_RETRY * Math.pow(2, failures - 1)));
  }

  function copyAttribute(from, to, name) {
    if (from.hasAttribute(name)) {
      to.setAttribute(name, from.getAttribute(name));
    } else {
      to.removeAttribute(name);
    }
  }

  /* Put the fetched kiosk page in place of this one; false if it is not a kiosk page
     (a proxy's error page, a login wall), which counts as a failure. */
  function show(html, url) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var state = doc && turning(doc);
    var fresh = doc && doc.querySelector("main");
    var here = document.querySelector("main");
    if (!state || !fresh || !here) return false;
    here.innerHTML = fresh.innerHTML;
    document.title = doc.title;
    copyAttribute(doc.body, document.body, "data-kiosk-next");
    copyAttribute(doc.body, document.body, "data-kiosk-interval");
    document.documentElement.className = doc.documentElement.className;
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", url);
    }
    return true;
  }

  function turn() {
    var now = turning(document);
    if (!now || !now.next) return;
    var request = new XMLHttpRequest();
    var done = false;
    function fail() {
      if (done) return;
      done = true;
      retry();
    }
    request.open("GET", now.next, true);
    request.timeout = TIMEOUT_MS;
    request.onload = function () {
      if (done) return;
      if (request.status === 200 && show(request.responseText, now.next)) {
        done = true;
        failures = 0;
        var following = turning(document);
        if (following && following.next) later(following.interval);
      } else {
        fail();
      }
    };
    request.onerror = fail;
    request.ontimeout = fail;
    request.onabort = fail;
    request.send();
  }

  var start = turning(document);
  if (start && start.next) later(start.interval);
})();
