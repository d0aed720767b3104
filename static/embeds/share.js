/* The share/embed panel: a copy button beside each snippet (the text stays selectable
   without JavaScript). */
(function () {
  "use strict";
  var buttons = document.querySelectorAll("[data-copy-from]");
  Array.prototype.forEach.call(buttons, function (button) {
    var source = document.getElementById(button.getAttribute("data-copy-from"));
    if (!source) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      source.select();
      var done = function () { button.textContent = button.getAttribute("data-copied"); };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(source.value).then(done, function () {});
      } else if (document.execCommand && document.execCommand("copy")) {
        done();
      }
    });
  });
})();
