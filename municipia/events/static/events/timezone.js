// Offer the browser's own time zone in the programme's "Show times in" form. The
// page works without this script: the list of zones is there for everyone.
(function () {
  "use strict";
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (error) { return; }
  if (!zone) { return; }
  document.querySelectorAll("[data-tz-toggle]").forEach(function (form) {
    var select = form.querySelector("select[name=tz]");
    var button = form.querySelector("[data-browser-zone]");
    if (!select || !button) { return; }
    var known = Array.prototype.some.call(select.options, function (option) { return option.value === zone; });
    if (!known || select.value === zone) { return; }
    button.value = zone;
    button.textContent = button.textContent + " (" + zone.replace(/_/g, " ") + ")";
    button.hidden = false;
  });
})();
