// A form with data-confirm (cancelling a registration) asks first, in the
// browser's own dialog, which the keyboard and screen readers handle; without
// JavaScript the form simply sends.
document.addEventListener(
  "submit",
  function (event) {
    const question = event.target.dataset && event.target.dataset.confirm;
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  },
  true,
);
