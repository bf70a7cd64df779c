"use strict";
// Suggestions under the search box as the user types, from the archive's own words.
// The ARIA 1.2 combobox pattern (list autocomplete, manual selection): focus stays in the
// input and aria-activedescendant names the highlighted option. The form works without this
// script, and nothing here stops it from submitting what was typed.
(() => {
  const endpoint = document.currentScript?.dataset.suggestUrl;
  const input = document.querySelector('form.search input[type="search"]');
  const form = input?.form;
  if (!endpoint || !input || !form) return;

  // Quick enough to feel live, slow enough to skip most keystrokes of a fast typist.
  const DELAY_MS = 100;
  // Answers already fetched, so backspacing and retyping costs no request.
  const CACHE_SIZE = 200;

  const listId = `${input.id || "q"}-suggestions`;
  const list = document.createElement("ul");
  list.id = listId;
  list.className = "suggestions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Suggestions");
  list.hidden = true;
  const status = document.createElement("span");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");

  // The wrapper takes the input's place in the row and positions the list under it.
  const box = document.createElement("div");
  box.className = "combobox";
  const hadFocus = document.activeElement === input;
  input.before(box);
  box.append(input, list, status);
  if (hadFocus) input.focus();

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", listId);

  const cache = new Map();
  let options = [];
  let active = -1;
  let timer;
  let controller;

  input.addEventListener("input", () => {
    cancel();
    const value = input.value;
    if (!value.trim()) return show(value, []);
    if (cache.has(value)) return show(value, cache.get(value));
    // Until the answer comes, only the suggestions that still fit what is typed stay.
    show(
      value,
      options.filter((o) => o.startsWith(value)),
    );
    timer = setTimeout(() => load(value), DELAY_MS);
  });

  input.addEventListener("keydown", (event) => {
    if (event.isComposing || event.altKey || event.ctrlKey || event.metaKey)
      return;
    const open = !list.hidden;
    switch (event.key) {
      case "ArrowDown":
        if (!options.length) return;
        event.preventDefault();
        if (!open) setOpen(true);
        setActive(open && active + 1 < options.length ? active + 1 : 0);
        break;
      case "ArrowUp":
        if (!open) return;
        event.preventDefault();
        setActive(active > 0 ? active - 1 : options.length - 1);
        break;
      case "Enter":
        // With nothing highlighted, Enter submits what was typed, as without the script.
        if (open && active >= 0) {
          event.preventDefault();
          pick(options[active]);
        }
        break;
      case "Escape":
        // Closing the list comes first; a second Escape clears the box as usual.
        // A pending answer is dropped too, or it would open the list again.
        cancel();
        if (open) {
          event.preventDefault();
          setOpen(false);
        }
        break;
      case "Tab":
        setOpen(false);
        break;
    }
  });

  input.addEventListener("blur", () => setOpen(false));
  form.addEventListener("submit", () => {
    cancel();
    setOpen(false);
  });

  // Keeps focus in the input, so a click does not blur it and close the list first.
  list.addEventListener("mousedown", (event) => event.preventDefault());
  list.addEventListener("click", (event) => {
    const option = event.target.closest('[role="option"]');
    if (option) pick(options[Number(option.dataset.index)]);
  });

  async function load(value) {
    controller = new AbortController();
    const url = new URL(endpoint, location.href);
    url.searchParams.set("q", value);
    try {
      const res = await fetch(url, {
        signal: controller.signal,
        headers: { Accept: "application/x-suggestions+json" },
      });
      if (!res.ok) return;
      const data = await res.json();
      const completions = Array.isArray(data?.[1])
        ? data[1].filter((s) => typeof s === "string")
        : [];
      if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value);
      cache.set(value, completions);
      if (input.value === value && document.activeElement === input)
        show(value, completions);
    } catch {
      // Aborted because the user typed on, or the server is gone: suggestions are optional.
    }
  }

  // Stops the pending request, whose answer would be for an older value.
  function cancel() {
    clearTimeout(timer);
    controller?.abort();
  }

  function show(value, completions) {
    options = completions;
    list.replaceChildren(
      ...completions.map((text, i) => {
        const li = document.createElement("li");
        li.id = `${listId}-${i}`;
        li.dataset.index = String(i);
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        // What was typed stays plain; the completed letters stand out.
        if (text.startsWith(value)) {
          const rest = document.createElement("b");
          rest.textContent = text.slice(value.length);
          li.append(value, rest);
        } else li.textContent = text;
        return li;
      }),
    );
    setOpen(completions.length > 0);
    status.textContent = completions.length
      ? `${completions.length} suggestion${completions.length === 1 ? "" : "s"}`
      : "";
  }

  function setOpen(open) {
    setActive(-1);
    list.hidden = !open;
    input.setAttribute("aria-expanded", String(open));
  }

  function setActive(i) {
    list.children[active]?.setAttribute("aria-selected", "false");
    active = i;
    const option = list.children[i];
    if (option) {
      option.setAttribute("aria-selected", "true");
      option.scrollIntoView({ block: "nearest" });
      input.setAttribute("aria-activedescendant", option.id);
    } else input.removeAttribute("aria-activedescendant");
  }

  function pick(text) {
    if (text === undefined) return;
    input.value = text;
    cancel();
    setOpen(false);
    form.requestSubmit();
  }
})();
