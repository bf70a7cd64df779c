/**
 * Precision of names across scripts: `npm run eval -- --names <file.jsonl> …`. All files go
 * into one archive; the most frequent Latin words (common words, four letters or more) are
 * looked up as a query would, and every word of another script they would also match is
 * listed, for a reader to judge. A few names (NAMES, or the NAMES variable) show what the
 * lookup is for.
 */
import path from "node:path";
import { buildCorpus } from "../../src/engines/memory/corpus.ts";
import { loadStatements } from "../../src/ingest/load.ts";
import { crossScript } from "../../src/search/names.ts";
import type { Statement } from "../../src/ingest/statement.ts";

const COMMON = Number(process.env.COMMON ?? 2000);
const NAMES = (
  process.env.NAMES ??
  "zelensky zelenskyy putin lavrov peskov shmyhal kuleba yermak lukashenko mariupol kharkiv kyiv biden macron erdogan bayramov aliyev guterres"
).split(" ");

export async function namesPrecision(files: string[]): Promise<void> {
  const statements: Statement[] = [];
  for (const file of files) {
    const loaded = await loadStatements(path.dirname(file), {
      include: (f) => f === path.basename(file),
    });
    statements.push(...loaded.statements);
  }
  const corpus = buildCorpus(statements);
  const index = corpus.index;
  const latin: [string, number][] = [];
  for (const entry of index.withPrefix(""))
    if (/^[a-z]{4,}$/.test(entry[0])) latin.push(entry);
  latin.sort((a, b) => b[1] - a[1]);
  let started = performance.now();
  crossScript(index, "warmup");
  const filing = performance.now() - started;
  started = performance.now();
  const grown: string[] = [];
  for (const [word] of latin.slice(0, COMMON)) {
    const found = crossScript(index, word);
    if (found.length) grown.push(`${word} → ${found.join(", ")}`);
  }
  const perWord =
    (performance.now() - started) / Math.min(COMMON, latin.length);
  console.log(
    `${statements.length} statements; filing the other scripts' words took ${filing.toFixed(0)} ms; ${perWord.toFixed(2)} ms a word after that`,
  );
  console.log(
    `${grown.length} of the ${Math.min(COMMON, latin.length)} most frequent Latin words match words of another script:`,
  );
  for (const line of grown) console.log(`  ${line}`);
  console.log("Names:");
  for (const name of NAMES)
    console.log(`  ${name} → ${crossScript(index, name).join(", ") || "–"}`);
}
