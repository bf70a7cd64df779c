import { describe, expect, it } from "vitest";
import { servedBrowser } from "./browser.ts";

const session = servedBrowser();

describe("a researcher in the browser", () => {
  it("searches, opens a statement, steps through its matches and goes back", async () => {
    const page = await session.browser.newPage();
    await page.goto(session.base + "/");
    await page.getByLabel("Search the statements").fill("ceasefire");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/search\?q=ceasefire/);

    expect(await page.locator(".summary").innerText()).toMatch(
      /^1 statement · Export all 1:/,
    );
    const hit = page.locator(".hit").first();
    expect(await hit.locator("mark").first().innerText()).toBe("ceasefire");

    await hit.getByRole("link").click();
    await page.waitForURL(/\/statements\/seed-format-ceasefire\?q=ceasefire/);
    expect(await page.locator(".matchbar .position").innerText()).toBe(
      "match 1 of 3",
    );
    expect(await page.locator("mark").count()).toBe(3);

    await page.getByRole("link", { name: "next match" }).click();
    await page.waitForURL(/m=2#m2$/);
    expect(await page.locator(".matchbar .position").innerText()).toBe(
      "match 2 of 3",
    );
    expect(await page.locator("mark.current").getAttribute("id")).toBe("m2");

    await page.getByRole("link", { name: /Back to results/ }).click();
    await page.waitForURL(/\/search\?q=ceasefire$/);
    expect(await page.locator(".hit").count()).toBe(1);
    await page.close();
  }, 60_000);
});
