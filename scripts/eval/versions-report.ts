/**
 * `npm run versions-report [-- DIR] [--seed N] [--sample N] [--tokenize]`: groups the
 * statements of DIR (default ../shared/corpus from the repository) into versions and prints
 * what a person needs to judge it: counts, group sizes, a random sample of groups with
 * titles, dates, sources and similarities, the time grouping takes against a cold build of
 * the memory index in the same run, and the memory the grouping keeps.
 *
 * By default the words come from the built index (term ids mapped through `hashTerm`), as the
 * memory engine will feed them; `--tokenize` makes grouping tokenize every body itself.
 */
import { existsSync } from "node:fs";
import { buildCorpus, SEPARATOR } from "../../src/engines/memory/corpus.ts";
import { loadStatements, type Statement } from "../../src/ingest/load.ts";
import { echoes } from "../../src/versions/echoes.ts";
import { hashTerm } from "../../src/versions/shingles.ts";
import { VersionIndex } from "../../src/versions/version-index.ts";
import { realCorpusDir } from "../bench/corpora.ts";
import { seededRandom } from "../bench/random.ts";

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i === -1 ? undefined : args.splice(i, 2)[1];
};
const tokenize = args.includes("--tokenize");
const seed = Number(flag("--seed") ?? 15);
const sample = Number(flag("--sample") ?? 20);
const dir = args.find((a) => !a.startsWith("--")) ?? realCorpusDir;
if (!existsSync(dir)) {
  console.error(
    `versions-report: ${dir}: no such folder; give one: npm run versions-report -- DIR`,
  );
  process.exit(2);
}
const gc = (globalThis as { gc?: () => void }).gc;
const heap = () => {
  gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
// CPU time of this process (all its threads): fairer than the clock on a shared machine.
const cpu = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

let t = performance.now();
const { statements } = await loadStatements(dir);
const loadMs = performance.now() - t;

t = performance.now();
let c = cpu();
const corpus = buildCorpus(statements);
const buildMs = performance.now() - t;
const buildCpu = cpu() - c;

// The memory engine's wiring: body words are the positions after the title, as term ids.
const before = heap();
t = performance.now();
c = cpu();
const hashes = new Uint32Array(corpus.words.length);
corpus.words.forEach((w, i) => (hashes[i] = hashTerm(w)));
const wordsOf = (s: Statement) => {
  const positions = corpus.positions[corpus.index.shortId(s.id)!]!;
  const from = positions.indexOf(SEPARATOR) + 1;
  const out = new Uint32Array(positions.length - from);
  for (let i = from; i < positions.length; i++)
    out[i - from] = hashes[positions[i]!]!;
  return out;
};
const versions = new VersionIndex();
versions.addAll(statements, tokenize ? undefined : wordsOf);
const groupMs = performance.now() - t;
const groupCpu = cpu() - c;
const kept = heap() - before;

t = performance.now();
c = cpu();
const saved = versions.save();
VersionIndex.restore(saved);
const restoreMs = performance.now() - t;
const restoreCpu = cpu() - c;

const stats = versions.stats();
const groups = versions.groups();
const sizes = new Map<number, number>();
for (const g of groups)
  sizes.set(g.members.length, (sizes.get(g.members.length) ?? 0) + 1);
const exact = groups.filter((g) =>
  g.members.every((m) => versions.similarity(g.id, m.id) === 1),
).length;
const crossSource = groups.filter((g) => echoes(g).sources.length > 1).length;

console.log(
  `Statements: ${stats.statements} (${stats.bodies} distinct bodies)`,
);
console.log(
  `Groups: ${stats.groups}, holding ${stats.grouped} statements: ${stats.grouped - stats.groups} versions beyond the first of each`,
);
console.log(`  of which every member has the same words: ${exact}`);
console.log(`  published by more than one source: ${crossSource}`);
console.log(
  `Group sizes: ${[...sizes]
    .sort((a, b) => a[0] - b[0])
    .map(([n, c]) => `${n}: ${c}`)
    .join(", ")}`,
);
console.log(`Boilerplate features: ${stats.boilerplate}`);
console.log(
  `Time: load ${seconds(loadMs)}, cold build ${seconds(buildMs)}, grouping ${seconds(groupMs)} (${((100 * groupMs) / buildMs).toFixed(1)}% of the build; words ${tokenize ? "tokenized again" : "from the index"})`,
);
console.log(
  `CPU time: cold build ${seconds(buildCpu)}, grouping ${seconds(groupCpu)} (${((100 * groupCpu) / buildCpu).toFixed(1)}% of the build)`,
);
console.log(
  `Saving and restoring the grouping (as a saved index would): ${seconds(restoreMs)}, CPU ${seconds(restoreCpu)}; saved features ${mb(saved.features.byteLength)}`,
);
console.log(
  `Memory kept by grouping: ${gc ? mb(kept) : "(run with --expose-gc)"} (${gc ? Math.round(kept / stats.statements) : "?"} bytes per statement)`,
);

const byId = new Map(statements.map((s) => [s.id, s]));
const random = seededRandom(seed);
const picked = new Set<number>();
while (picked.size < Math.min(sample, groups.length))
  picked.add(Math.floor(random() * groups.length));
console.log(`\n${picked.size} random groups (seed ${seed}):`);
[...picked].forEach((gi, n) => {
  const g = groups[gi]!;
  const e = echoes(g);
  console.log(
    `\n${n + 1}. group ${g.id} (${g.members.length} statements; first: ${e.first.join(", ") || "unknown"})`,
  );
  for (const m of g.members) {
    const s = byId.get(m.id)!;
    const sim = versions.similarity(g.id, m.id)!;
    console.log(
      `   ${(m.date ?? "undated").slice(0, 10)}  ${sim.toFixed(2)}  ${m.id}\n      ${s.title.slice(0, 110)}  [${m.source ?? "no source"}, ${s.body.length} chars]`,
    );
  }
});
