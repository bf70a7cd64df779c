import type { Express } from "express";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, inject } from "vitest";
import { fixtureApp } from "../helpers.ts";

/**
 * The run's one Chromium, started by the global setup (tests/setup/global.ts), as a connection
 * of this file's own: what it opens is its own, and `close()` closes that and disconnects,
 * leaving Chromium to the other files.
 */
export function launchBrowser(): Promise<Browser> {
  const endpoint = inject("chromium");
  if (!endpoint)
    throw new Error(
      "tests/browser: no Chromium was started for this run (tests/setup/global.ts)",
    );
  return chromium.connect(endpoint);
}

/** Serves an app on a free loopback port; returns its base URL and a way to stop it. */
export async function serve(
  app: Express,
): Promise<{ base: string; close: () => Promise<void> }> {
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

let axeSource: string | undefined;

/** Which axe-core rules to run: `only` these, or the defaults with `enable` switched on. */
export interface AxeRules {
  only?: string[];
  enable?: string[];
}

/**
 * axe-core's serious and critical findings on the page as it is now, one line each (rule,
 * impact, help, where). The page's context must bypass its CSP: axe is injected, once per
 * document (injecting it costs about as much as running it).
 */
export async function axeFindings(
  page: Page,
  rules: AxeRules = {},
): Promise<string[]> {
  axeSource ??= await readFile(
    createRequire(import.meta.url).resolve("axe-core/axe.min.js"),
    "utf8",
  );
  if (!(await page.evaluate(() => "axe" in globalThis)))
    await page.evaluate(axeSource);
  return page.evaluate(async ({ only, enable }) => {
    const { axe } = globalThis as unknown as {
      axe: {
        run(
          context: unknown,
          options: unknown,
        ): Promise<{
          violations: {
            id: string;
            impact: string | null;
            help: string;
            nodes: { target: string[] }[];
          }[];
        }>;
      };
    };
    const { violations } = await axe.run(globalThis, {
      resultTypes: ["violations"],
      ...(only ? { runOnly: only } : {}),
      ...(enable
        ? {
            rules: Object.fromEntries(
              enable.map((id) => [id, { enabled: true }]),
            ),
          }
        : {}),
    });
    return violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map(
        (v) =>
          `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
      );
  }, rules);
}

/**
 * For the tests of one file: the app (the fixture app unless given) served on loopback and a
 * Chromium, started before the tests and closed after them.
 */
export function servedBrowser(makeApp: () => Promise<Express> = fixtureApp): {
  readonly browser: Browser;
  readonly base: string;
} {
  let browser: Browser | undefined;
  let server: Awaited<ReturnType<typeof serve>> | undefined;
  beforeAll(async () => {
    server = await serve(await makeApp());
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    get browser() {
      return browser!;
    },
    get base() {
      return server!.base;
    },
  };
}
