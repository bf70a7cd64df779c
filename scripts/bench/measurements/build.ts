/**
 * Index build, memory and in-process search latency: Readout's `buildCorpus` and `search`
 * against stock MiniSearch `addAll` and `search`, each build in its own process.
 */
import os from "node:os";
import { runWorker, type Outcome } from "../child.ts";
import type { BuildFigures } from "../measure-build.ts";
import {
  corpusTable,
  medianOfRuns,
  type Measured,
  type Measurement,
  type Row,
} from "../measurement.ts";
import type { MixQuery, StockParams } from "../mix.ts";
import { median, medianOf, percentile, ratio, type Cell } from "../stats.ts";
import { formats as f, markdownTable, show } from "../table.ts";

export interface BuildRecord {
  readout: Outcome<BuildFigures>[];
  stock: Outcome<BuildFigures>[];
}

// Build processes may use most of the machine: stock MiniSearch needs ~11 GB at 300,000.
const MAX_HEAP_MB = Math.floor((os.totalmem() / 2 ** 20) * 0.8);

export const build: Measurement<BuildRecord> = {
  name: "build",
  summary:
    "index build, memory and search latency in process, against stock MiniSearch",
  empty: () => ({ readout: [], stock: [] }),
  async run(ctx, record) {
    const { options } = ctx;
    for (let run = 1; run <= options.runs; run++)
      for (const engine of ["readout", "stock"] as const) {
        ctx.say(`run ${run}/${options.runs}: ${engine} build and queries`);
        const outcome = await runWorker<BuildFigures>(
          "measure-build.ts",
          [engine, ctx.corpus.dir, ctx.mixFile, String(options.rounds)],
          { timeoutMs: ctx.timeoutMs, maxHeapMb: MAX_HEAP_MB },
        );
        ctx.say(
          outcome.ok
            ? `built in ${f.seconds(outcome.value.buildMs)}, peak RSS ${f.bytes(outcome.value.peakRss)}`
            : `failed: ${outcome.reason}`,
        );
        record[engine].push(outcome);
        await ctx.save();
      }
  },
  report: (results, options) => [
    `## Index build and memory (${medianOfRuns(options.runs)})`,
    "",
    "Each build in its own process, after reading the folder.",
    "",
    corpusTable(results, buildRows),
    "",
    `## Search latency in process, ms (${medianOfRuns(options.runs)})`,
    "",
    `Readout: \`search(corpus, parseQuery(params))\`, as the pages call it, snippets and facets included. MiniSearch: \`ms.search\` with the nearest options (see the mixes). ${options.rounds} rounds of the mix per build.`,
    "",
    corpusTable(results, latencyRows),
    "",
    ...results.flatMap((r) => [mixTable(r), ""]),
  ],
  outcomes: (record) => [
    ...record.readout.map(
      (o) => ["Readout build", o] as [string, Outcome<unknown>],
    ),
    ...record.stock.map(
      (o) => ["MiniSearch build", o] as [string, Outcome<unknown>],
    ),
  ],
};

/** Median over runs of statements indexed per second. */
function buildRate(builds: Outcome<BuildFigures>[]): Cell {
  return medianOf(builds, (b) => b.statements / (b.buildMs / 1000));
}

/** Median over runs of a latency percentile of all timed queries of each run. */
function latency(builds: Outcome<BuildFigures>[], p: number): Cell {
  return medianOf(builds, (b) =>
    percentile(
      b.queries.flatMap((q) => q.ms),
      p,
    ),
  );
}

/** Median over runs of one query's median time. */
function kindLatency(builds: Outcome<BuildFigures>[], i: number): Cell {
  return medianOf(builds, (b) => {
    const ms = b.queries[i]?.ms;
    return ms?.length ? median(ms) : undefined;
  });
}

type BuildRow = Row<BuildRecord>;
const readout =
  (pick: (b: BuildFigures) => number) => (m: Measured<BuildRecord>) =>
    medianOf(m.record.readout, pick);
const stock =
  (pick: (b: BuildFigures) => number) => (m: Measured<BuildRecord>) =>
    medianOf(m.record.stock, pick);
const memory = (b: BuildFigures) => b.heapUsed + b.arrayBuffers;
const statements = (m: Measured<BuildRecord>): Cell =>
  m.mix.ok ? { value: m.mix.value.statements } : { text: "—" };

