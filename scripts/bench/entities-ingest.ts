/**
 * What finding people, places and organisations costs at ingest (issue 26): loads DIR
 * (default ../shared/corpus beside the repository) through the parse workers with and
 * without `entities`, alternating, and prints statements per second for each. Also times
 * `caseStats` over the loaded texts (the archive pass the `stats` method needs).
 *
 *   npx tsx scripts/bench/entities-ingest.ts [DIR] [--rounds N]
 */
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadStatements } from "../../src/ingest/load.ts";
import { caseStats } from "../../src/text/entities.ts";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const dir = resolve(
  args.find((a) => !a.startsWith("--")) ?? join(here, "../../../shared/corpus"),
);
const roundsAt = args.indexOf("--rounds");
const rounds = roundsAt >= 0 ? Number(args[roundsAt + 1]) : 2;

const times: Record<string, number[]> = { without: [], with: [] };
const counts: Record<string, number> = {};
let texts: string[] = [];
for (let r = 0; r < rounds; r++)
  for (const entities of [false, true]) {
    const t = performance.now();
    const { statements, problems } = await loadStatements(dir, { entities });
    times[entities ? "with" : "without"]!.push(performance.now() - t);
    counts[entities ? "with" : "without"] = statements.length;
    if (problems.length > 1) console.log(problems.slice(0, 3));
    if (entities) texts = statements.map((s) => `${s.title}\n\n${s.body}`);
  }
const best = (xs: number[]) => Math.min(...xs) / 1000;
for (const [k, xs] of Object.entries(times))
  console.log(
    `${k.padEnd(8)} entities: ${counts[k]} statements in ${best(xs).toFixed(1)} s, ${Math.round(counts[k]! / best(xs))} statements/s`,
  );
const t = performance.now();
caseStats(texts);
console.log(
  `caseStats over ${texts.length} statements: ${((performance.now() - t) / 1000).toFixed(1)} s`,
);
