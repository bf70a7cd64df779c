import type { Server } from "node:http";
import { ConfigError, loadConfig, usage } from "./config.ts";
import { buildCorpus } from "./corpus.ts";
import { loadStatements, type Problem } from "./ingest/load.ts";
import { progressLine } from "./progress.ts";
import { createApp } from "./web/app.ts";

const MAX_PROBLEMS_SHOWN = 20;

async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig(process.argv.slice(2), process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
  if (config.help) {
    console.log(usage);
    return 0;
  }

  const started = performance.now();
  const reading = progressLine(process.stderr, "Reading");
  let loaded;
  try {
    loaded = await loadStatements(config.data, {
      onProgress: (p) =>
        reading.update(p.statements, `${p.files}/${p.totalFiles} files`),
    });
  } catch (err) {
    reading.done();
    console.error((err as Error).message);
    return 1;
  }
  reading.done();
  printProblems(loaded.problems);
  if (config.strict && loaded.problems.length > 0) {
    console.error(
      `Stopped: --strict is on and ${loaded.problems.length} problem(s) were found.`,
    );
    return 1;
  }

  const indexing = progressLine(process.stderr, "Indexing");
  const corpus = buildCorpus(loaded.statements, (done) =>
    indexing.update(done),
  );
  indexing.done();
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
      if (err.code === "EADDRINUSE")
        console.error(
          `Port ${config.port} on ${config.host} is already in use: stop the other program or choose another with --port.`,
        );
      else if (err.code === "EADDRNOTAVAIL")
        console.error(
          `Cannot listen on ${config.host}: this computer has no such address (--host).`,
        );
      else if (err.code === "EACCES")
        console.error(
          `Not allowed to listen on port ${config.port}: choose a port above 1023 with --port.`,
        );
      else
        console.error(
          `Cannot listen on ${config.host}:${config.port}: ${err.message}`,
        );
      resolve(1);
    });
  });
}

function printProblems(problems: Problem[]): void {
  for (const p of problems.slice(0, MAX_PROBLEMS_SHOWN)) {
    console.error(
      `${p.kept ? "warning" : "skipped"}: ${p.file}${p.line ? `:${p.line}` : ""}: ${p.message}`,
    );
  }
  if (problems.length > MAX_PROBLEMS_SHOWN) {
    console.error(
      `… and ${problems.length - MAX_PROBLEMS_SHOWN} more problems — see /about`,
    );
  }
}

const code = await main();
if (code !== 0) process.exit(code);
