/**
 * `npm run bench -- --pg SPEC [--sizes N] [--fresh] [--anchor]`: the PostgreSQL engine on a
 * synthetic corpus, every row of issue 22's table against its targets: the import (rate, and
 * the Node process's peak RSS sampled while it runs), the memory bench's query mix (p50/p99,
 * snippets and facets in), a phrase of two common words and a source filter with a common
 * word (cold and warm), the results page over HTTP at 10 connections with the query cache
 * off and the server's RSS, a CSV export of the broadest match set (bounded in time), and the
 * database size. `--fresh` empties the database first, so the import is measured from
 * nothing; `--anchor` runs plain PostgreSQL full-text search on the same data in the same run
 * (pg-anchor.ts) and prints Readout's figures as ratios of its.
 */
import { readdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadStatements } from "../../src/ingest/load.ts";
import { PostgresArchive } from "../../src/archive.ts";
import { importFolder } from "../../src/engines/postgres/import.ts";
import { connectionLimits, Shards } from "../../src/engines/postgres/shards.ts";
import { searchTimeLimit } from "../../src/runtime/deadline.ts";
import { parseSpec } from "../../src/engines/postgres/spec.ts";
import { parseQuery } from "../../src/query/params.ts";
import { measureExport } from "./export-rate.ts";
import { loadTest, readoutPaths } from "./measure-http.ts";
import { deriveMix, type MixQuery } from "./mix.ts";
import { Anchor } from "./pg-anchor.ts";
import { startServer } from "./server.ts";
import { benchDir, syntheticCorpus } from "./synthetic.ts";
import { buildVocabulary } from "./vocabulary.ts";

const log = (line: string) =>
  console.error(`bench pg ${new Date().toISOString().slice(11, 19)}: ${line}`);

/** Issue 22's phrase, two statement words of the synthetic vocabulary, each in many statements. */
const PHRASE = ["human", "rights"] as const;

export interface PgOptions {
  spec: string;
  size: number;
  seed: number;
  fresh: boolean;
  anchor: boolean;
  rounds: number;
  duration: number;
  connections: number;
  /** The longest the CSV export is read, in seconds; its rate so far is reported if cut. */
  exportSeconds: number;
}

/** `--pg SPEC [--sizes N] [--fresh] [--anchor] [--seed N] [--duration S] [--connections N] [--export-seconds S]`. */
export function parsePgOptions(argv: string[]): PgOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      pg: { type: "string" },
      sizes: { type: "string" },
      fresh: { type: "boolean" },
      anchor: { type: "boolean" },
      seed: { type: "string" },
      duration: { type: "string" },
      connections: { type: "string" },
      "export-seconds": { type: "string" },
    },
    strict: true,
  });
  const whole = (name: string, raw: string | undefined, fallback: number) => {
    if (raw === undefined) return fallback;
    const n = Number(raw.replace(/_/g, ""));
    if (!Number.isInteger(n) || n < 1)
      throw new Error(
        `bench pg: --${name} must be a whole number ≥ 1, got "${raw}"`,
      );
    return n;
  };
  return {
    spec: values.pg!,
    size: whole("sizes", values.sizes, 1_000_000),
    seed: whole("seed", values.seed, 1),
    fresh: values.fresh ?? false,
    anchor: values.anchor ?? false,
    rounds: 5,
    duration: whole("duration", values.duration, 10),
    connections: whole("connections", values.connections, 10),
    exportSeconds: whole("export-seconds", values["export-seconds"], 240),
  };
}

/** A query timed: matches, the first (cold) run and the warm runs after it. */
interface Timed {
  kind: string;
  q: string;
  total: number;
  cold: number;
  warm: number[];
  /** Parts that did not answer in some run (past the shards' time limit): a partial page. */
  partial: string[];
}

