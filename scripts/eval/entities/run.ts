/**
 * Precision and recall of the people, places and organisations found in 50 hand-checked
 * statements (issue 26): 20 English, 15 Russian, 15 Ukrainian, listed in `gold.jsonl` by id
 * with the names a careful reader finds in them. The texts are read from the shared corpora
 * (`--shared DIR`, default `../shared` beside the repository); a Ukrainian address is long, so
 * its entry names the paragraphs read (`paragraphs: [first, count]`), always with the title.
 *
 * A found entity counts as right when one of its forms is one of the gold entity's forms, word
 * for word after folding and stemming (so `Путина` is `Путин`) and in any order; `optional`
 * names (nested places, facilities, events, titles) count neither way. A gold entity found
 * twice counts once, the second as wrong: forms that should have been grouped.
 *
 *   npx tsx scripts/eval/entities/run.ts [--shared DIR] [--method rules|stats|countries|compromise] [--verbose]
 *
 * `stats` reads each corpus file's capitalisation first (`caseStats`), as the archive would.
 */
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  caseStats,
  findEntities,
  type CaseStats,
  type Entity,
  type EntityType,
} from "../../../src/text/entities.ts";
import { stemmerFor } from "../../../src/text/stemmers.ts";
import { tokenize } from "../../../src/text/terms.ts";

interface Gold {
  lang: string;
  file: string;
  id: string;
  paragraphs?: [number, number];
  person: string[][];
  place: string[][];
  org: string[][];
  optional: string[];
}

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const shared = resolve(option("--shared") ?? join(here, "../../../../shared"));
const method = option("--method") ?? "rules";
const verbose = args.includes("--verbose");
const TYPES: EntityType[] = ["person", "place", "org"];

const golds = readFileSync(join(here, "gold.jsonl"), "utf8")
  .split("\n")
  .filter(Boolean)
  .map((line) => JSON.parse(line) as Gold);

const files = new Map<string, Map<string, { title: string; body: string }>>();
// With `--method stats`, the capitalisation of each file's statements, as the archive's.
const stats = new Map<string, CaseStats>();
function statsOf(file: string): CaseStats | undefined {
  if (method !== "stats") return undefined;
  if (!stats.has(file))
    stats.set(
      file,
      caseStats(
        [...files.get(file)!.values()].map((r) => `${r.title}\n\n${r.body}`),
      ),
    );
  return stats.get(file);
}
function statement(file: string, id: string) {
  let rows = files.get(file);
  if (!rows) {
    rows = new Map();
    for (const line of readFileSync(join(shared, file), "utf8").split("\n"))
      if (line.trim()) {
        const r = JSON.parse(line) as {
          id: string;
          title: string;
          body: string;
        };
        rows.set(r.id, r);
      }
    files.set(file, rows);
  }
  const r = rows.get(id);
  if (!r) throw new Error(`eval entities: no statement "${id}" in ${file}`);
  return r;
}

// A form as a set of keys: its words folded and stemmed (Russian and Ukrainian rules both
// for Cyrillic), sorted, so that word order and inflection do not matter.
function keys(form: string): Set<string> {
  const terms = tokenize(form).map((t) => t.term);
  const out = new Set<string>([[...terms].sort().join(" ")]);
  for (const lang of ["en", "ru", "uk"]) {
    const s = stemmerFor(lang)!;
    out.add(
      terms
        .map((t) => s.stem(t, () => false))
        .sort()
        .join(" "),
    );
  }
  return out;
}
const meets = (a: Set<string>, b: Set<string>) => [...a].some((k) => b.has(k));

// `--method compromise` compares with compromise's English tagger (install it with
// `npm i --no-save compromise`; English only, so other languages find nothing).
type Doc = { out(format: "array"): string[] };
type Nlp =
  | ((text: string) => { people(): Doc; places(): Doc; organizations(): Doc })
  | undefined;
const nlp: Nlp =
  method === "compromise"
    ? ((await import(["compromise"][0]!)) as { default: NonNullable<Nlp> })
        .default
    : undefined;

