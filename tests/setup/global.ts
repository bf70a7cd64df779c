import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";
import type { TestProject } from "vitest/node";
import {
  browserMissing,
  chromiumArgs,
  chromiumPath,
  missingMessage,
} from "./chromium.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** The run's one Chromium (`chromium.connect` reaches it), or null without one. */
    chromium: string | null;
  }
}

const root = path.resolve(import.meta.dirname, "..", "..");

/**
 * Before any test: fail at once in CI without Chromium, or say that the browser tests are left
 * out; build dist/ when src/ is newer, since the tests of bin/readout.js run the build; and
 * start the run's one Chromium, which every browser test file connects to with a context of its
 * own (a Chromium per file cost each of nine files a launch, and had several running at once).
 */
export async function setup(
  project: TestProject,
): Promise<() => Promise<void>> {
  const missing = browserMissing(process.env, existsSync);
  if (missing === "fail") throw new Error(missingMessage(process.env, "fail"));
  if (missing === "skip") notice(missingMessage(process.env, "skip"));
  // Chromium starts while dist/ is built.
  const server = missing
    ? undefined
    : chromium.launchServer({
        executablePath: chromiumPath(process.env),
        args: chromiumArgs,
      });
  const build = await new Promise<number | null>((done) =>
    spawn(
      process.execPath,
      [path.join(root, "scripts", "tools", "build.js"), "--if-stale"],
      { stdio: "inherit" },
    ).on("close", done),
  );
  // tsc still writes dist/ on a type error; the tests of the bin then run what it wrote,
  // and `npm test` fails on the type check anyway.
  if (build !== 0)
    notice(
      "The build (scripts/tools/build.js) failed: the tests of bin/readout.js run what it wrote.",
    );
  const browser = await server;
  project.provide("chromium", browser?.wsEndpoint() ?? null);
  return async () => {
    await browser?.close();
    // After every test, the notice again, so it is not lost above the results.
    if (missing === "skip") notice(missingMessage(process.env, "skip"));
  };
}

function notice(text: string): void {
  process.stderr.write(`\n*** ${text}\n\n`);
}
