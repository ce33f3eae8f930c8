// The round page: a countdown to the cut-off (the server rendered the time left; this keeps it
// moving) and a "copy link" button. A file, not an inline script: the CSP allows 'self' only.
(function () {
  var box = document.getElementById("countdown");
  if (box) {
    var end = Date.now() + parseInt(box.dataset.seconds, 10) * 1000;
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    var tick = function () {
      var left = Math.max(0, Math.round((end - Date.now()) / 1000));
      if (left === 0) { box.textContent = box.dataset.ended; return; }
      var d = Math.floor(left / 86400), h = Math.floor(left % 86400 / 3600);
      var m = Math.floor(left % 3600 / 60), s = left % 60;
      box.textContent = (d ? d + " " + box.dataset.day + " " : "") + pad(h) + ":" + pad(m) + ":" + pad(s);
      setTimeout(tick, 1000);
    };
    tick();
  }
  var copy = document.getElementById("copy-link");
  var input = document.getElementById("share-url");
  if (copy && input) {
    copy.hidden = false;
    copy.addEventListener("click", function () {
      var done = function () { copy.textContent = copy.dataset.copied; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(done, function () { input.select(); });
      } else {
        input.select();
        try { if (document.execCommand("copy")) { done(); } } catch (e) { /* selected: copy by hand */ }
      }
    });
  }
})();
