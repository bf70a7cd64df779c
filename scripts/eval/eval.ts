/**
 * Measures ranking quality on a test collection: `npm run eval -- <folder>`, where the folder
 * holds docs.jsonl, queries.jsonl and qrels.tsv (see ../shared/eval/README.md). Documents go
 * through the normal ingest path; every judged query goes through the same search function as
 * the web pages, with mode=any because the queries are long questions.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { buildCorpus } from "../../src/engines/memory/corpus.ts";
import { loadStatements } from "../../src/ingest/load.ts";
import { parseQuery } from "../../src/query/params.ts";
import { MemoryStore } from "../../src/engines/memory/store.ts";
import { runNow, searchTimeLimit } from "../../src/runtime/deadline.ts";
import { searchSteps } from "../../src/search/page.ts";
import { meanScores, scoreRanking } from "./metrics.ts";
import { ranking } from "../../src/search/ranking.ts";
import { PostgresArchive } from "../../src/archive.ts";
import { importFolder } from "../../src/engines/postgres/import.ts";
import { connectionLimits, Shards } from "../../src/engines/postgres/shards.ts";
import { parseSpec } from "../../src/engines/postgres/spec.ts";

/** How deep each query is ranked by default; `--depth N` changes it (10 is enough for nDCG@10). */
const DEFAULT_DEPTH = 1000;
// Test-collection queries run to 2,000 characters and 340 words; the web's limits (1,000 and
// 64) would cut 30 of CISI's 76 judged queries short, so the evaluation lifts them.
const BOUNDS = { queryLength: 100_000, terms: 10_000 };
// A page of a 340-word question, 1,000 deep, is minutes of work on a busy machine, not the
// second a web request gets: the evaluation measures ranking, not speed.
searchTimeLimit.seconds = 600;
// The same on PostgreSQL: a shard that runs past the web's 8–10 s would be left out of the
// page (a partial page), and the figures would be of half the collection.
connectionLimits.statementMs = 600_000;
connectionLimits.shardMs = 600_000;

if (process.argv[2] === "--names") {
  const { namesPrecision } = await import("./names-precision.ts");
  await namesPrecision(process.argv.slice(3));
  process.exit(0);
}
if (process.argv[2] === "--known-item") {
  const { knownItem } = await import("./known-item.ts");
  await knownItem(process.argv.slice(3));
  process.exit(0);
}

// `--pg SPEC`: the same evaluation through the PostgreSQL engine too (the collection is
// imported first), beside the memory engine's in the same run. `--depth N`: rank N deep.
const optionAt = (name: string) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
};
const pgSpec = optionAt("--pg");
const depthText = optionAt("--depth");
const DEPTH = depthText === undefined ? DEFAULT_DEPTH : Number(depthText);
if (!Number.isInteger(DEPTH) || DEPTH < 1) {
  console.error(`eval: --depth must be a whole number ≥ 1, got "${depthText}"`);
  process.exit(2);
}
const folder = process.argv
  .slice(2)
  .filter(
    (a, i, all) =>
      !["--pg", "--depth"].includes(a) &&
      !["--pg", "--depth"].includes(all[i - 1]!),
  )[0];
if (!folder || folder === "--help") {
  console.error(
    "Usage: npm run eval -- <folder with docs.jsonl, queries.jsonl, qrels.tsv> [--pg SPEC] [--depth N]\n" +
      "       (--depth N ranks each query N deep, default 1000; 10 suffices for nDCG@10 and P@10,\n" +
      "        100 for recall@100, MAP wants the default; with --pg both engines are scored)\n" +
      "       npm run eval -- --known-item <statements.jsonl> …\n" +
      "       npm run eval -- --names <statements.jsonl> …",
  );
  process.exit(folder ? 0 : 2);
}

