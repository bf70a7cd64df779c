"use strict";
// Keyboard shortcuts: `/` focuses the search box; on a statement, `n` and `N` (shift+n) step
// to the next and previous match without a reload. The match bar's links do the same
// without JavaScript, and this keeps them, the count and the URL in step with the keys.
(() => {
  const position = document.querySelector(".matchbar .position");
  // Screen readers hear the new count when a key moves to another match.
  position?.setAttribute("aria-live", "polite");

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.isComposing) return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) return;
    if (event.key === "/") {
      const box = document.querySelector('form.search input[type="search"]');
      if (!box) return;
      event.preventDefault();
      box.focus();
      box.setSelectionRange(box.value.length, box.value.length);
    } else if (event.key === "n" || event.key === "N") {
      if (step(event.key === "n" ? 1 : -1)) event.preventDefault();
    }
  });

  function typing(target) {
    return (
      target instanceof Element &&
      (target.closest("input, textarea, select") !== null ||
        target.isContentEditable)
    );
  }

  // Marks are numbered m1…mN in reading order; `current` is the one shown.
  function step(by) {
    const total = document.querySelectorAll('mark[id^="m"]').length;
    const current = document.querySelector("mark.current");
    const from = current ? Number(current.id.slice(1)) : 0;
    const to = from + by;
    const target = document.getElementById(`m${to}`);
    if (!total || to < 1 || to > total || !target) return false;
    current?.classList.remove("current");
    target.classList.add("current");
    target.scrollIntoView({ block: "center" });
    // Replacing, not pushing: Back should leave the statement, not replay each key press.
    history.replaceState(history.state, "", href(to));
    updateBar(to, total);
    return true;
  }

  // The same URL as the match bar's links: `?m=` from the server's point of view, `#m` for the browser.
  function href(m) {
    const url = new URL(location.href);
    if (m > 1) url.searchParams.set("m", String(m));
    else url.searchParams.delete("m");
    url.hash = `m${m}`;
    return url.pathname + url.search + url.hash;
  }

  function updateBar(m, total) {
    const bar = position?.closest(".matchbar");
    if (!bar) return;
    const link = position.querySelector("a");
    if (link) {
      link.textContent = String(m);
      link.href = href(m);
    }
    relink(bar, "prev", "previous match", m > 1 ? href(m - 1) : undefined);
    relink(bar, "next", "next match", m < total ? href(m + 1) : undefined);
  }

  // A link while there is somewhere to go, plain text at either end, as the server renders it.
  function relink(bar, rel, label, to) {
    const old = [...bar.children].find((el) => el.textContent.trim() === label);
    if (!old) return;
    // Updated in place when it stays a link, so a focused link keeps the focus.
    if (to && old instanceof HTMLAnchorElement) {
      old.href = to;
      return;
    }
    let now;
    if (to) {
      now = document.createElement("a");
      now.rel = rel;
      now.href = to;
    } else {
      now = document.createElement("span");
      now.className = "disabled";
    }
    now.textContent = label;
    old.replaceWith(now);
  }
})();
