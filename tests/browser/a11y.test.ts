import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, it } from "vitest";
import { fixtureApp } from "../helpers.ts";
import { axeFindings, launchBrowser, serve } from "./browser.ts";

let browser: Browser;
let context: BrowserContext;
let server: Awaited<ReturnType<typeof serve>>;
let axeSource: string;

beforeAll(async () => {
  axeSource = await readFile(
    createRequire(import.meta.url).resolve("axe-core/axe.min.js"),
    "utf8",
  );
  server = await serve(await fixtureApp());
  browser = await launchBrowser();
  // axe is injected by the test, not served by the app: the page's own CSP must not block it.
  context = await browser.newContext({ bypassCSP: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

const pages = [
  "/",
  "/search?q=the",
  "/search?q=the&source=Port+Authority&from=2022",
  "/search?q=xylophone",
  "/search?q=ceasfire",
  "/statements/seed-format-ceasefire?q=ceasefire&m=2",
  "/statements/rec-sanctions-2023",
  "/about",
  "/help",
  "/batch",
  "/statements/no-such-statement",
];

// The pages are checked side by side, each in a tab of its own: a check mostly waits on
// Chromium, and one after another they took half again as long. Concurrent tests take
// `expect` from their own context, so a failure is told to the right test.
describe.concurrent("accessibility (axe-core in Chromium)", () => {
  for (const path of pages) {
    it(`finds no serious or critical violations on ${path}, nor low contrast in dark mode`, async ({
      expect,
    }) => {
      const page = await context.newPage();
      await page.goto(server.base + path);
      await page.evaluate(axeSource);
      const violations = (await page.evaluate(async () => {
        const axe = (
          globalThis as unknown as {
            axe: {
              run: (
                ctx: unknown,
                opts: unknown,
              ) => Promise<{ violations: Violation[] }>;
            };
          }
        ).axe;
        const result = await axe.run(globalThis, {
          resultTypes: ["violations"],
          // WCAG 2.2's target size (24 by 24 CSS pixels) is off in axe by default.
          rules: { "target-size": { enabled: true } },
        });
        return result.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          nodes: v.nodes.map((n) => ({ target: n.target })),
        }));
      })) as Violation[];
      const bad = violations.filter(
        (v) => v.impact === "serious" || v.impact === "critical",
      );
      expect(
        bad.map(
          (v) =>
            `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
        ),
      ).toEqual([]);
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
      expect(await axeFindings(page, ["color-contrast"])).toEqual([]);
      await page.close();
    }, 60_000);
  }

  it("does report a violation when there is one (the check can fail)", async ({
    expect,
  }) => {
    const page = await context.newPage();
    await page.goto(server.base + "/help");
    await page.setContent(
      '<html lang="en"><title>t</title><main><img src="x.png"><input type="text"></main></html>',
    );
    await page.evaluate(axeSource);
    const ids = (await page.evaluate(async () => {
      const axe = (
        globalThis as unknown as {
          axe: {
            run: (ctx: unknown) => Promise<{ violations: { id: string }[] }>;
          };
        }
      ).axe;
      return (await axe.run(globalThis)).violations.map((v) => v.id);
    })) as string[];
    expect(ids).toEqual(expect.arrayContaining(["image-alt", "label"]));
    await page.close();
  }, 60_000);

  it("finds none on the results of a batch search", async ({ expect }) => {
    const page = await context.newPage();
    await page.goto(server.base + "/batch");
    await page.getByLabel("Queries, one per line").fill("zeugma\nceasefire");
    await page.getByRole("button", { name: "Search all" }).click();
    await page.waitForSelector("table.batch-results");
    await page.evaluate(axeSource);
    const impacts = (await page.evaluate(async () => {
      const axe = (
        globalThis as unknown as {
          axe: {
            run: (
              ctx: unknown,
            ) => Promise<{ violations: { id: string; impact: string }[] }>;
          };
        }
      ).axe;
      return (await axe.run(globalThis)).violations.map(
        (v) => `${v.id}:${v.impact}`,
      );
    })) as string[];
    expect(
      impacts.filter((v) => v.endsWith(":serious") || v.endsWith(":critical")),
    ).toEqual([]);
    await page.close();
  }, 60_000);
});

describe.concurrent("target size (WCAG 2.2, 2.5.8)", () => {
  // axe lets a small target pass when the targets around it are far enough away; the
  // controls of a form are measured here instead, each at least 24 by 24 CSS pixels.
  for (const path of [
    "/search?q=the&source=Port+Authority&source=Council+of+the+EU",
    "/search?q=the&size=2&page=2",
    "/statements/seed-format-ceasefire?q=ceasefire",
    "/batch",
  ]) {
    it(`gives every control, filter chip and pager link 24 by 24 CSS pixels on ${path}`, async ({
      expect,
    }) => {
      const page = await context.newPage();
      await page.goto(server.base + path);
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
      const small = boxes
        .filter((b) => b.width < 24 || b.height < 24)
        .map((b) => `${b.html} ${Math.round(b.width)}×${Math.round(b.height)}`);
      expect(small).toEqual([]);
      await page.close();
    }, 60_000);
  }
});
