#!/usr/bin/env node
// The `readout` command: the launcher sets the heap limit for this computer (or
// --max-memory), then runs the compiled CLI. Both come from dist/, built by `npm run build`
// (which `npm ci`, `npm start` and `npm pack` run).
let launcher;
try {
  launcher = await import("../dist/runtime/launcher.js");
} catch (err) {
  if (
    err?.code !== "ERR_MODULE_NOT_FOUND" ||
    !/dist[/\\]runtime[/\\]launcher\.js/.test(err.message)
  )
    throw err;
  const { fileURLToPath } = await import("node:url");
  const root = fileURLToPath(new URL("..", import.meta.url));
  console.error(
    `readout: ${root}dist/ is not built; run "npm run build" (or "npm ci") in ${root}`,
  );
  process.exit(1);
}
await launcher.launch(new URL("../dist/cli.js", import.meta.url));
