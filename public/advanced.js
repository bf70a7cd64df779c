"use strict";
// The advanced form shows the query it makes as it is filled in, from /advanced.json, so the
// syntax is there to read before the search. Without this script the search box of the
// results shows it.
(() => {
  const form = document.querySelector("form.advanced");
  const made = form?.querySelector(".made");
  const code = made?.querySelector("code");
  if (!form || !made || !code) return;
  const DELAY_MS = 150;
  let timer;
  let controller;
  const update = () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      controller?.abort();
      controller = new AbortController();
      const params = new URLSearchParams(new FormData(form));
      try {
        const response = await fetch(`${form.dataset.preview}?${params}`, {
          signal: controller.signal,
        });
        if (!response.ok) return;
        const { q } = await response.json();
        code.textContent = q;
        made.hidden = q === "";
      } catch {
        // Aborted by the next keystroke, or the server is gone: the form still works.
      }
    }, DELAY_MS);
  };
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
})();
