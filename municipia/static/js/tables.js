// Wide tables (participants, agendas, consortium members) scroll sideways in a
// region of their own on narrow screens instead of widening the whole page. The
// region can take the focus, so that it can be scrolled with the keyboard, and is
// named after the table's caption or the heading above it.
(function () {
  "use strict";

  function nameOf(table) {
    if (table.caption && table.caption.textContent.trim()) {
      return table.caption.textContent.trim();
    }
    for (let node = table; node && node !== document.body; node = node.parentElement) {
      for (let before = node.previousElementSibling; before; before = before.previousElementSibling) {
        if (/^H[1-6]$/.test(before.tagName)) return before.textContent.trim();
      }
    }
    return document.title;
  }

  function wrapTables(root) {
    for (const table of (root || document).querySelectorAll("main table")) {
      const parent = table.parentElement;
      if (parent.classList.contains("table-scroll")) continue;
      const region = document.createElement("div");
      region.className = "table-scroll";
      region.tabIndex = 0;
      region.setAttribute("role", "region");
      region.setAttribute("aria-label", nameOf(table));
      parent.insertBefore(region, table);
      region.appendChild(table);
    }
  }

  document.addEventListener("DOMContentLoaded", function () { wrapTables(); });
  document.addEventListener("htmx:afterSettle", function (event) { wrapTables(event.target); });
})();
