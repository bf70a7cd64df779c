"use strict";
// A facet value chosen with the mouse or a finger applies at once: the filter form is sent.
// One ticked with the keyboard is not, so Tab and Space can tick several before the Apply
// button (above the facets) sends them, as the form works without this script.
(() => {
  const form = document.querySelector("form.facets");
  if (!form) return;
  let pointed;
  form.addEventListener("pointerdown", (event) => {
    pointed =
      event.target instanceof Element
        ? event.target.closest(".facet-value")
        : null;
  });
  form.addEventListener("keydown", () => {
    pointed = null;
  });
  form.addEventListener("change", (event) => {
    const box = event.target;
    if (!(box instanceof HTMLInputElement) || box.type !== "checkbox") return;
    if (!pointed || !pointed.contains(box)) return;
    pointed = null;
    form.requestSubmit();
  });
})();
