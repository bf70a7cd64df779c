import { describe, expect, it } from "vitest";
import { servedBrowser } from "./browser.ts";

// What a person trying Readout for the first time trips over (issue 27), in a real browser.
const session = servedBrowser();

describe("facets", () => {
  it("apply a value at once when it is clicked, and show it as a removable chip", async () => {
    const page = await session.browser.newPage();
    await page.goto(session.base + "/search?q=the");
    await page.getByLabel(/^Port Authority/).click();
    await page.waitForURL(/source=Port\+Authority/);
    expect(await page.getByLabel(/^Port Authority/).isChecked()).toBe(true);
    const chip = page.locator(".chips li", {
      hasText: "Source: Port Authority",
    });
    expect(await chip.count()).toBe(1);
    await chip.getByRole("link", { name: /Remove filter/ }).click();
    await page.waitForURL((url) => !url.search.includes("source="));
    expect(await page.locator(".chips").count()).toBe(0);
    await page.close();
  }, 60_000);

  it("wait for Apply when ticked with the keyboard, and Apply is above the facets", async () => {
    const page = await session.browser.newPage();
    await page.goto(session.base + "/search?q=the");
    const url = page.url();
    await page.getByLabel(/^Port Authority/).focus();
    await page.keyboard.press("Space");
    await page.getByLabel(/^Council of the EU/).focus();
    await page.keyboard.press("Space");
    expect(page.url()).toBe(url);
    const apply = page.getByRole("button", { name: "Apply filters" });
    const applyBox = (await apply.boundingBox())!;
    const firstFacet = (await page
      .locator("form.facets fieldset")
      .first()
      .boundingBox())!;
    expect(applyBox.y).toBeLessThan(firstFacet.y);
    await apply.press("Enter");
    await page.waitForURL(/source=.*source=/);
    expect(await page.locator(".chips li").allInnerTexts()).toEqual([
      expect.stringMatching(/^Source: Council of the EU/),
      expect.stringMatching(/^Source: Port Authority/),
      "Clear all filters",
    ]);
    await page.close();
  }, 60_000);

  it("work without JavaScript: tick, then Apply", async () => {
    const context = await session.browser.newContext({
      javaScriptEnabled: false,
    });
    const page = await context.newPage();
    await page.goto(session.base + "/search?q=the");
    const url = page.url();
    await page.getByLabel(/^Port Authority/).click();
    expect(page.url()).toBe(url);
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.waitForURL(/source=Port\+Authority/);
    expect(
      await page
        .locator(".chips li", { hasText: "Source: Port Authority" })
        .count(),
    ).toBe(1);
    await context.close();
  }, 60_000);
});