/** Runs the PostgreSQL bench; resolves with the Markdown report. */
export async function benchPostgres(options: PgOptions): Promise<string> {
  const spec = parseSpec(options.spec);
  const dir = await syntheticCorpus(options.size, options.seed, log);
  const partial = path.join(
    benchDir,
    `pg-report-${new Date().toISOString().slice(0, 19).replace(/:/g, "-")}.md`,
  );
  log(`report so far, after each step: ${partial}`);
  const figures: Figures = { options, load: [os.loadavg()[0]!] };
  const save = async () => {
    figures.load.push(os.loadavg()[0]!);
    await writeFile(partial, render(figures));
  };

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
  const importStarted = performance.now();
  // A long import on a busy machine may be stopped: each progress line says the rate so far.
  const { value: imported, peakRss: importRss } = await sampling(() =>
    importFolder(writer, dir, {
      onProgress: (p) => {
        if (p.statements - last >= 20_000) {
          last = p.statements;
          const seconds = (performance.now() - importStarted) / 1000;
          log(
            `imported ${p.statements.toLocaleString("en")} statements in ${seconds.toFixed(0)} s (${(p.statements / seconds).toFixed(0)}/s so far), RSS ${mb(process.memoryUsage.rss())}, load ${os.loadavg()[0]!.toFixed(1)}`,
          );
        }
      },
      log,
    }),
  );
  figures.import = {
    statements: imported.added + imported.updated,
    seconds: imported.seconds,
    peakRss: importRss,
  };
  log(
    `import: ${imported.seconds.toFixed(0)} s, ${rate(figures.import).toFixed(0)} statements/s, peak RSS ${mb(importRss)}`,
  );
  figures.size = await databaseSize(writer);
  await writer.close();
  await save();

  // The mix is derived from the first file's statements: a sample, as the memory bench's is.
  const first = (await readdir(dir))
    .filter((f) => f.endsWith(".jsonl"))
    .sort()[0]!;
  const sample = await loadStatements(dir, { include: (f) => f === first });
  const mix = benchQueries(deriveMix(sample.statements), options.seed);
  figures.mix = mix;

  // The queries are timed to their end: the web's limits (a search stops after 1 s of work,
  // a shard after 8–10 s) would end a common word's page at 1,000,000 with an error or a
  // partial page, and the figure would be of the limit. The server below keeps them.
  searchTimeLimit.seconds = 600;
  connectionLimits.statementMs = 600_000;
  connectionLimits.shardMs = 600_000;
  const archive = new PostgresArchive({ spec, refreshMs: 3_600_000 });
  await archive.open();
  const fields = archive.fields();
  figures.readout = await timeQueries(mix, options.rounds, async (params) => {
    const page = await archive.search(parseQuery(params, fields));
    return { total: page.total, partial: page.unavailable ?? [] };
  });
  await archive.close();
  await save();

  // The server in a process of its own, as `npm start -- --pg` runs it: its memory is
  // Readout's. The query cache is off, so every page is searched again.
  const server = await startServer(
    [
      "src/cli.ts",
      "serve",
      "--port",
      "0",
      "--pg",
      options.spec,
      // The load's clients are told apart by X-Forwarded-For (measure-http.ts), as the
      // memory bench's are: one address for the whole load gets 3 pages at a time.
      "--trust-proxy",
      "loopback",
    ],
    `/search.json?${new URLSearchParams(mix[0]!.params)}`,
    120_000,
    { env: { READOUT_QUERY_CACHE: "0" } },
  );
  try {
    const pages = readoutPaths(mix.filter((q) => !q.extra));
    const http = await loadTest(
      server.origin,
      pages,
      { duration: options.duration, connections: options.connections },
      () => server.memory().rss,
    );
    figures.http = {
      requestsPerSec: http.requestsPerSec,
      non2xx: http.non2xx,
      errors: http.errors,
      rss: Math.max(http.servingRss, server.memory().rss),
    };
    log(
      `results page: ${http.requestsPerSec.toFixed(1)} requests/s, RSS ${mb(figures.http.rss)}`,
    );
    await save();
    const broadest = buildVocabulary(options.seed).words[0]!;
    log(`exporting q=${broadest} as CSV, at most ${options.exportSeconds} s`);
    figures.export = {
      q: broadest,
      ...(await measureExport(
        `${server.origin}/search.csv?${new URLSearchParams({ q: broadest })}`,
        options.exportSeconds,
        () => server.memory().rss,
      )),
    };
    log(
      `export: ${figures.export.rows} rows in ${figures.export.seconds.toFixed(0)} s`,
    );
    await save();
  } finally {
    await server.stop();
  }

  if (options.anchor) {
    log("anchor: plain PostgreSQL full-text search on the same data");
    const anchor = await Anchor.create(spec);
    try {
      const started = performance.now();
      const { value: statements, peakRss } = await sampling(() =>
        anchor.load(dir, log),
      );
      figures.plainImport = {
        statements,
        seconds: (performance.now() - started) / 1000,
        peakRss,
      };
      log(`anchor import: ${figures.plainImport.seconds.toFixed(0)} s`);
      figures.plainSize = await anchor.size();
      await save();
      figures.plain = await timeQueries(
        mix,
        options.rounds,
        async (params) => ({
          total: (await anchor.search(params)).total,
          partial: [],
        }),
      );
      await save();
    } finally {
      await anchor.close();
    }
  }
  await save();
  return render(figures);
}

