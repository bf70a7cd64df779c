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
  // A long facet's search box: values whose label holds what is typed stay (case and accents
  // aside), the others are hidden, and the values behind "More…" are shown to search them too.
  const fold = (text) =>
    text
      .normalize("NFD")
      .replace(/\p{M}+/gu, "")
      .toLowerCase();
  for (const box of form.querySelectorAll(".facet-filter")) {
    box.hidden = false;
    const fieldset = box.closest("fieldset");
    const values = [...fieldset.querySelectorAll(".facet-value")];
    const more = fieldset.querySelector("details");
    box.addEventListener("input", () => {
      const wanted = fold(box.value.trim());
      if (more && wanted) more.open = true;
      for (const value of values) {
        const label = value.querySelector("label")?.textContent ?? "";
        const checked = value.querySelector("input")?.checked;
        value.hidden =
          Boolean(wanted) && !checked && !fold(label).includes(wanted);
      }
    });
    // Enter in the box would send the form: the box only filters the list.
    box.addEventListener("keydown", (event) => {
      if (event.key === "Enter") event.preventDefault();
    });
  }

  form.addEventListener("change", (event) => {
    const box = event.target;
    if (!(box instanceof HTMLInputElement) || box.type !== "checkbox") return;
    if (!pointed || !pointed.contains(box)) return;
    pointed = null;
    form.requestSubmit();
  });
})();
