import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { browserMissing, missingMessage } from "./chromium.ts";

const root = path.resolve(import.meta.dirname, "..", "..");

/**
 * Before any test: fail at once in CI without Chromium, or say that the browser tests are left
 * out; and build dist/ when src/ is newer, since the tests of bin/readout.js run the build.
 */
export function setup(): void {
  const missing = browserMissing(process.env, existsSync);
  if (missing === "fail") throw new Error(missingMessage(process.env, "fail"));
  if (missing === "skip") notice(missingMessage(process.env, "skip"));
  const build = spawnSync(
    process.execPath,
    [path.join(root, "scripts", "tools", "build.js"), "--if-stale"],
    { stdio: "inherit" },
  );
  // tsc still writes dist/ on a type error; the tests of the bin then run what it wrote,
  // and `npm test` fails on the type check anyway.
  if (build.status !== 0)
    notice(
      "The build (scripts/tools/build.js) failed: the tests of bin/readout.js run what it wrote.",
    );
}

/** After every test, the notice again, so it is not lost above the results. */
export function teardown(): void {
  const missing = browserMissing(process.env, existsSync);
  if (missing === "skip") notice(missingMessage(process.env, "skip"));
}

function notice(text: string): void {
  process.stderr.write(`\n*** ${text}\n\n`);
}