/** The mix, then issue 22's two hard queries (`extra`: not in the mix's p50/p99). */
function benchQueries(
  mix: MixQuery[],
  seed: number,
): (MixQuery & { extra?: boolean })[] {
  const words = buildVocabulary(seed).words;
  if (!PHRASE.every((w) => words.includes(w)))
    throw new Error(
      `bench pg: "${PHRASE.join(" ")}" is not in the synthetic vocabulary`,
    );
  const common = mix.find((q) => q.kind === "common word")!.params.q!;
  const source = mix.find((q) => q.kind === "source filter")?.params.source;
  const extra = (kind: string, q: string) => ({
    kind,
    params: { q },
    stock: { q },
    extra: true,
  });
  return [
    ...mix,
    extra("phrase of two common words", `"${PHRASE.join(" ")}"`),
    ...(source
      ? [extra('`source:"…"` + a common word', `source:"${source}" ${common}`)]
      : []),
  ];
}

async function timeQueries(
  queries: MixQuery[],
  rounds: number,
  run: (
    params: Record<string, string>,
  ) => Promise<{ total: number; partial: string[] }>,
): Promise<Timed[]> {
  const timed: Timed[] = [];
  for (const q of queries) {
    let started = performance.now();
    const first = await run(q.params);
    const cold = performance.now() - started;
    const partial = new Set(first.partial);
    const warm: number[] = [];
    for (let r = 0; r < rounds; r++) {
      started = performance.now();
      for (const part of (await run(q.params)).partial) partial.add(part);
      warm.push(performance.now() - started);
    }
    timed.push({
      kind: q.kind,
      q: new URLSearchParams(q.params).toString(),
      total: first.total,
      cold,
      warm,
      partial: [...partial].sort(),
    });
    log(
      `${q.kind}: ${first.total} matches, cold ${cold.toFixed(0)} ms, p50 ${percentile(warm, 0.5).toFixed(1)} ms${partial.size ? `, PARTIAL: ${[...partial].join(", ")} did not answer` : ""}`,
    );
  }
  return timed;
}

/** Runs `work` while sampling this process's RSS every 250 ms; its result and the peak. */
async function sampling<T>(
  work: () => Promise<T>,
): Promise<{ value: T; peakRss: number }> {
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(
    () => (peakRss = Math.max(peakRss, process.memoryUsage.rss())),
    250,
  );
  try {
    const value = await work();
    return { value, peakRss: Math.max(peakRss, process.memoryUsage.rss()) };
  } finally {
    clearInterval(sampler);
  }
}

/** `pg_database_size` of Readout's database, summed over the shards. */
async function databaseSize(shards: Shards): Promise<number> {
  let total = 0;
  for (let shard = 0; shard < shards.count; shard++)
    total += await shards.write(shard, async (c) =>
      Number(
        (
          await c.query<{ n: string }>(
            "SELECT pg_database_size(current_database()) AS n",
          )
        ).rows[0]!.n,
      ),
    );
  return total;
}

