/* 朗读 (read aloud) for quiz questions: a progressive enhancement. The buttons ship hidden
   and only appear when the browser can speak (speechSynthesis); nothing is fetched. */
(function () {
  "use strict";
  if (!("speechSynthesis" in window) || typeof window.SpeechSynthesisUtterance !== "function") {
    return;
  }
  function speak(text) {
    window.speechSynthesis.cancel();
    var u = new window.SpeechSynthesisUtterance(text);
    u.lang = "zh-CN";
    u.rate = document.documentElement.classList.contains("elder") ? 0.8 : 1;
    window.speechSynthesis.speak(u);
  }
  function init() {
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
        speak(text);
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