function predict(text: string, lang: string, file: string): Entity[] {
  if (nlp) {
    if (lang !== "en") return [];
    const doc = nlp(text);
    const as = (type: EntityType, names: string[]) =>
      [...new Set(names.map((n) => n.replace(/[.,;:'’s]+$/, "")))].map(
        (name) => ({ type, name, forms: [name] }),
      );
    return [
      ...as("person", doc.people().out("array")),
      ...as("place", doc.places().out("array")),
      ...as("org", doc.organizations().out("array")),
    ];
  }
  const found = findEntities(text, lang, statsOf(file));
  return method === "countries"
    ? found.filter(
        (e) =>
          e.type === "place" && /^[A-Z]/.test(e.name) && e.forms.length > 0,
      )
    : found;
}

type Tally = { tp: number; fp: number; fn: number };
const tally = () => ({ tp: 0, fp: 0, fn: 0 });
const scores = new Map<string, Tally>();
const add = (key: string, field: keyof Tally) => {
  const t = scores.get(key) ?? tally();
  t[field]++;
  scores.set(key, t);
};

for (const gold of golds) {
  const r = statement(gold.file, gold.id);
  const body = gold.paragraphs
    ? r.body
        .split("\n\n")
        .slice(gold.paragraphs[0], gold.paragraphs[0] + gold.paragraphs[1])
        .join("\n\n")
    : r.body;
  const text = `${r.title}\n\n${body}`;
  const found = predict(text, gold.lang, gold.file);
  const optional = gold.optional.map(keys);
  const entries = TYPES.flatMap((type) =>
    gold[type].map((forms) => ({
      type,
      forms: forms.map(keys),
      names: forms,
      hit: false,
    })),
  );
  const notes: string[] = [];
  for (const e of found) {
    const k = [e.name, ...e.forms].map(keys);
    const match = entries.find((g) =>
      k.some((a) => g.forms.some((b) => meets(a, b))),
    );
    if (!match) {
      if (k.some((a) => optional.some((b) => meets(a, b)))) continue;
      add(`${gold.lang} ${e.type}`, "fp");
      add(`${gold.lang} any`, "fp");
      notes.push(`  wrong ${e.type}: ${e.name} [${e.forms.join(" | ")}]`);
      continue;
    }
    if (match.hit) {
      add(`${gold.lang} ${e.type}`, "fp");
      add(`${gold.lang} any`, "fp");
      notes.push(`  split ${e.type}: ${e.name} (already ${match.names[0]})`);
      continue;
    }
    match.hit = true;
    add(`${gold.lang} any`, "tp");
    if (match.type === e.type) add(`${gold.lang} ${e.type}`, "tp");
    else {
      add(`${gold.lang} ${e.type}`, "fp");
      add(`${gold.lang} ${match.type}`, "fn");
      notes.push(`  typed ${e.type}, is ${match.type}: ${e.name}`);
    }
  }
  for (const g of entries)
    if (!g.hit) {
      add(`${gold.lang} ${g.type}`, "fn");
      add(`${gold.lang} any`, "fn");
      notes.push(`  missed ${g.type}: ${g.names[0]}`);
    }
  if (verbose && notes.length) console.log(`${gold.id}\n${notes.join("\n")}`);
}

const pct = (x: number) =>
  Number.isFinite(x) ? (100 * x).toFixed(0).padStart(4) : "   –";
console.log(`method: ${method}; ${golds.length} statements`);
console.log("lang type     P%   R%  F1%   (tp fp fn)");
const total = new Map<string, Tally>();
for (const lang of ["en", "ru", "uk", "all"]) {
  for (const type of [...TYPES, "any"]) {
    const t =
      lang === "all"
        ? ["en", "ru", "uk"]
            .map((l) => scores.get(`${l} ${type}`) ?? tally())
            .reduce((a, b) => ({
              tp: a.tp + b.tp,
              fp: a.fp + b.fp,
              fn: a.fn + b.fn,
            }))
        : (scores.get(`${lang} ${type}`) ?? tally());
    total.set(`${lang} ${type}`, t);
    const p = t.tp / (t.tp + t.fp);
    const rc = t.tp / (t.tp + t.fn);
    console.log(
      `${lang.padEnd(4)} ${type.padEnd(6)} ${pct(p)} ${pct(rc)} ${pct((2 * p * rc) / (p + rc))}   (${t.tp} ${t.fp} ${t.fn})`,
    );
  }
}