interface ImportFigures {
  statements: number;
  seconds: number;
  peakRss: number;
}

interface Figures {
  options: PgOptions;
  /** Load averages (1 min) at the start and after each step. */
  load: number[];
  import?: ImportFigures;
  size?: number;
  mix?: (MixQuery & { extra?: boolean })[];
  readout?: Timed[];
  http?: {
    requestsPerSec: number;
    non2xx: number;
    errors: number;
    rss: number;
  };
  export?: Awaited<ReturnType<typeof measureExport>> & { q: string };
  plainImport?: ImportFigures;
  plainSize?: number;
  plain?: Timed[];
}

const GB = 2 ** 30;
const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`;
const gb = (b: number) => `${(b / GB).toFixed(2)} GB`;
const ms = (t: number) => `${t < 10 ? t.toFixed(1) : t.toFixed(0)} ms`;
const rate = (i: ImportFigures) => i.statements / i.seconds;
const int = (n: number) => Math.round(n).toLocaleString("en");
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
/** "yes", or "no: N× the bound" / "no: N% of the target". */
const atMost = (value: number, bound: number) =>
  value <= bound ? "yes" : `no: ${(value / bound).toFixed(1)}× the bound`;
const atLeast = (value: number, target: number) =>
  value >= target
    ? "yes"
    : `no: ${((100 * value) / target).toFixed(0)}% of the target`;

/** The report: issue 22's table with what is measured so far, then the queries one by one. */
export function render(f: Figures): string {
  const o = f.options;
  const pending = "not measured";
  const warmP = (
    t: Timed[] | undefined,
    p: number,
    only = (x: Timed) => !isExtra(f, x),
  ) =>
    t
      ? percentile(
          t.filter(only).flatMap((x) => x.warm),
          p,
        )
      : NaN;
  const byKind = (t: Timed[] | undefined, kind: string) =>
    t?.find((x) => x.kind === kind);
  const coldWarm = (x: Timed | undefined) =>
    x
      ? `${ms(x.cold)} cold, ${ms(percentile(x.warm, 0.5))} warm (${int(x.total)} matches${x.partial.length ? `; partial: ${x.partial.join(", ")} did not answer` : ""})`
      : pending;
  const hard = (kind: string) => {
    const r = byKind(f.readout, kind);
    const p = byKind(f.plain, kind);
    return `| ${kind} | ${coldWarm(r)} | ${p ? coldWarm(p) : "—"} | ${r && p ? ratio(percentile(r.warm, 0.5), percentile(p.warm, 0.5)) : "—"} | ≤ 300 ms | ${r ? atMost(Math.max(r.cold, percentile(r.warm, 0.5)), 300) : "—"} |`;
  };
  const p50 = warmP(f.readout, 0.5);
  const p99 = warmP(f.readout, 0.99);
  // Plain FTS has no typo tolerance: its mix leaves that query out.
  const plainMix = (x: Timed) => !isExtra(f, x) && x.kind !== "typo-tolerant";
  const plainP50 = warmP(f.plain, 0.5, plainMix);
  const plainP99 = warmP(f.plain, 0.99, plainMix);
  const e = f.export;
  const exportRate = e ? e.rows / e.seconds : NaN;
  const lines = [
    `PostgreSQL engine, ${int(o.size)} synthetic statements (seed ${o.seed}), ${parseSpec(o.spec).shards.length} shard(s)${o.anchor ? "; plain PostgreSQL FTS on the same servers and data" : ""}.`,
    `Machine: ${os.cpus().length} CPUs, ${gb(os.totalmem())} RAM; load average (1 min) ${f.load.map((l) => l.toFixed(1)).join(" → ")} at the start and after each step.`,
    "",
    "| | Readout | plain PG FTS | Readout ÷ plain | target | met? |",
    "| --- | ---: | ---: | ---: | ---: | --- |",
    `| import | ${f.import ? `${int(rate(f.import))}/s (${int(f.import.seconds)} s)` : pending} | ${f.plainImport ? `${int(rate(f.plainImport))}/s (${int(f.plainImport.seconds)} s, COPY + GIN)` : "—"} | ${f.import && f.plainImport ? `${ratio(f.import.seconds, f.plainImport.seconds)} the time` : "—"} | ≥ 2,500/s | ${f.import ? atLeast(rate(f.import), 2500) : "—"} |`,
    `| import peak RSS (Node) | ${f.import ? gb(f.import.peakRss) : pending} | ${f.plainImport ? gb(f.plainImport.peakRss) : "—"} | ${f.import && f.plainImport ? ratio(f.import.peakRss, f.plainImport.peakRss) : "—"} | ≤ 1 GB | ${f.import ? atMost(f.import.peakRss, GB) : "—"} |`,
    `| query mix p50 / p99 (warm) | ${f.readout ? `${ms(p50)} / ${ms(p99)}` : pending} | ${f.plain ? `${ms(plainP50)} / ${ms(plainP99)}` : "—"} | ${f.readout && f.plain ? `${ratio(p50, plainP50)} / ${ratio(p99, plainP99)}` : "—"} | ≤ 30 / ≤ 300 ms | ${f.readout ? (p50 <= 30 && p99 <= 300 ? "yes" : `p50 ${atMost(p50, 30)}; p99 ${atMost(p99, 300)}`) : "—"} |`,
    `| results page, ${o.connections} connections, uncached | ${f.http ? `${f.http.requestsPerSec.toFixed(1)} req/s (${f.http.non2xx} non-2xx, ${f.http.errors} errors)` : pending} | — | — | ≥ 60 req/s | ${f.http ? atLeast(f.http.requestsPerSec, 60) : "—"} |`,
    `| Node RSS serving | ${f.http ? mb(f.http.rss) : pending} | — | — | ≤ 300 MB | ${f.http ? atMost(f.http.rss, 300 * 2 ** 20) : "—"} |`,
    hard("phrase of two common words"),
    hard('`source:"…"` + a common word'),
    `| CSV export, q=${e?.q ?? "…"} | ${e ? `${int(exportRate)} rows/s; ${int(e.rows)} rows in ${e.seconds.toFixed(0)} s${e.complete ? "" : ` (cut at ${o.exportSeconds} s)`}; first byte ${ms(e.firstByteMs)}; server RSS peak ${mb(e.peakRss)}; HTTP ${e.status}` : pending} | — | — | ≥ 30,000 rows/s | ${e ? atLeast(exportRate, 30_000) : "—"} |`,
    `| database size | ${f.size !== undefined ? gb(f.size) : pending} | ${f.plainSize !== undefined ? gb(f.plainSize) : "—"} | ${f.size !== undefined && f.plainSize !== undefined ? ratio(f.size, f.plainSize) : "—"} | ≤ plain FTS | ${f.size !== undefined && f.plainSize !== undefined ? (f.size <= f.plainSize ? "yes" : `no: ${ratio(f.size, f.plainSize)} plain's`) : "—"} |`,
    "",
    "| query | Readout matches | Readout p50 (cold) | plain matches | plain p50 (cold) | Readout ÷ plain (p50) |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
    ...(f.readout ?? []).map((r) => {
      // Plain FTS has no typo tolerance: its figure for that query is of another search.
      const p =
        r.kind === "typo-tolerant" ? undefined : byKind(f.plain, r.kind);
      return `| ${r.kind} \`${decodeURIComponent(r.q.replace(/\+/g, " "))}\`${r.partial.length ? ` (partial: ${r.partial.join(", ")} did not answer)` : ""} | ${int(r.total)} | ${ms(percentile(r.warm, 0.5))} (${ms(r.cold)}) | ${p ? int(p.total) : "—"} | ${p ? `${ms(percentile(p.warm, 0.5))} (${ms(p.cold)})` : "—"} | ${p ? ratio(percentile(r.warm, 0.5), percentile(p.warm, 0.5)) : "—"} |`;
    }),
    "",
  ];
  return lines.join("\n");
}

const isExtra = (f: Figures, t: Timed) =>
  f.mix?.find((q) => q.kind === t.kind)?.extra ?? false;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN
  );
}
