/**
 * Where a results page's time goes: Readout's server, started as the bench starts it
 * (NODE_ENV=production) under `--cpu-prof`, loaded by autocannon with the mix's results
 * pages, then its CPU profile split into the parts of a page (search, facets, timeline,
 * snippets, EJS, escaping, serialization, compression, HTTP, GC).
 *
 *   npx tsx scripts/bench/profile.ts [DATA_DIR] [--seconds 10] [--connections 10] [--uncached]
 *   npx tsx scripts/bench/profile.ts SYNTHETIC_DIR --pg SPEC [--seconds 10] [--connections 10]
 *
 * DATA_DIR defaults to the shared real corpus. With `--pg`, the server serves the database
 * (query cache off, as the PostgreSQL bench runs it; the mix from the folder's first file),
 * and what the shards' backends were doing is sampled every 20 ms while the load runs:
 * the share of samples per state, wait event and kind of query, next to the Node profile. A sample counts for the part of the first
 * frame, from the innermost out, that names one (so `escapeHtml` called by EJS is escaping).
 * Compression runs partly on libuv's threads, which a main-thread profile does not see.
 */
import autocannon from "autocannon";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadStatements } from "../../src/ingest/load.ts";
import { cacheDir, realCorpus } from "./corpora.ts";
import { readoutPaths } from "./measure-http.ts";
import { awaitCache } from "./measure-start.ts";
import { deriveMix } from "./mix.ts";
import { Shards } from "../../src/engines/postgres/shards.ts";
import { parseSpec } from "../../src/engines/postgres/spec.ts";
import { readoutServerArgs, startServer } from "./server.ts";

const { values, positionals } = parseArgs({
  options: {
    seconds: { type: "string", default: "10" },
    connections: { type: "string", default: "10" },
    /** READOUT_QUERY_CACHE=0: every page searches and renders. */
    uncached: { type: "boolean", default: false },
    /** Only split an existing profile (of the last `--seconds`), for `--pages` pages. */
    analyze: { type: "string" },
    pages: { type: "string", default: "1" },
    pg: { type: "string" },
  },
  allowPositionals: true,
});
const analyzed = values.analyze;
const { file, answered, loadMicros } = analyzed
  ? {
      file: analyzed,
      answered: Number(values.pages),
      loadMicros: (Number(values.seconds) + 0.5) * 1e6,
    }
  : await profileServer();
interface Node {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
const profile = JSON.parse(await readFile(file, "utf8")) as {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  endTime: number;
};

// A sample counts for the highest of the parts on its stack, in this order: escaping called
// by EJS is escaping, a tokenizer called by a snippet is snippets, EJS called by Express is EJS.
const PARTS: [string, (fn: string, url: string) => boolean][] = [
  ["(idle)", (fn) => fn === "(idle)"],
  ["GC", (fn) => fn === "(garbage collector)"],
  ["escaping", (fn) => /^(escapeHtml|escapeXML|encodeXML)$/.test(fn)],
  [
    "snippets + title marks",
    (fn, u) => /src\/highlight\.ts/.test(u) || fn === "toHit",
  ],
  ["facets", (_, u) => u.includes("engines/memory/facets.ts")],
  [
    "PostgreSQL client (queries, rows)",
    (_, u) =>
      /engines\/postgres\/|node_modules\/(pg|pg-protocol|pg-pool)\//.test(u),
  ],
  ["timeline", (_, u) => u.includes("engines/memory/timeline.ts")],
  [
    "page model (search-model, urls, pager)",
    (_, u) => /src\/web\/(search-model|urls|pager)\.ts/.test(u),
  ],
  [
    "EJS (compile + render)",
    (_, u) => /node_modules\/ejs\/|views\/.*\.ejs|src\/web\/views\.ts/.test(u),
  ],
  [
    "search (parse, evaluate, rank, group, spelling)",
    (_, u) => /src\/(engines\/memory|search|query|text)\//.test(u),
  ],
  ["JSON serialization", (fn) => fn === "stringify"],
  [
    "compression",
    (fn, u) => /compression|zlib/.test(u) || /zlib|brotli/i.test(fn),
  ],
  [
    "Express, helmet, HTTP",
    (_, u) => /node_modules\/|node:|src\/web\//.test(u),
  ],
];
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes)
  for (const c of n.children ?? []) parent.set(c, n.id);
