// Keyboard shortcuts and touch swipes for the partnership swipe deck. Both only
// click the card's real buttons, which work without this script.
(function () {
  "use strict";
  var KEYS = { l: "like", arrowright: "like", p: "pass", arrowleft: "pass", s: "save", arrowdown: "save" };

  function press(decision) {
    var button = document.querySelector('#deck-card .swipe-actions button[value="' + decision + '"]');
    if (button && !button.disabled) {
      button.click();
      return true;
    }
    return false;
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var target = event.target;
    // Typing in a field or moving in a select must keep its usual meaning.
    if (target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
    var decision = KEYS[event.key.toLowerCase()];
    if (decision && press(decision)) event.preventDefault();
  });

  // Put the focus on the new card so that screen readers read it and the
  // keyboard keeps working after the swap.
  document.addEventListener("htmx:afterSwap", function (event) {
    var card = document.getElementById("deck-card");
    if (!card || !card.contains(event.detail.elt) && event.detail.elt !== card) return;
    var heading = document.querySelector("#deck-card h2 a") || document.getElementById("deck-status");
    if (heading) heading.focus();
  });

  var start = null;
  document.addEventListener("touchstart", function (event) {
    if (!event.target.closest || !event.target.closest(".candidate-card")) return;
    start = { x: event.touches[0].clientX, y: event.touches[0].clientY };
  }, { passive: true });
  document.addEventListener("touchend", function (event) {
    if (!start) return;
    var dx = event.changedTouches[0].clientX - start.x;
    var dy = event.changedTouches[0].clientY - start.y;
    start = null;
    if (Math.abs(dx) > 80 && Math.abs(dx) > 2 * Math.abs(dy)) press(dx > 0 ? "like" : "pass");
  });
})();
