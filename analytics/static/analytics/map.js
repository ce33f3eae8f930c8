// The map's form submits itself when a choice changes; without JavaScript its button does.
// A file, not an inline script: the Content-Security-Policy allows scripts from 'self' only.
(function () {
  var form = document.getElementById("map-form");
  if (!form) { return; }
  var year = document.getElementById("map-year");
  var shown = document.getElementById("map-year-shown");
  if (year && shown) {
    year.addEventListener("input", function () { shown.textContent = year.value; });
  }
  form.addEventListener("change", function (event) {
    // Another measure or dataset has years of its own: show its latest, not this year.
    if (year && event.target !== year) { year.disabled = true; }
    form.submit();
  });
})();