const loaded = await loadStatements(folder, {
  include: (file) => file === "docs.jsonl",
});
if (loaded.statements.length === 0) {
  console.error(
    `eval: no documents read from ${path.join(folder, "docs.jsonl")}`,
  );
  process.exit(1);
}
const corpus = buildCorpus(loaded.statements);
const store = MemoryStore.fromCorpus(corpus);
let pg: PostgresArchive | undefined;
if (pgSpec) {
  const spec = parseSpec(pgSpec);
  const writer = new Shards(spec, "readout_writer", 2);
  await importFolder(writer, folder, {
    include: (file) => file === "docs.jsonl",
  });
  await writer.close();
  pg = new PostgresArchive({ spec, refreshMs: 3_600_000 });
  await pg.open();
}
const queries = (await readFile(path.join(folder, "queries.jsonl"), "utf8"))
  .split("\n")
  .filter((line) => line.trim())
  .map((line) => JSON.parse(line) as { id: string; text: string });
const qrels = new Map<string, Set<string>>();
for (const line of (
  await readFile(path.join(folder, "qrels.tsv"), "utf8")
).split("\n")) {
  const [query, doc, relevance] = line.trim().split(/\s+/);
  if (!query || !doc || !(Number(relevance) > 0)) continue;
  if (!qrels.has(query)) qrels.set(query, new Set());
  qrels.get(query)!.add(doc);
}

if (process.env.RANKING)
  Object.assign(ranking, JSON.parse(process.env.RANKING));
type Engine = (params: Record<string, string>) => Promise<{
  hits: { id: string }[];
  unavailable?: string[];
  page: number;
  pageCount: number;
}>;
const engines: [string, Engine][] = [
  [
    "memory",
    async (params) =>
      runNow(
        searchSteps(store, parseQuery(params, corpus.fields.keys(), BOUNDS)),
      ),
  ],
  ...(pg
    ? [
        [
          "postgres",
          (params: Record<string, string>) =>
            pg.search(parseQuery(params, pg.fields(), BOUNDS)),
        ] as [string, Engine],
      ]
    : []),
];
const tops = new Map<string, string[][]>();
for (const [name, search] of engines) {
  const started = performance.now();
  const scores = [];
  const top10: string[][] = [];
  for (const query of queries) {
    const relevant = qrels.get(query.id);
    if (!relevant) continue;
    const ranked: string[] = [];
    for (let page = 1; ranked.length < DEPTH; page++) {
      const params = {
        q: query.text,
        mode: "any",
        // Judgements are per document: near-identical ones are ranked each on its own, not
        // folded into one result as the pages do (folded, CISI reads MAP 0.2075, nDCG 0.3803).
        versions: "all",
        size: String(Math.min(100, DEPTH)),
        page: String(page),
      };
      const found = await search(params);
      if (found.unavailable?.length)
        throw new Error(
          `eval: ${found.unavailable.join(" and ")} did not answer query ${query.id} on the ${name} engine: its ranking would be of part of the collection`,
        );
      ranked.push(...found.hits.map((h) => h.id));
      if (found.page >= found.pageCount) break;
    }
    top10.push(ranked.slice(0, 10));
    scores.push(scoreRanking(ranked.slice(0, DEPTH), relevant));
  }
  tops.set(name, top10);
  console.log(
    `${path.basename(path.resolve(folder))}, ${name} engine: ${corpus.statements.length} documents, ${scores.length} judged queries, ${DEPTH} deep, ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  for (const [metric, value] of meanScores(scores))
    console.log(`${metric} ${value.toFixed(4)}`);
}
if (pg) {
  // The parity the tests promise: the same top 10, in order, from both engines.
  const [memory, postgres] = [tops.get("memory")!, tops.get("postgres")!];
  const differ = memory.filter(
    (top, i) => top.join(" ") !== postgres[i]!.join(" "),
  ).length;
  console.log(
    `top 10 differ between the engines for ${differ} of ${memory.length} queries`,
  );
}
await pg?.close();
