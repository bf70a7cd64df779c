import type { Server } from "node:http";
import type { Config } from "../config.ts";
import { createApp } from "../web/app.ts";
import { printProblems } from "./format.ts";
import { indexStatements, readFolder } from "./load.ts";

const MAX_PROBLEMS_SHOWN = 20;

/**
 * `readout serve`: reads and indexes the data folder, then serves it until stopped. Resolves
 * only when it cannot start, with the exit code.
 */
export async function serveArchive(config: Config): Promise<number> {
  const started = performance.now();
  // A log (not a terminal) still gets a progress line every few seconds: big archives take minutes.
  const loaded = await readFolder(config.data, process.stderr);
  if (!loaded) return 1;
  printProblems(loaded.problems, MAX_PROBLEMS_SHOWN, "see /about");
  if (config.strict && loaded.problems.length > 0) {
    console.error(
      `Stopped: --strict is on and ${loaded.problems.length} problem(s) were found.`,
    );
    return 1;
  }

  const corpus = indexStatements(loaded, process.stderr);
  const loadMs = performance.now() - started;
  const skipped = loaded.problems.filter((p) => !p.kept).length;
  console.log(
    `Indexed ${loaded.statements.length.toLocaleString("en")} statements from ${loaded.files.toLocaleString("en")} files in ${(loadMs / 1000).toFixed(1)} s` +
      (loaded.problems.length ? `; skipped ${skipped} — see /about` : ""),
  );

  const app = createApp({
    corpus,
    problems: loaded.problems,
    files: loaded.files,
    dataDir: config.data,
    loadMs,
  });
  const server: Server = app.listen(config.port, config.host);
  return new Promise((resolve) => {
    server.on("listening", () => {
      const address = server.address();
      const port =
        typeof address === "object" && address ? address.port : config.port;
      const host = config.host.includes(":") ? `[${config.host}]` : config.host;
      console.log(
        `Readout is serving ${config.data} at http://${host}:${port}/`,
      );
    });
    server.on("error", (err: NodeJS.ErrnoException) => {
      console.error(listenError(err, config));
      resolve(1);
    });
  });
}

function listenError(err: NodeJS.ErrnoException, config: Config): string {
  switch (err.code) {
    case "EADDRINUSE":
      return `Port ${config.port} on ${config.host} is already in use: stop the other program or choose another with --port.`;
    case "EADDRNOTAVAIL":
      return `Cannot listen on ${config.host}: this computer has no such address (--host).`;
    case "EACCES":
      return `Not allowed to listen on port ${config.port}: choose a port above 1023 with --port.`;
    default:
      return `Cannot listen on ${config.host}:${config.port}: ${err.message}`;
  }
}
