// Polls the run's API and moves the progress bar; reloads when the run has finished.
// A file, not an inline script: the Content-Security-Policy allows scripts from 'self' only.
(function () {
  var box = document.getElementById("run-status");
  var bar = document.querySelector("#run-progress > span");
  var txt = document.getElementById("run-progress-text");
  function poll() {
    fetch(box.dataset.api, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.json(); })
      .then(function (run) {
        bar.style.width = run.progress + "%";
        txt.textContent = run.progress;
        var stage = document.getElementById("run-stage");
        if (stage && run.stage_label) { stage.textContent = run.stage_label; }
        document.getElementById("run-progress").setAttribute("aria-valuenow", run.progress);
        if (run.status === "succeeded" || run.status === "failed") { window.location.reload(); }
        else { setTimeout(poll, 1000); }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 1000);
})();
