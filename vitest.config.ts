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
    globalSetup: ["tests/setup/global.ts"],
  },
});
