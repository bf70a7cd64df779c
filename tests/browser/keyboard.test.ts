import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { servedBrowser } from "./browser.ts";

// Browser globals the page.evaluate callbacks use; the project is typed for Node only.
declare const document: { activeElement: { id: string } | null };
declare const location: { search: string; hash: string };
declare const window: { loadedOnce?: boolean };

const session = servedBrowser();

const focusedId = (page: Page) =>
  page.evaluate(() => document.activeElement?.id ?? "");

describe("/", () => {
  it("focuses the search box, unless you are typing in a field", async () => {
    const page = await session.browser.newPage();
    await page.goto(session.base + "/search?q=ceasefire");
    expect(await focusedId(page)).not.toBe("q");
    await page.keyboard.press("/");
    expect(await focusedId(page)).toBe("q");
    const box = page.getByLabel("Search the statements");
    expect(await box.inputValue()).toBe("ceasefire");

    // In the box, `/` is just a character.
    await page.keyboard.press("/");
    expect(await box.inputValue()).toBe("ceasefire/");
    await page.close();
  }, 60_000);
});

describe("n and N on a statement", () => {
  it("step through the matches without a reload, keeping the match bar and URL in step", async () => {
    const page = await session.browser.newPage();
    await page.goto(
      session.base + "/statements/seed-format-ceasefire?q=ceasefire",
    );
    const position = page.locator(".matchbar .position");
    const current = () => page.locator("mark.current").getAttribute("id");
    const where = () => page.evaluate(() => location.search + location.hash);
    await page.evaluate(() => {
      window.loadedOnce = true;
    });

    await page.keyboard.press("n");
    expect(await current()).toBe("m2");
    expect(await page.locator("mark.current").count()).toBe(1);
    expect(await position.innerText()).toBe("match 2 of 3");
    expect(await where()).toBe("?q=ceasefire&m=2#m2");
    expect(
      await page
        .getByRole("link", { name: "previous match" })
        .getAttribute("href"),
    ).toBe("/statements/seed-format-ceasefire?q=ceasefire#m1");

    await page.keyboard.press("n");
    expect(await current()).toBe("m3");
    expect(await page.locator(".matchbar .disabled").innerText()).toBe(
      "next match",
    );
    await page.keyboard.press("n");
    expect(await current()).toBe("m3");

    await page.keyboard.press("Shift+N");
    expect(await current()).toBe("m2");
    expect(await position.innerText()).toBe("match 2 of 3");
    expect(await where()).toBe("?q=ceasefire&m=2#m2");
    expect(
      await page.getByRole("link", { name: "next match" }).getAttribute("href"),
    ).toBe("/statements/seed-format-ceasefire?q=ceasefire&m=3#m3");

    // Not a reload: the page's own state survived.
    expect(await page.evaluate(() => window.loadedOnce)).toBe(true);

    // With a modifier the key is the browser's, not ours.
    await page.keyboard.press("Alt+n");
    expect(await current()).toBe("m2");

    // The URL is a permalink to the same match.
    await page.reload();
    expect(await current()).toBe("m2");
    expect(await position.innerText()).toBe("match 2 of 3");
    await page.close();
  }, 60_000);

  it("do nothing on a page without matches", async () => {
    const page = await session.browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (err) => errors.push(err.message));
    await page.goto(session.base + "/statements/seed-format-ceasefire");
    await page.keyboard.press("n");
    await page.keyboard.press("Shift+N");
    expect(await page.evaluate(() => location.hash)).toBe("");
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
