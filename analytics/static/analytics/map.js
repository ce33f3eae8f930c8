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
  form.addEventListener("change", function () { form.submit(); });
})();
