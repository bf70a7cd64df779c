#!/usr/bin/env node
// The `readout` command. Readout runs its TypeScript through tsx and has no build step, so
// this registers the project's own tsx (resolved from this file, whatever the working
// folder) and runs src/cli.ts in this same process: argv, stdio, signals and the exit code
// are then the command's own, with no child process to relay them to.
import { fileURLToPath } from "node:url";

try {
  await import("tsx");
} catch (err) {
  if (err?.code !== "ERR_MODULE_NOT_FOUND" || !/'tsx'/.test(err.message))
    throw err;
  const root = fileURLToPath(new URL("..", import.meta.url));
  console.error(
    `readout: tsx is not installed; run "npm ci" in ${root} (tsx is a dev dependency)`,
  );
  process.exit(1);
}
await import("../src/cli.ts");
