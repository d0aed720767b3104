/* 朗读 (read aloud) the checker's result: a progressive enhancement. The controls ship hidden
   and appear only when the browser has a Chinese voice; a stop button ends the reading.
   Like quiz/read-aloud.js (which has neither the voice check nor a stop button), nothing is
   fetched and the text never leaves the phone. */
(function () {
  "use strict";
  if (!("speechSynthesis" in window) || typeof window.SpeechSynthesisUtterance !== "function") {
    return;
  }
  var synth = window.speechSynthesis;
  function chineseVoice() {
    var voices = synth.getVoices() || [];
    for (var i = 0; i < voices.length; i++) {
      if (/^(zh|cmn)/i.test(voices[i].lang || "")) { return voices[i]; }
    }
    return null;
  }
  function init() {
    var controls = document.querySelector(".rf-read-controls");
    if (!controls) { return; }
    var read = controls.querySelector(".rf-read");
    var stop = controls.querySelector(".rf-stop");
    var target = document.getElementById(read.getAttribute("data-read-aloud"));
    if (!target) { return; }
    function done() { stop.hidden = true; read.hidden = false; }
    function show() {
      if (!chineseVoice()) { return false; }
      controls.hidden = false;
      return true;
    }
    read.addEventListener("click", function () {
      synth.cancel();
      var u = new window.SpeechSynthesisUtterance(target.innerText);
      u.lang = "zh-CN";
      try { u.voice = chineseVoice(); } catch (e) { /* lang alone still picks a voice */ }
      u.rate = document.documentElement.classList.contains("elder") ? 0.8 : 1;
      u.onend = done;
      u.onerror = done;
      synth.speak(u);
      read.hidden = true;
      stop.hidden = false;
      stop.focus();
    });
    stop.addEventListener("click", function () {
      synth.cancel();
      done();
      read.focus();
    });
    // Voices load asynchronously in Chrome: look again when the list arrives.
    if (!show() && "onvoiceschanged" in synth) {
      synth.addEventListener("voiceschanged", function once() {
        if (show()) { synth.removeEventListener("voiceschanged", once); }
      });
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
