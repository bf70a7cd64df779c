/**
 * Worker: `measure-build.ts readout|stock <data dir> <mix.json> <rounds>`. Builds one index
 * cold, reads memory, then times the query mix. Run once per process, so that peak RSS and
 * heap belong to this build alone.
 */
import { readFile } from "node:fs/promises";
import MiniSearch from "minisearch";
import { buildCorpus } from "../../src/engines/memory/corpus.ts";
import { loadStatements, type Statement } from "../../src/ingest/load.ts";
import { parseQuery } from "../../src/query/params.ts";
import { MemoryStore } from "../../src/engines/memory/store.ts";
import { runNow } from "../../src/runtime/deadline.ts";
import { searchSteps } from "../../src/search/page.ts";
import { report } from "./child.ts";
import type { MixQuery } from "./mix.ts";
import { stockIndex, stockSearch } from "./stock.ts";

/** What one build process measured. */
export interface BuildFigures {
  statements: number;
  loadMs: number;
  buildMs: number;
  /** process.resourceUsage().maxRSS, in bytes, right after the build. */
  peakRss: number;
  /** After gc(): V8 heap, and ArrayBuffers (Readout's typed arrays live there). */
  heapUsed: number;
  arrayBuffers: number;
  /** Growth of heap + ArrayBuffers from after reading to after building, per statement. */
  bytesPerStatement: number;
  /** Per query of the mix, in order: every timed run in ms, and the number of matches. */
  queries: { kind: string; ms: number[]; hits: number }[];
  /** Stock only: JSON.stringify of the index, and MiniSearch.loadJSON of it. */
  snapshot?:
    { bytes: number; saveMs: number; loadMs: number } | { failed: string };
}

const [engine, dir, mixFile, roundsArg] = process.argv.slice(2);
const mix = JSON.parse(await readFile(mixFile!, "utf8")) as MixQuery[];
const rounds = Number(roundsArg);
const gc = globalThis.gc!;
const memory = () => {
  gc();
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, arrayBuffers: m.arrayBuffers };
};

let t = performance.now();
const { statements } = await loadStatements(dir!);
const loadMs = performance.now() - t;
// Part of the documents, not of either index: stock filters read it, as MiniSearch's demo does.
const byId = new Map(statements.map((s) => [s.id, s]));
const before = memory();

t = performance.now();
let run: (q: MixQuery) => number;
let stock: MiniSearch<Statement> | undefined;
if (engine === "readout") {
  const corpus = buildCorpus(statements);
  const store = MemoryStore.fromCorpus(corpus);
  run = (q) =>
    runNow(searchSteps(store, parseQuery(q.params, corpus.fields.keys())))
      .total;
} else {
  stock = stockIndex(statements);
  run = (q) => stockSearch(stock!, byId, q.stock).length;
}
const buildMs = performance.now() - t;
const peakRss = process.resourceUsage().maxRSS * 1024;
const after = memory();

// The first, untimed, run of each query warms it up and counts its hits.
const queries = mix.map((q) => ({
  kind: q.kind,
  ms: [] as number[],
  hits: run(q),
}));
for (let r = 0; r < rounds; r++)
  mix.forEach((q, i) => {
    const start = performance.now();
    run(q);
    queries[i]!.ms.push(performance.now() - start);
  });

const figures: BuildFigures = {
  statements: statements.length,
  loadMs,
  buildMs,
  peakRss,
  ...after,
  bytesPerStatement:
    (after.heapUsed +
      after.arrayBuffers -
      before.heapUsed -
      before.arrayBuffers) /
    statements.length,
  queries,
};
if (stock) figures.snapshot = measureSnapshot(stock);
report(figures);

// Stock MiniSearch's only persistence; V8's string limit makes it throw on large indexes.
function measureSnapshot(ms: MiniSearch<Statement>): BuildFigures["snapshot"] {
  try {
    let start = performance.now();
    const json = JSON.stringify(ms);
    const saveMs = performance.now() - start;
    start = performance.now();
    MiniSearch.loadJSON(json, { fields: ["title", "body"] });
    return {
      bytes: Buffer.byteLength(json),
      saveMs,
      loadMs: performance.now() - start,
    };
  } catch (err) {
    return { failed: (err as Error).message };
  }
}
