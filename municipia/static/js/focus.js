// When htmx replaces the part of the page that held the keyboard focus (a
// notification marked as read, a card of the partnership swipe), the focus would
// fall back to the top of the page. It goes to the same control in the new
// content when there is one, else to the new content itself.
(function () {
  "use strict";
  const CONTROLS = "a[href], button, input, select, textarea";
  let remembered = null;

  function signature(element) {
    return element.tagName + "|" + (element.getAttribute("name") || "") + "|" +
      (element.textContent || "").trim();
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    const target = event.detail.target;
    const active = document.activeElement;
    remembered = target && target.id && active && target.contains(active)
      ? { id: target.id, control: signature(active) }
      : null;
  });

  document.addEventListener("htmx:afterSettle", function () {
    const wanted = remembered;
    remembered = null;
    if (!wanted) return;
    if (document.activeElement && document.activeElement !== document.body) return;
    const region = document.getElementById(wanted.id);
    if (!region) return;
    const same = Array.from(region.querySelectorAll(CONTROLS)).find(function (control) {
      return signature(control) === wanted.control;
    });
    if (same) {
      same.focus();
      return;
    }
    if (!region.hasAttribute("tabindex")) region.setAttribute("tabindex", "-1");
    region.focus();
  });
})();
