import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, it } from "vitest";
import { workspaceFixture } from "../helpers.ts";
import { axeFindings, launchBrowser, serve } from "./browser.ts";

let browser: Browser;
let context: BrowserContext;
// Two tabs, taken in turn: a new tab costs Chromium about as much as the checks on it.
let free: Page[] = [];
const waiting: ((page: Page) => void)[] = [];

/** A tab of the two, in light mode, once one is free; `done` gives it back. */
async function borrowTab(): Promise<{ page: Page; done: () => void }> {
  const page =
    free.pop() ?? (await new Promise<Page>((take) => waiting.push(take)));
  await page.emulateMedia({ colorScheme: "light" });
  return {
    page,
    done: () => {
      const next = waiting.shift();
      if (next) next(page);
      else free.push(page);
    },
  };
}
let server: Awaited<ReturnType<typeof serve>>;
// With a workspace, so the pages carry "Add to collection" and the workspace's pages have data.
const fixture = await workspaceFixture();

beforeAll(async () => {
  server = await serve(fixture.app);
  browser = await launchBrowser();
  // axe is injected by the test, not served by the app: the page's own CSP must not block it.
  context = await browser.newContext({ bypassCSP: true });
  free = await Promise.all([1, 2].map(() => context.newPage()));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await fixture.cleanup();
});

// Each page is loaded once and checked for every rule below. Where two addresses would show
// the same template in the same state, one stands for both: the filtered results carry the
// chips, the second page of results the pager.
const pages = [
  "/",
  "/search?q=the&size=2&page=2",
  "/search?q=the&source=Port+Authority&source=Council+of+the+EU&from=2022",
  "/search?q=xylophone",
  "/search?q=ceasfire",
  "/statements/seed-format-ceasefire?q=ceasefire&m=2",
  "/statements/rec-sanctions-2023",
  "/about",
  "/help",
  "/compare?q=the&q=ceasefire&q=port&measure=share",
  "/concordance?q=the&order=left",
  "/terms?q=the",
  "/names?q=the",
  "/advanced",
  "/batch",
  "/statements/no-such-statement",
  "/collections",
  `/collections/${fixture.collection}`,
  "/collections/add?id=press-release",
  "/saved",
  `/saved/${fixture.saved}`,
  "/saved/new?q=ceasefire&from=2023",
];

// axe lets a small target pass when the targets around it are far enough away; the controls
// of a form are measured on these pages instead, each at least 24 by 24 CSS pixels.
const measured = new Set([
  "/search?q=the&size=2&page=2",
  "/search?q=the&source=Port+Authority&source=Council+of+the+EU&from=2022",
  "/statements/seed-format-ceasefire?q=ceasefire&m=2",
  "/batch",
  `/collections/${fixture.collection}`,
  "/collections/add?id=press-release",
  "/saved",
]);

/** The controls, filter chips and pager links on the page smaller than 24 by 24 CSS pixels. */
async function smallTargets(page: Page): Promise<string[]> {
  const boxes = await page
    .locator(
      "input:not([type=hidden]), select, button, .chips a, summary, .pager a, .matchbar a[rel], figure.timeline svg a",
    )
    .evaluateAll((els) =>
      els.map((el) => {
        const { width, height } = el.getBoundingClientRect();
        return { html: el.outerHTML.slice(0, 60), width, height };
      }),
    );
  return boxes
    .filter((b) => b.width < 24 || b.height < 24)
    .map((b) => `${b.html} ${Math.round(b.width)}×${Math.round(b.height)}`);
}

// The pages are checked side by side in the two tabs: a check mostly waits on Chromium, and
// one after another they took half again as long. Concurrent tests take `expect` from their
// own context, so a failure is told to the right test.
describe.concurrent("accessibility (axe-core in Chromium)", () => {
  for (const path of pages) {
    it(`finds no serious or critical violations on ${path}, nor low contrast in dark mode${measured.has(path) ? ", and gives every control, filter chip and pager link 24 by 24 CSS pixels (WCAG 2.2, 2.5.8)" : ""}`, async ({
      expect,
    }) => {
      const { page, done } = await borrowTab();
      // Given back even when a check fails, so the other pages are not left waiting for it.
      try {
        await page.goto(server.base + path);
        if (measured.has(path)) expect(await smallTargets(page)).toEqual([]);
        // WCAG 2.2's target size (24 by 24 CSS pixels) is off in axe by default.
        expect(await axeFindings(page, { enable: ["target-size"] })).toEqual(
          [],
        );
        // The same page in dark mode: its colours change, so contrast is checked again (on the
        // document already loaded, with axe already in it).
        await page.emulateMedia({ colorScheme: "dark" });
        expect(
          await page.evaluate(
            () =>
              (
                globalThis as unknown as {
                  matchMedia(q: string): { matches: boolean };
                }
              ).matchMedia("(prefers-color-scheme: dark)").matches,
          ),
        ).toBe(true);
        expect(await axeFindings(page, { only: ["color-contrast"] })).toEqual(
          [],
        );
      } finally {
        done();
      }
    }, 120_000);
  }

  it("does report a violation when there is one (the check can fail)", async ({
    expect,
  }) => {
    const page = await context.newPage();
    await page.goto(server.base + "/help");
    await page.setContent(
      '<html lang="en"><title>t</title><main><img src="x.png"><input type="text"></main></html>',
    );
    const ids = (await axeFindings(page)).map((line) => line.split(" ")[0]);
    expect(ids).toEqual(expect.arrayContaining(["image-alt", "label"]));
    await page.close();
  }, 120_000);

  it("finds none on the results of a batch search", async ({ expect }) => {
    const page = await context.newPage();
    await page.goto(server.base + "/batch");
    await page.getByLabel("Queries, one per line").fill("zeugma\nceasefire");
    await page.getByRole("button", { name: "Search all" }).click();
    await page.waitForSelector("table.batch-results");
    expect(await axeFindings(page)).toEqual([]);
    await page.close();
  }, 120_000);
});
