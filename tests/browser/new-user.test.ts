import { describe, expect, it } from "vitest";
import { MemoryArchive } from "../../src/archive.ts";
import { createApp } from "../../src/web/app.ts";
import { fixtureStatements } from "../helpers.ts";
import { servedBrowser } from "./browser.ts";

// The browser global the page.evaluate callbacks use; the project is typed for Node only.
declare const document: {
  documentElement: { scrollWidth: number; clientWidth: number };
};

// What a person trying Readout for the first time trips over (issue 27), in a real browser.
const COUNTRIES = [
  "Moldova",
  "Chile",
  "Côte d’Ivoire",
  "Ghana",
  "Japan",
  "Kenya",
  "Nepal",
  "Oman",
  "Peru",
  "Qatar",
  "Samoa",
  "Togo",
];

// The fixtures and a record with as many metadata fields as the UN's debates have, whose
// names /help lists in one row.
const session = servedBrowser(async () =>
  createApp(
    MemoryArchive.fromStatements([
      ...(await fixtureStatements()),
      {
        id: "un-debate-moldova",
        title: "Moldova: statement in the General Debate",
        date: "2024-09-24",
        source: "United Nations General Assembly (General Debate)",
        body: "It is an honour to represent my country at the General Assembly.",
        meta: Object.fromEntries(
          [
            "country",
            "country_iso",
            "session",
            "year",
            "speaker",
            "post",
            "parallel_id",
            "category",
            "modified",
            "place",
            "agenda_item",
            "document_symbol",
          ].map((key) => [key, `${key} value`]),
        ),
        origin: { file: "un-debates.jsonl", line: 1 },
      },
      // Twelve countries: a facet long enough to be searched.
      ...COUNTRIES.map((country, i) => ({
        id: `un-debate-${i}`,
        title: `${country}: statement in the General Debate`,
        date: "2024-09-25",
        source: "United Nations General Assembly (General Debate)",
        body: `The delegation of ${country} addressed the General Assembly.`,
        meta: { country },
        origin: { file: "un-debates.jsonl", line: i + 2 },
      })),
    ]),
    { env: "test" },
  ),
);

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

// Every kind of page: validators do not see a page that scrolls sideways.
const PAGE_TYPES = [
  "/",
  "/search?q=the",
  "/search?q=the&source=Port+Authority&from=2022",
  "/search?q=xylophone",
  "/search?q=ceasfire",
  "/statements/seed-format-ceasefire?q=ceasefire&m=2",
  "/statements/rec-sanctions-2023",
  "/statements/long-body?part=2",
  "/statements/rec-sanctions-2023/diff/rec-zeugma-2022",
  "/about",
  "/help",
  "/advanced",
  "/batch",
  "/statements/no-such-statement",
];

describe("a long facet", () => {
  it("has more… and a box that searches its values, accents aside", async () => {
    const page = await session.browser.newPage();
    await page.goto(session.base + "/search?q=delegation");
    const country = page.locator("fieldset", { hasText: "Country" });
    expect(await country.locator("summary").innerText()).toMatch(
      /^More… \(\d+ country values\)$/,
    );
    const box = country.getByRole("searchbox", {
      name: "Search the country values",
    });
    await box.fill("cote");
    const shown = await country
      .locator(".facet-value:visible label")
      .allInnerTexts();
    expect(shown).toEqual([expect.stringMatching(/^Côte d’Ivoire/)]);
    await country.getByLabel(/^Côte d’Ivoire/).click();
    await page.waitForURL(/country=C%C3%B4te/);
    await page.close();
  }, 60_000);

  it("lists every value without JavaScript, behind more…", async () => {
    const context = await session.browser.newContext({
      javaScriptEnabled: false,
    });
    const page = await context.newPage();
    await page.goto(session.base + "/search?q=delegation");
    const country = page.locator("fieldset", { hasText: "Country" });
    expect(await country.locator(".facet-filter").isHidden()).toBe(true);
    await country.locator("summary").click();
    // And the first record's "country value".
    expect(await country.locator(".facet-value:visible").count()).toBe(
      COUNTRIES.length + 1,
    );
    await context.close();
  }, 60_000);
});

describe("no page scrolls sideways", () => {
  for (const width of [1280, 390]) {
    it(`at ${width} px`, async () => {
      const context = await session.browser.newContext({
        viewport: { width, height: 800 },
      });
      const page = await context.newPage();
      const wide: string[] = [];
      for (const path of PAGE_TYPES) {
        await page.goto(session.base + path);
        const { scroll, view } = await page.evaluate(() => ({
          scroll: document.documentElement.scrollWidth,
          view: document.documentElement.clientWidth,
        }));
        if (scroll > view) wide.push(`${path}: ${scroll} px`);
      }
      expect(wide).toEqual([]);
      await context.close();
    }, 60_000);
  }
});

describe("on a 390 px phone", () => {
  it("the search box takes the width of the page, not a third of it", async () => {
    const context = await session.browser.newContext({
      viewport: { width: 390, height: 800 },
    });
    const page = await context.newPage();
    await page.goto(session.base + "/search?q=the");
    const box = (await page.getByLabel("Search the statements").boundingBox())!;
    const form = (await page.locator("form.search").boundingBox())!;
    expect(box.width).toBeGreaterThan(0.9 * form.width);
    await context.close();
  }, 60_000);
});

describe("the timeline", () => {
  // Its labels as drawn: text, where, and whether shown.
  const labels = async (width: number) => {
    const context = await session.browser.newContext({
      viewport: { width, height: 800 },
    });
    const page = await context.newPage();
    await page.goto(session.base + "/search?q=the");
    const svg = (await page.locator("figure.timeline svg").boundingBox())!;
    const drawn = await page
      .locator("figure.timeline svg text")
      .evaluateAll((texts) =>
        texts.map((t) => {
          const { left, right, width } = t.getBoundingClientRect();
          return { text: t.textContent ?? "", left, right, width };
        }),
      );
    await context.close();
    return { svg, drawn: drawn.filter((d) => d.width > 0) };
  };

  it("is drawn for the width it has: labels unstretched, apart and inside it", async () => {
    const wide = await labels(1280);
    const phone = await labels(390);
    expect(phone.drawn.length).toBeGreaterThan(1);
    for (const label of phone.drawn) {
      const same = wide.drawn.find((d) => d.text === label.text);
      if (same) expect(Math.abs(label.width - same.width)).toBeLessThan(1);
    }
    for (const { svg, drawn } of [wide, phone]) {
      drawn.forEach((label, i) => {
        expect(label.left).toBeGreaterThanOrEqual(svg.x - 0.5);
        expect(label.right).toBeLessThanOrEqual(svg.x + svg.width + 0.5);
        if (i > 0) expect(label.left).toBeGreaterThan(drawn[i - 1]!.right);
      });
    }
  }, 60_000);
});
