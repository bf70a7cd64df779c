// `npm test`: the type check and every test, side by side. The tests leave a core idle for
// part of their run (they wait on Chromium, PostgreSQL and the processes they start), which
// the type check fills; one after the other, its 7–8 s came on top of the tests'.
//
//   node scripts/test.js [vitest options]   e.g. `npm test -- tests/http`
//
// Vitest's output streams as it comes; the type check's is printed after it, and the exit
// code is the first failure's (the type check's, else the tests').
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";

const resolve = createRequire(import.meta.url).resolve;
// Vitest's package exports do not list its command; it stands beside package.json.
const vitest = path.join(
  path.dirname(resolve("vitest/package.json")),
  "vitest.mjs",
);

/** Runs a Node script; resolves with its exit code and, when `quiet`, what it printed. */
function run(script, args, quiet) {
  return new Promise((done) => {
    const child = spawn(process.execPath, [script, ...args], {
      stdio: quiet ? ["ignore", "pipe", "pipe"] : "inherit",
    });
    let output = "";
    if (quiet) {
      child.stdout.on("data", (d) => (output += d));
      child.stderr.on("data", (d) => (output += d));
    }
    child.on("error", (err) => done({ code: 1, output: String(err) }));
    child.on("close", (code, signal) =>
      done({ code: code ?? (signal ? 1 : 0), output }),
    );
  });
}

const [types, tests] = await Promise.all([
  run(resolve("typescript/bin/tsc"), ["--noEmit"], true),
  run(vitest, ["run", ...process.argv.slice(2)], false),
]);

if (types.code === 0) {
  process.stdout.write("\nType check (tsc --noEmit): no errors.\n");
} else {
  process.stdout.write(
    `\nType check (tsc --noEmit) failed:\n\n${types.output.trimEnd()}\n`,
  );
}
process.exit(types.code || tests.code);
