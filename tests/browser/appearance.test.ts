import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { servedBrowser } from "./browser.ts";

// The browser global the page.evaluate callbacks use; the project is typed for Node only.
declare const getComputedStyle: (
  element: unknown,
  pseudo?: string,
) => { content: string; getPropertyValue(property: string): string };

const session = servedBrowser();

const style = (page: Page, selector: string, property: string) =>
  page
    .locator(selector)
    .first()
    .evaluate((el, p) => getComputedStyle(el).getPropertyValue(p), property);

describe("dark mode", () => {
  it("follows the system setting", async () => {
    const page = await session.browser.newPage();
    await page.goto(session.base + "/search?q=ceasefire");
    expect(await style(page, "html", "background-color")).toBe(
      "rgb(255, 255, 255)",
    );
    await page.emulateMedia({ colorScheme: "dark" });
    expect(await style(page, "html", "background-color")).toBe(
      "rgb(23, 24, 26)",
    );
    expect(await style(page, "html", "color")).toBe("rgb(232, 234, 237)");
    expect(await style(page, "html", "color-scheme")).toBe("light dark");
    // Buttons on the light link blue take dark text.
    expect(await style(page, "form.search button", "color")).toBe(
      "rgb(32, 33, 36)",
    );
    await page.close();
  }, 60_000);

  // Colour contrast in dark mode is checked on every page of the accessibility test, on the
  // document it has already loaded (a11y.test.ts).
});

describe("print", () => {
  it("prints a statement without the screen's controls", async () => {
    const page = await session.browser.newPage();
    await page.goto(session.base + "/statements/press-release?q=zeugma");
    await page.emulateMedia({ media: "print" });
    for (const hidden of ["header.site", ".matchbar", "footer.site"])
      expect(await page.locator(hidden).isHidden(), hidden).toBe(true);
    for (const shown of [
      ".statement h1",
      ".statement .meta",
      "dl.metadata",
      ".statement .body",
      ".permalink",
    ])
      expect(await page.locator(shown).isVisible(), shown).toBe(true);
    expect(
      await page
        .locator("a.original")
        .evaluate((a) => getComputedStyle(a, "::after").content),
    ).toBe('" (https://example.org/releases/zeugma)"');
    expect(await style(page, "html", "background-color")).toBe(
      "rgb(255, 255, 255)",
    );
    await page.close();
  }, 60_000);

  it("prints results without the search form and filters, in dark mode too", async () => {
    const page = await session.browser.newPage();
    await page.goto(session.base + "/search?q=the");
    await page.emulateMedia({ media: "print", colorScheme: "dark" });
    expect(await page.locator("form.search").isHidden()).toBe(true);
    expect(await page.locator("form.facets").isHidden()).toBe(true);
    expect(await page.locator(".hit").first().isVisible()).toBe(true);
    expect(await style(page, "html", "color")).toBe("rgb(0, 0, 0)");
    expect(await style(page, "html", "background-color")).toBe(
      "rgb(255, 255, 255)",
    );
    await page.close();
  }, 60_000);
});
