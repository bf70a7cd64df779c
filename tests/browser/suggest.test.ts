import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { axeFindings, servedBrowser } from "./browser.ts";

// The browser global the page.evaluate callback uses; the project is typed for Node only.
declare const DOMParser: new () => {
  parseFromString(
    text: string,
    type: string,
  ): {
    querySelector(selector: string): unknown;
    getElementsByTagName(
      name: string,
    ): ArrayLike<{ getAttribute(name: string): string | null }>;
  };
};

const session = servedBrowser();

/** A page that records script errors, CSP violations and failed requests. */
async function openPage(
  path: string,
): Promise<{ page: Page; errors: string[] }> {
  const page = await session.browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (err) => errors.push(err.message));
  page.on("console", (msg) => {
    // Failed requests are reported below with their URL.
    if (msg.type() === "error" && !msg.text().startsWith("Failed to load"))
      errors.push(msg.text());
  });
  page.on("response", (res) => {
    // Readout has no icon; the browser asks anyway.
    if (res.status() >= 400 && !res.url().endsWith("/favicon.ico"))
      errors.push(`${res.status()} ${res.url()}`);
  });
  await page.goto(session.base + path);
  return { page, errors };
}

describe("suggestions under the search box", () => {
  it("lists completions as you type; arrows and Enter pick one and search", async () => {
    const { page, errors } = await openPage("/");
    const box = page.getByRole("combobox", { name: "Search the statements" });
    await box.pressSequentially("an", { delay: 30 });
    const list = page.getByRole("listbox", { name: "Suggestions" });
    await list.waitFor();
    expect(await box.getAttribute("aria-expanded")).toBe("true");
    expect(await box.getAttribute("aria-controls")).toBe(
      await list.getAttribute("id"),
    );
    expect(await list.getByRole("option").allInnerTexts()).toEqual([
      "and",
      "an",
      "ancient",
      "announced",
      "annual",
    ]);

    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    const chosen = list.getByRole("option", { name: "ancient" });
    expect(await chosen.getAttribute("aria-selected")).toBe("true");
    expect(await box.getAttribute("aria-activedescendant")).toBe(
      await chosen.getAttribute("id"),
    );
    expect(await box.inputValue()).toBe("an");

    await page.keyboard.press("Enter");
    await page.waitForURL(/\/search\?q=ancient$/);
    expect(await page.locator(".summary").innerText()).toMatch(/^1 statement/);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it("passes axe-core with the list open and an option highlighted", async () => {
    // axe is injected by the test, not served by the app: the page's CSP must not block it.
    const context = await session.browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await page.goto(session.base + "/");
    await page.getByLabel("Search the statements").pressSequentially("an");
    await page.getByRole("listbox").waitFor();
    await page.keyboard.press("ArrowDown");
    expect(await axeFindings(page)).toEqual([]);
    await context.close();
  }, 60_000);

  it("picks a suggestion with the mouse", async () => {
    const { page } = await openPage("/");
    await page.getByLabel("Search the statements").pressSequentially("ceas");
    await page.getByRole("option", { name: "ceasefire" }).click();
    await page.waitForURL(/\/search\?q=ceasefire$/);
    await page.close();
  }, 60_000);

  it("closes on Escape and never stands in the way of submitting what was typed", async () => {
    const { page } = await openPage("/");
    const box = page.getByLabel("Search the statements");
    await box.pressSequentially("zeugm");
    const list = page.getByRole("listbox");
    await list.waitFor();
    await page.keyboard.press("Escape");
    expect(await list.isHidden()).toBe(true);
    expect(await box.getAttribute("aria-expanded")).toBe("false");
    expect(await box.inputValue()).toBe("zeugm");

    // The list open again, nothing highlighted: Enter searches for the letters typed.
    await box.pressSequentially("a");
    await list.waitFor();
    await box.press("Backspace");
    await page.getByRole("option", { name: "zeugma" }).waitFor();
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/search\?q=zeugm$/);
    await page.close();
  }, 60_000);

  it("waits for a pause in typing before asking the server", async () => {
    const page = await session.browser.newPage();
    // The page's clock stands still until the test moves it: keystrokes are "fast" however
    // busy the machine is.
    await page.clock.install();
    await page.goto(session.base + "/");
    await page.clock.pauseAt(Date.now() + 1_000);
    const asked: string[] = [];
    page.on("request", (req) => {
      if (req.url().includes("/suggest?")) asked.push(req.url());
    });
    const box = page.getByLabel("Search the statements");
    await box.pressSequentially("ceasefir");
    await page.clock.runFor(50);
    await box.press("e");
    await page.clock.runFor(99);
    expect(asked).toEqual([]);
    const answered = page.waitForResponse(/\/suggest\?q=ceasefire$/);
    await page.clock.runFor(1);
    await answered;
    await page.getByRole("option", { name: "ceasefire" }).waitFor();
    expect(asked).toEqual([`${session.base}/suggest?q=ceasefire`]);
    await page.close();
  }, 60_000);

  it("leaves a plain search form without JavaScript", async () => {
    const context = await session.browser.newContext({
      javaScriptEnabled: false,
    });
    const page = await context.newPage();
    await page.goto(session.base + "/");
    const box = page.getByLabel("Search the statements");
    expect(await box.getAttribute("role")).toBe(null);
    await box.fill("zeugma");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/search\?q=zeugma$/);
    await context.close();
  }, 60_000);
});

describe("the OpenSearch description", () => {
  it("parses as XML and points the address bar at this server", async () => {
    const { page } = await openPage("/");
    const href = await page
      .locator('link[rel="search"]')
      .evaluate((link) => link.href);
    const templates = await page.evaluate(async (url) => {
      const text = await (await fetch(url)).text();
      const doc = new DOMParser().parseFromString(text, "application/xml");
      if (doc.querySelector("parsererror")) return null;
      return Array.from(doc.getElementsByTagName("Url"), (u) =>
        u.getAttribute("template"),
      );
    }, href);
    expect(templates).toEqual([
      `${session.base}/search?q={searchTerms}`,
      `${session.base}/suggest?q={searchTerms}`,
      `${session.base}/opensearch.xml`,
    ]);
    await page.close();
  }, 60_000);
});
