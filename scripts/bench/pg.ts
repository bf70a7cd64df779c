/**
 * `npm run bench -- --pg SPEC [--sizes N] [--fresh]`: the PostgreSQL engine on a synthetic
 * corpus (issue 13): import rate, the memory bench's fixed query mix (p50/p99, snippets and
 * facets in), the Node process's RSS while serving, and the results page over HTTP at 10
 * connections. `--fresh` empties the database first, so the import is measured from nothing.
 */
import { readdir } from "node:fs/promises";
import { parseArgs } from "node:util";
import path from "node:path";
import { loadStatements } from "../../src/ingest/load.ts";
import { PostgresArchive } from "../../src/archive.ts";
import { importFolder } from "../../src/engines/postgres/import.ts";
import { Shards } from "../../src/engines/postgres/shards.ts";
import { parseSpec } from "../../src/engines/postgres/spec.ts";
import { parseQuery } from "../../src/query/params.ts";
import { loadTest, readoutPaths } from "./measure-http.ts";
import { deriveMix } from "./mix.ts";
import { startServer } from "./server.ts";
import { syntheticCorpus } from "./synthetic.ts";

const log = (line: string) => console.error(`bench pg: ${line}`);

/** `--pg SPEC [--sizes N] [--fresh] [--seed N] [--duration S] [--connections N]`. */
export function parsePgOptions(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      pg: { type: "string" },
      sizes: { type: "string" },
      fresh: { type: "boolean" },
      seed: { type: "string" },
      duration: { type: "string" },
      connections: { type: "string" },
    },
    strict: true,
  });
  return {
    spec: values.pg!,
    size: Number(values.sizes ?? 1_000_000),
    seed: Number(values.seed ?? 1),
    fresh: values.fresh ?? false,
    rounds: 5,
    duration: Number(values.duration ?? 10),
    connections: Number(values.connections ?? 10),
  };
}

/** Runs the PostgreSQL bench; resolves with the Markdown table. */
export async function benchPostgres(options: {
  spec: string;
  size: number;
  seed: number;
  fresh: boolean;
  rounds: number;
  duration: number;
  connections: number;
}): Promise<string> {
  const spec = parseSpec(options.spec);
  const dir = await syntheticCorpus(options.size, options.seed, log);
  const writer = new Shards(spec, "readout_writer", 2);
  if (options.fresh) {
    log("emptying the database");
    for (let shard = 0; shard < writer.count; shard++)
      await writer.write(shard, (c) =>
        c.query(
          "DROP TABLE IF EXISTS statements, vocabulary, stats, field_values, files, readout_meta CASCADE",
        ),
      );
  }
  log(`importing ${dir}`);
  let last = 0;
  const imported = await importFolder(writer, dir, {
    onProgress: (p) => {
      if (p.statements - last >= 20_000) {
        last = p.statements;
        log(`imported ${p.statements.toLocaleString("en")} statements`);
      }
    },
    log,
  });
  await writer.close();
  const importRate = imported.read
    ? (imported.added + imported.updated) / imported.seconds
    : NaN;
  log(
    `import: ${imported.seconds.toFixed(0)} s, ${importRate.toFixed(0)} statements/s`,
  );

  // The mix is derived from the first file's statements: a sample, as the memory bench's is.
  const first = (await readdir(dir))
    .filter((f) => f.endsWith(".jsonl"))
    .sort()[0]!;
  const sample = await loadStatements(dir, { include: (f) => f === first });
  const mix = deriveMix(sample.statements);

  const archive = new PostgresArchive({ spec, refreshMs: 3_600_000 });
  await archive.open();
  const fields = archive.fields();
  const timings: number[] = [];
  const perKind: string[] = [];
  for (const q of mix) {
    const page = await archive.search(parseQuery(q.params, fields));
    const ms: number[] = [];
    for (let r = 0; r < options.rounds; r++) {
      const started = performance.now();
      await archive.search(parseQuery(q.params, fields));
      ms.push(performance.now() - started);
    }
    timings.push(...ms);
    perKind.push(
      `| ${q.kind} | ${page.total.toLocaleString("en")} | ${percentile(ms, 0.5).toFixed(1)} | ${Math.max(...ms).toFixed(1)} |`,
    );
    log(
      `${q.kind}: ${page.total} matches, p50 ${percentile(ms, 0.5).toFixed(1)} ms`,
    );
  }
  await archive.close();

  // The server in a process of its own, as `npm start -- --pg` runs it: its memory is Readout's.
  const server = await startServer(
    ["src/cli.ts", "serve", "--port", "0", "--pg", options.spec],
    `/search.json?${new URLSearchParams(mix[0]!.params)}`,
    120_000,
  );
  const http = await loadTest(
    server.origin,
    readoutPaths(mix),
    { duration: options.duration, connections: options.connections },
    () => server.memory().rss,
  );
  const peakRss = Math.max(http.servingRss, server.memory().rss);
  await server.stop();

  const p50 = percentile(timings, 0.5);
  const p99 = percentile(timings, 0.99);
  const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`;
  return [
    `PostgreSQL engine, ${options.size.toLocaleString("en")} synthetic statements, ${spec.shards.length} shard(s)`,
    "",
    "| | measured | target |",
    "| --- | ---: | ---: |",
    `| import | ${Number.isNaN(importRate) ? "nothing to import" : `${importRate.toFixed(0)} statements/s (${imported.seconds.toFixed(0)} s)`} | ≥ 1,500 statements/s |`,
    `| query mix p50 / p99 | ${p50.toFixed(1)} / ${p99.toFixed(1)} ms | ≤ 50 ms / ≤ 1 s |`,
    `| Node RSS serving (the server process, during the HTTP test) | ${mb(peakRss)} | ≤ 300 MB |`,
    `| results page, ${options.connections} connections | ${http.requestsPerSec.toFixed(1)} requests/s, ${http.non2xx} non-2xx, ${http.errors} errors | ≥ 50 requests/s, no errors |`,
    "",
    "| query | matches | p50 ms | max ms |",
    "| --- | ---: | ---: | ---: |",
    ...perKind,
    "",
  ].join("\n");
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN
  );
}

export const benchDirOf = (dir: string) => path.resolve(dir);
