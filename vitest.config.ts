import { existsSync } from "node:fs";
import { configDefaults, defineConfig } from "vitest/config";
import { browserMissing } from "./tests/setup/chromium.ts";

// Without Chromium the browser tests cannot run: outside CI they are left out (the global
// setup says so and how to install it); in CI they run, and the setup fails the run.
const leaveOut = browserMissing(process.env, existsSync) === "skip";

export default defineConfig({
  test: {
    exclude: [
      ...configDefaults.exclude,
      ...(leaveOut ? ["tests/browser/**"] : []),
    ],
    globalSetup: ["tests/setup/global.ts", "tests/setup/postgres.ts"],
    setupFiles: ["tests/setup/time-limit.ts"],
    // Two files at once even on two cores: browser, HTTP and PostgreSQL tests spend much of
    // their time waiting on another process, which the other file's test fills (measured:
    // the whole suite 347 s with one worker, 280 s with two, on the same loaded machine).
    maxWorkers: 2,
    // Tests do real work (fixture archives built, pages rendered, a browser driven); on a
    // shared two-core machine Vitest's 5 s tripped on load, not on a fault (a query test's
    // fixture took 6 s at load 15). A test that hangs still fails.
    testTimeout: 20_000,
    // Files share one module graph per worker instead of importing the app afresh each time
    // (the suite spent 39 s of its 147 s importing; 9 s without isolation). It holds because
    // no test mocks a module or leaves a global changed: tests that touch process.env or
    // console put them back in `finally`.
    isolate: false,
    experimental: {
      // Transformed modules are kept on disk (node_modules/.experimental-vitest-cache), so a run
      // transforms only the files changed since the last (the run spent 30 s transforming).
      fsModuleCache: true,
    },
  },
});