const buildRows: BuildRow[] = [
  ["Statements", statements, f.count],
  ["Data on disk", (m) => ({ value: m.corpus.bytes }), f.bytes],
  ["Reading (loadStatements)", readout((b) => b.loadMs), f.seconds],
  ["Cold build, Readout (buildCorpus)", readout((b) => b.buildMs), f.seconds],
  ["Cold build, MiniSearch addAll", stock((b) => b.buildMs), f.seconds],
  ["Statements/s, Readout", (m) => buildRate(m.record.readout), f.perSecond],
  ["Statements/s, addAll", (m) => buildRate(m.record.stock), f.perSecond],
  [
    "Build speed, Readout ÷ addAll",
    (m) => ratio(buildRate(m.record.readout), buildRate(m.record.stock)),
    f.ratio,
  ],
  ["Peak RSS, Readout", readout((b) => b.peakRss), f.bytes],
  ["Peak RSS, addAll", stock((b) => b.peakRss), f.bytes],
  [
    "Peak RSS, Readout ÷ addAll",
    (m) => ratio(readout((b) => b.peakRss)(m), stock((b) => b.peakRss)(m)),
    f.ratio,
  ],
  ["Heap after build, Readout", readout((b) => b.heapUsed), f.bytes],
  [
    "ArrayBuffers after build, Readout",
    readout((b) => b.arrayBuffers),
    f.bytes,
  ],
  ["Heap after build, addAll", stock((b) => b.heapUsed), f.bytes],
  [
    "Heap + buffers, Readout ÷ addAll",
    (m) => ratio(readout(memory)(m), stock(memory)(m)),
    f.ratio,
  ],
  [
    "Index bytes/statement, Readout",
    readout((b) => b.bytesPerStatement),
    f.count,
  ],
  ["Index bytes/statement, addAll", stock((b) => b.bytesPerStatement), f.count],
  [
    "Bytes/statement, Readout ÷ addAll",
    (m) =>
      ratio(
        readout((b) => b.bytesPerStatement)(m),
        stock((b) => b.bytesPerStatement)(m),
      ),
    f.ratio,
  ],
  [
    "Snapshot size, MiniSearch JSON.stringify",
    (m) => stockSnapshot(m.record, "bytes"),
    f.bytes,
  ],
  [
    "MiniSearch JSON.stringify (save)",
    (m) => stockSnapshot(m.record, "saveMs"),
    f.seconds,
  ],
  [
    "MiniSearch.loadJSON (load)",
    (m) => stockSnapshot(m.record, "loadMs"),
    f.seconds,
  ],
];

const latencyRows: BuildRow[] = [
  ["Readout p50", (m) => latency(m.record.readout, 50), f.ms],
  ["Readout p95", (m) => latency(m.record.readout, 95), f.ms],
  ["Readout p99", (m) => latency(m.record.readout, 99), f.ms],
  ["MiniSearch p50", (m) => latency(m.record.stock, 50), f.ms],
  ["MiniSearch p95", (m) => latency(m.record.stock, 95), f.ms],
  ["MiniSearch p99", (m) => latency(m.record.stock, 99), f.ms],
  [
    "p50, Readout ÷ MiniSearch",
    (m) => ratio(latency(m.record.readout, 50), latency(m.record.stock, 50)),
    f.ratio,
  ],
  [
    "p99, Readout ÷ MiniSearch",
    (m) => ratio(latency(m.record.readout, 99), latency(m.record.stock, 99)),
    f.ratio,
  ],
];

function stockSnapshot(
  record: BuildRecord,
  key: "bytes" | "saveMs" | "loadMs",
): Cell {
  const cells = record.stock.map((o) =>
    !o.ok || !o.value.snapshot
      ? undefined
      : "failed" in o.value.snapshot
        ? o.value.snapshot.failed
        : o.value.snapshot[key],
  );
  const failure = cells.find((c) => typeof c === "string");
  if (failure && !cells.some((c) => typeof c === "number"))
    return { text: `failed: ${failure}` };
  return medianOf(record.stock, (b) =>
    b.snapshot && !("failed" in b.snapshot) ? b.snapshot[key] : undefined,
  );
}

/** One corpus's query mix: each query as Readout and MiniSearch get it, hits and median ms. */
function mixTable(m: Measured<BuildRecord>): string {
  const title = `## Query mix: ${m.corpus.label}`;
  if (!m.mix.ok) return `${title}\n\nfailed: ${m.mix.reason}`;
  const hits = (builds: Outcome<BuildFigures>[], i: number) => {
    const first = builds.find((b) => b.ok);
    return first?.ok ? String(first.value.queries[i]?.hits ?? "") : "—";
  };
  const { readout, stock } = m.record;
  return [
    title,
    "",
    markdownTable(
      [
        "Kind",
        "Readout parameters",
        "Hits",
        "Median",
        "MiniSearch call",
        "Hits",
        "Median",
      ],
      m.mix.value.mix.map((q, i) => [
        q.kind,
        readoutText(q),
        hits(readout, i),
        show(kindLatency(readout, i), f.ms),
        stockText(q.stock),
        hits(stock, i),
        show(kindLatency(stock, i), f.ms),
      ]),
      [0, 1, 4],
    ),
  ].join("\n");
}

function readoutText(q: MixQuery): string {
  return Object.entries(q.params)
    .map(([k, v]) => `${k}=${v}`)
    .join(" & ")
    .replace(/\|/g, "/");
}

function stockText(p: StockParams): string {
  const options: string[] = [];
  if (p.prefix) options.push("prefix: true");
  if (p.fuzzy) options.push(`fuzzy: ${p.fuzzy}`);
  if (p.and) options.push("combineWith: 'AND'");
  const filter: string[] = [];
  if (p.field) filter.push(`${p.field} = ${p.value}`);
  if (p.from || p.to) filter.push(`year ${p.from}–${p.to}`);
  if (filter.length) options.push(`filter: ${filter.join(", ")}`);
  return `search("${p.q}"${options.length ? `, { ${options.join(", ")} }` : ""})`.replace(
    /\|/g,
    "/",
  );
}
