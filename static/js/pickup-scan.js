// The pickup counter's "scan" button: the browser's BarcodeDetector on the camera, when the
// browser has both (else the button stays hidden and staff type the six digits).
(function () {
  var button = document.getElementById("scan-button");
  var video = document.getElementById("scan-video");
  var form = document.getElementById("code-form");
  if (!button || !video || !form) return;
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
      video.srcObject = stream;
      video.hidden = false;
      video.play();
      var stop = function () { stream.getTracks().forEach(function (t) { t.stop(); }); video.hidden = true; };
      var look = function () {
        detector.detect(video).then(function (codes) {
          var digits = codes.map(function (c) { return (c.rawValue || "").trim(); })
            .filter(function (v) { return /^[0-9]{6}$/.test(v); })[0];
          if (digits) {
            stop();
            form.querySelector("[name=code]").value = digits;
            form.submit();
          } else {
            window.requestAnimationFrame(look);
          }
        }).catch(function () { window.setTimeout(look, 300); });
      };
      look();
    }).catch(function () { button.hidden = true; });
  });
})();
