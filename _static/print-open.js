// Printing a page opens its collapsed solutions (sphinx-design dropdowns) and closes them again
// afterwards; print.css does the same with ::details-content where the browser has it.
(() => {
  let opened = [];
  window.addEventListener("beforeprint", () => {
    opened = Array.from(document.querySelectorAll("details.sd-dropdown:not([open])"));
    opened.forEach((details) => { details.open = true; });
  });
  window.addEventListener("afterprint", () => {
    opened.forEach((details) => { details.open = false; });
    opened = [];
  });
})();