const rank = (id: number) => {
  const { functionName, url } = byId.get(id)!.callFrame;
  const at = PARTS.findIndex(([, test]) => test(functionName, url));
  return at < 0 ? PARTS.length : at;
};
const partOf = new Map<number, number>();
const classify = (id: number): number => {
  const known = partOf.get(id);
  if (known !== undefined) return known;
  const up = parent.get(id);
  const part = Math.min(
    rank(id),
    up === undefined ? PARTS.length : classify(up),
  );
  partOf.set(id, part);
  return part;
};
const name = (part: number) => PARTS[part]?.[0] ?? "other";
const time = new Map<string, number>();
let at = profile.endTime - profile.timeDeltas.reduce((n, d) => n + d, 0);
profile.samples.forEach((id, i) => {
  at += profile.timeDeltas[i] ?? 0;
  if (at < profile.endTime - loadMicros) return;
  const part = name(classify(id));
  time.set(part, (time.get(part) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
const busy = [...time].filter(([p]) => p !== "(idle)");
const total = busy.reduce((n, [, t]) => n + t, 0);
console.log(
  `\n| part | share of busy CPU | ms per page |\n| --- | ---: | ---: |`,
);
for (const [part, t] of busy.sort((a, b) => b[1] - a[1]))
  console.log(
    `| ${part} | ${((100 * t) / total).toFixed(1)}% | ${(t / 1000 / answered).toFixed(2)} |`,
  );
console.log(
  `| all (main thread) | 100% | ${(total / 1000 / answered).toFixed(2)} |`,
);
console.log(`\nprofile: ${file}`);

/** Starts, loads and stops the server; the profile written, pages answered, load time in µs. */
async function profileServer() {
  const dir = positionals[0] ?? (await realCorpus()).dir;
  const spec = values.pg;
  // From PostgreSQL, the mix of the first file, as the PostgreSQL bench derives it.
  const first = spec
    ? (await readdir(dir)).filter((f) => f.endsWith(".jsonl")).sort()[0]
    : undefined;
  const { statements } = await loadStatements(
    dir,
    first ? { include: (f) => f === first } : {},
  );
  const mix = deriveMix(statements);
  const paths = readoutPaths(mix);
  const common = new URLSearchParams(mix[1]!.params);

  const out = await mkdtemp(path.join(os.tmpdir(), "readout-profile-"));
  const server = await startServer(
    spec
      ? [
          "src/cli.ts",
          "serve",
          "--port",
          "0",
          "--pg",
          spec,
          "--trust-proxy",
          "loopback",
        ]
      : readoutServerArgs(dir),
    `/search.json?${common}`,
    20 * 60_000,
    {
      nodeFlags: ["--cpu-prof", "--cpu-prof-dir", out],
      env: values.uncached || spec ? { READOUT_QUERY_CACHE: "0" } : {},
    },
  );
  if (!spec) await awaitCache(cacheDir(dir), 20 * 60_000);
  const backends = spec ? sampleBackends(spec) : undefined;
  const loadStarted = performance.now();
  let sent = 0;
  const connections = Number(values.connections);
  const result = await autocannon({
    url: server.origin,
    connections,
    duration: Number(values.seconds),
    // One address per connection, as the bench's load (measure-http.ts).
    requests: paths.map((p) => ({
      method: "GET",
      path: p,
      setupRequest: (request: object) => ({
        ...request,
        headers: { "x-forwarded-for": `10.0.0.${sent++ % connections}` },
      }),
    })),
  });
  // Pages still being worked on end first (from PostgreSQL at 1,000,000 a page takes
  // seconds): a server stopped with pages running is killed before it writes its profile.
  await new Promise((r) =>
    setTimeout(r, Math.min(60_000, 2 * result.latency.p99)),
  );
  await backends?.stop();
  await server.stop();
  // Only the samples from the load on count, not the start (the profile ends at the exit).
  const loadMicros = (performance.now() - loadStarted) * 1000;
  console.log(
    `${Math.round(result.requests.average)} requests/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}, errors ${result.errors}; load ${os.loadavg()[0]!.toFixed(2)}`,
  );

  const written = (await readdir(out)).find((f) => f.endsWith(".cpuprofile"));
  if (!written) throw new Error(`profile: no .cpuprofile written in ${out}`);
  return {
    file: path.join(out, written),
    answered: result["2xx"] + result.non2xx,
    loadMicros,
  };
}

/**
 * Samples what the serving role's backends on every shard are doing, every 20 ms, until
 * stopped; then prints the share of samples per state, wait event and kind of query (its
 * first words up to FROM, with numbers and literals left out).
 */
function sampleBackends(spec: string) {
  const shards = new Shards(parseSpec(spec), "readout_reader", 1);
  const seen = new Map<string, number>();
  let samples = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const started = performance.now();
      await Promise.all(
        Array.from({ length: shards.count }, (_, shard) =>
          shards
            .read(shard, (c) =>
              c.query<{ state: string; wait: string | null; query: string }>(
                `SELECT state, wait_event_type || ':' || wait_event AS wait, query
                   FROM pg_stat_activity
                  WHERE usename = current_user AND pid <> pg_backend_pid() AND state <> 'idle'`,
              ),
            )
            .then(({ rows }) => {
              for (const r of rows) {
                const key = `shard ${shard + 1} | ${r.state} | ${r.wait ?? "CPU"} | ${kindOf(r.query)}`;
                seen.set(key, (seen.get(key) ?? 0) + 1);
              }
            }),
        ),
      );
      samples++;
      await new Promise((r) =>
        setTimeout(r, Math.max(0, 20 - (performance.now() - started))),
      );
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      await shards.close();
      console.log(
        `\nBackends busy, per sample of every shard (${samples} samples, 20 ms apart): the mean number of backends in each state\n\n| shard | state | waiting on | query | backends busy (mean) |\n| --- | --- | --- | --- | ---: |`,
      );
      for (const [key, n] of [...seen].sort((a, b) => b[1] - a[1]).slice(0, 25))
        console.log(`| ${key} | ${(n / samples).toFixed(2)} |`);
    },
  };
}

// A query's kind: its text up to the first FROM, or its first 80 characters, on one line.
function kindOf(query: string): string {
  const flat = query.replace(/\s+/g, " ").trim();
  const cut = flat.search(/\bFROM\b/i);
  return (cut > 0 ? flat.slice(0, cut) : flat).slice(0, 80).replace(/\|/g, "/");
}
