"use strict";
// "Add to collection", better with JavaScript: the button opens a small form in place (a
// collection, a note, tags) and adds the statement without leaving the page. Without this
// script the button is a form that opens the same choices on a page of their own.
(() => {
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.matches("form.collect"))
      return;
    const button = form.querySelector("button[data-collect]");
    if (!button) return;
    event.preventDefault();
    const open = form.nextElementSibling;
    if (open && open.matches(".collect-panel")) {
      open.querySelector("textarea, select")?.focus();
      return;
    }
    openPanel(form, button.dataset.collect);
  });

  async function openPanel(form, url) {
    const panel = element("div", { class: "collect-panel" });
    form.after(panel);
    const status = element("p", { class: "collect-status", role: "status" });
    panel.append(status);
    let data;
    try {
      const res = await fetch(url, { headers: { Accept: "application/json" } });
      data = await res.json();
      if (!res.ok) throw new Error(data.error?.message ?? res.statusText);
    } catch (err) {
      status.textContent = `Could not open the collections: ${err.message}`;
      return;
    }
    if (!data.canWrite) {
      status.textContent = "Readers cannot keep collections.";
      return;
    }
    panel.prepend(panelForm(data, panel, status, form));
    panel.querySelector("select, input")?.focus();
  }

  function panelForm(data, panel, status, opener) {
    const n = Math.random().toString(36).slice(2, 8);
    const form = element("form", { class: "ws collect-inline" });
    const choice = element("select", { id: `c-${n}`, name: "collection" });
    for (const c of data.collections)
      choice.append(
        element("option", { value: c.action }, `${c.name} (${c.count})`),
      );
    choice.append(element("option", { value: "" }, "A new collection…"));
    const name = element("input", {
      id: `n-${n}`,
      name: "name",
      maxlength: "100",
      placeholder: "Name of the new collection",
    });
    const nameRow = element("div", { class: "new-name" }, [
      element("label", { for: `n-${n}` }, "New collection’s name"),
      name,
    ]);
    const showName = () => (nameRow.hidden = choice.value !== "");
    choice.addEventListener("change", showName);
    const note = element("textarea", { id: `t-${n}`, name: "note", rows: "3" });
    const tags = element("input", { id: `g-${n}`, name: "tags" });
    const add = element("button", { type: "submit" }, "Add");
    const cancel = element(
      "button",
      { type: "button", class: "secondary" },
      "Cancel",
    );
    cancel.addEventListener("click", () => {
      panel.remove();
      opener.querySelector("button")?.focus();
    });
    form.append(
      element("label", { for: `c-${n}` }, "Collection"),
      choice,
      nameRow,
      element("label", { for: `t-${n}` }, "Note (Markdown)"),
      note,
      element("label", { for: `g-${n}` }, "Tags, separated by commas"),
      tags,
      element("div", { class: "row" }, [add, cancel]),
    );
    showName();
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const body = new URLSearchParams({
        token: data.token,
        id: data.statement.id,
        note: note.value,
        tags: tags.value,
      });
      const action = choice.value || data.create;
      if (!choice.value) body.set("name", name.value);
      add.disabled = true;
      status.textContent = "Adding…";
      try {
        const res = await fetch(action, {
          method: "POST",
          headers: { Accept: "application/json" },
          body,
        });
        const answer = await res.json();
        if (!res.ok) throw new Error(answer.error?.message ?? res.statusText);
        const target = answer.collection;
        const label = choice.value
          ? choice.selectedOptions[0].textContent.replace(/ \(\d+\)$/, "")
          : target.name;
        form.remove();
        status.textContent = "";
        status.append(
          answer.added === false ? "Note and tags saved in " : "Added to ",
          element("a", { href: target.href }, label),
          ".",
        );
      } catch (err) {
        add.disabled = false;
        status.textContent = err.message;
      }
    });
    return form;
  }

  function element(tag, attributes = {}, children = []) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes))
      node.setAttribute(key, value);
    node.append(...(Array.isArray(children) ? children : [children]));
    return node;
  }
})();
