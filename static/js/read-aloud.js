/* 朗读 (read aloud): a progressive enhancement shared by the quiz and the long pages
   (notices, cases, guides). The controls ship hidden and appear only when the browser has a
   Chinese voice; nothing is fetched and the page is complete without this script.

   Two kinds of control:
   - button[data-read-aloud="<id>"]: reads the element with that id (the quiz's question,
     its explanation); data-read-choices="no" leaves out the answer choices.
   - .read-aloud-bar[data-read-target="<id>"]: 朗读全文 / 停止朗读 for a whole article, with a
     status line that says when the phone cannot speak. */
(function () {
  "use strict";
  if (window.fangfeiReadAloud) { return; }  // loaded twice on one page: set up once
  window.fangfeiReadAloud = true;
  var synth = window.speechSynthesis;
  if (!synth || typeof window.SpeechSynthesisUtterance !== "function") { return; }

  var CANNOT_SPEAK = "这台手机现在不能朗读。请打开声音，或换一个浏览器再试；也可以请家人读给您听。";
  var VOICE_WAIT_MS = 3000;
  var START_WAIT_MS = 4000;

  function chineseVoice() {
    var voices = synth.getVoices() || [];
    for (var i = 0; i < voices.length; i++) {
      var lang = (voices[i].lang || "").replace("_", "-").toLowerCase();
      if (lang.indexOf("zh") === 0 || lang.indexOf("cmn") === 0) { return voices[i]; }
    }
    return null;
  }

  // Voices load asynchronously in Chrome: wait for voiceschanged, then give up quietly.
  function whenChineseVoice(callback) {
    var found = chineseVoice();
    if (found) { callback(found); return; }
    var done = false;
    function check() {
      if (done) { return; }
      var voice = chineseVoice();
      if (voice) { done = true; callback(voice); }
    }
    if (typeof synth.addEventListener === "function") {
      synth.addEventListener("voiceschanged", check);
    } else {
      synth.onvoiceschanged = check;
    }
    window.setTimeout(function () { check(); done = true; }, VOICE_WAIT_MS);
  }

  // Chrome stops long utterances after about 15 seconds: speak sentence by sentence.
  function sentences(text) {
    var parts = text.replace(/\s+/g, " ").match(/[^。！？!?；;\n]+[。！？!?；;]?/g) || [];
    var out = [];
    parts.forEach(function (p) { p = p.trim(); if (p) { out.push(p); } });
    return out;
  }

  function speak(text, voice, handlers) {
    handlers = handlers || {};
    synth.cancel();
    var queue = sentences(text);
    var started = false;
    var startTimer = window.setTimeout(function () {
      if (!started && handlers.onfail) { handlers.onfail(); }
    }, START_WAIT_MS);
    queue.forEach(function (sentence, i) {
      var u = new window.SpeechSynthesisUtterance(sentence);
      u.lang = voice.lang || "zh-CN";
      u.voice = voice;
      u.rate = document.documentElement.classList.contains("elder") ? 0.8 : 1;
      u.onstart = function () { started = true; window.clearTimeout(startTimer); };
      u.onerror = function (event) {
        window.clearTimeout(startTimer);
        // "interrupted" and "canceled" are our own stop button, not a failure.
        if (event.error !== "interrupted" && event.error !== "canceled" && handlers.onfail) {
          synth.cancel();
          handlers.onfail();
        }
      };
      if (i === queue.length - 1) {
        u.onend = function () { if (handlers.onend) { handlers.onend(); } };
      }
      synth.speak(u);
    });
  }

  // The readable text of an article: its headings, paragraphs and list items, without the
  // parts marked data-no-read (the facts box, the share panel, the controls themselves).
  function readableText(target) {
    var blocks = target.querySelectorAll("h1, h2, h3, h4, p, li, dt, dd, blockquote, figcaption");
    var texts = [];
    Array.prototype.forEach.call(blocks, function (el) {
      if (el.closest("[data-no-read]")) { return; }
      if (el.querySelector("p, li")) { return; }  // its children are read one by one
      var t = (el.innerText || el.textContent || "").trim();
      if (!t) { return; }
      if (!/[。！？!?；;：:]$/.test(t)) { t += "。"; }
      texts.push(t);
    });
    return texts.join("");
  }

  function initQuizButtons(voice) {
    var buttons = document.querySelectorAll("button[data-read-aloud]");
    Array.prototype.forEach.call(buttons, function (button) {
      var target = document.getElementById(button.getAttribute("data-read-aloud"));
      if (!target) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        var text = target.innerText;
        if (button.getAttribute("data-read-choices") !== "no") {
          var form = button.closest("form");
          if (form) {
            var labels = form.querySelectorAll(".quiz-choices label");
            Array.prototype.forEach.call(labels, function (label, i) {
              text += "。选项" + (i + 1) + "：" + label.innerText;
            });
          }
        }
        speak(text, voice);
      });
    });
  }

  function initBars(voice) {
    var bars = document.querySelectorAll(".read-aloud-bar[data-read-target]");
    Array.prototype.forEach.call(bars, function (bar) {
      var target = document.getElementById(bar.getAttribute("data-read-target"));
      var start = bar.querySelector("[data-read-start]");
      var stop = bar.querySelector("[data-read-stop]");
      var status = bar.querySelector("[data-read-status]");
      if (!target || !start || !stop || !status) { return; }
      function idle() { start.hidden = false; stop.hidden = true; }
      function fail() { idle(); status.textContent = CANNOT_SPEAK; }
      start.addEventListener("click", function () {
        status.textContent = "";
        start.hidden = true;
        stop.hidden = false;
        stop.focus();
        speak(readableText(target), voice, { onend: idle, onfail: fail });
      });
      stop.addEventListener("click", function () {
        synth.cancel();
        idle();
        start.focus();
      });
      window.addEventListener("pagehide", function () { synth.cancel(); });
      bar.hidden = false;
    });
  }

  function init() {
    whenChineseVoice(function (voice) {
      initQuizButtons(voice);
      initBars(voice);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
