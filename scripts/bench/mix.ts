import type { Statement } from "../../src/ingest/load.ts";
import { RESERVED } from "../../src/query/params.ts";
import { terms, tokenize } from "../../src/text/terms.ts";

/** One query of the fixed mix, as Readout's page and as stock MiniSearch receive it. */
export interface MixQuery {
  kind: string;
  /** URL parameters of Readout's results page (`/search?…`). */
  params: Record<string, string>;
  /** The nearest stock MiniSearch request; see stock.ts. */
  stock: StockParams;
}

/** A stock MiniSearch search: `q` with options, then a filter reading the full statement. */
export interface StockParams {
  q: string;
  prefix?: "1";
  fuzzy?: "0.2";
  and?: "1";
  /** Keep statements whose `field` (`source` or a metadata key) equals `value`. */
  field?: string;
  value?: string;
  /** Keep statements dated within these years (inclusive). */
  from?: string;
  to?: string;
}

// Words are taken from an even sample: enough for stable frequencies, cheap at 300,000.
const SAMPLE = 4000;
const WORD = /^[a-z]{4,}$/;

/**
 * The query mix of a corpus, derived from its statements alone so that it is the same on
 * every run: a rare word, a common word, 2–4 words that share a statement, a phrase, a prefix,
 * a misspelling, and the common word filtered by source, by dates and by a facet.
 */
export function deriveMix(statements: Statement[]): MixQuery[] {
  const step = Math.max(1, Math.floor(statements.length / SAMPLE));
  const sample = statements.filter((_, i) => i % step === 0);
  const df = new Map<string, number>();
  for (const s of sample)
    for (const t of new Set(terms(`${s.title} ${s.body}`)))
      if (WORD.test(t)) df.set(t, (df.get(t) ?? 0) + 1);
  const share = (word: string) => (df.get(word) ?? 0) / sample.length;
  // Candidates in a fixed order (share, then spelling) so ties never depend on Map order.
  const closest = (target: number, minLength: number) =>
    [...df.keys()]
      .filter((w) => w.length >= minLength)
      .sort(
        (a, b) =>
          Math.abs(share(a) - target) - Math.abs(share(b) - target) ||
          (a < b ? -1 : 1),
      )[0]!;
  const between = (word: string, lo: number, hi: number) =>
    df.has(word) && share(word) >= lo && share(word) <= hi;

  const common = closest(0.3, 4);
  const rares = [...df.keys()]
    .filter((w) => df.get(w) === 1 && w.length >= 7)
    .sort();
  const rare = rares[Math.floor(rares.length / 2)] ?? closest(0, 7);
  const mix: MixQuery[] = [
    query("rare word", { q: rare }),
    query("common word", { q: common }),
  ];

  for (const n of [2, 3, 4]) {
    const words = wordsOfOneStatement(sample, (n * sample.length) / 5, n, (w) =>
      between(w, 0.02, 0.2),
    );
    if (words)
      mix.push(query(`${n}-word AND`, { q: words.join(" ") }, { and: "1" }));
  }
  const pair = adjacentPair(sample, sample.length / 2, (w) =>
    between(w, 0.01, 0.3),
  );
  if (pair)
    mix.push(
      query(
        "phrase",
        { q: `"${pair.join(" ")}"` },
        {
          q: pair.join(" "),
          and: "1",
        },
      ),
    );
  const stem = closest(0.1, 8).slice(0, 5);
  mix.push(query("prefix", { q: `${stem}*` }, { q: stem, prefix: "1" }));
  const typo = misspell(closest(0.02, 7), df);
  mix.push(
    query("typo-tolerant", { q: `${typo}~` }, { q: typo, fuzzy: "0.2" }),
  );

  const source = mostFrequent(sample.map((s) => s.source));
  if (source)
    mix.push(
      query(
        "source filter",
        { q: common, source },
        { field: "source", value: source },
      ),
    );
  const years = sample
    .map((s) => s.date?.slice(0, 4))
    .filter((y): y is string => !!y)
    .sort();
  if (years.length) {
    const from = years[Math.floor(years.length * 0.4)]!;
    const to = years[Math.floor(years.length * 0.6)]!;
    mix.push(query("date filter", { q: common, from, to }, { from, to }));
  }
  const facet = facetChoice(sample);
  if (facet)
    mix.push(
      query(
        "facet selection",
        { q: common, [facet.field]: facet.value, year: facet.year },
        {
          field: facet.field,
          value: facet.value,
          from: facet.year,
          to: facet.year,
        },
      ),
    );
  return mix;

  function query(
    kind: string,
    params: Record<string, string> & { q: string },
    stock: Partial<StockParams> = {},
  ): MixQuery {
    const q = params.q.replace(/["*~]/g, "");
    return { kind, params, stock: { q, ...stock } };
  }
}

function wordsOfOneStatement(
  sample: Statement[],
  start: number,
  n: number,
  fits: (word: string) => boolean,
): string[] | undefined {
  for (let i = Math.floor(start); i < sample.length; i++) {
    const words = [...new Set(terms(sample[i]!.body))].filter(fits);
    if (words.length >= n) return words.slice(0, n);
  }
  return undefined;
}

/** Two words that stand side by side, separated by one space only, in a statement. */
function adjacentPair(
  sample: Statement[],
  start: number,
  fits: (word: string) => boolean,
): [string, string] | undefined {
  for (let i = Math.floor(start); i < sample.length; i++) {
    const body = sample[i]!.body;
    const tokens = tokenize(body);
    for (let t = 1; t < tokens.length; t++) {
      const a = tokens[t - 1]!;
      const b = tokens[t]!;
      if (
        a.term !== b.term &&
        fits(a.term) &&
        fits(b.term) &&
        body.slice(a.end, b.start) === " " &&
        body.slice(a.start, a.end) === a.term &&
        body.slice(b.start, b.end) === b.term
      )
        return [a.term, b.term];
    }
  }
  return undefined;
}

/** The word with one letter changed, to a spelling the sample does not have. */
function misspell(word: string, df: Map<string, number>): string {
  for (let at = 3; at < word.length; at++) {
    const next = String.fromCharCode(
      ((word.charCodeAt(at) - 97 + 1) % 26) + 97,
    );
    const typo = word.slice(0, at) + next + word.slice(at + 1);
    if (!df.has(typo)) return typo;
  }
  return word;
}

function mostFrequent(values: (string | undefined)[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort(
    (a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1),
  )[0]?.[0];
}

/**
 * A facet selection as a visitor clicks it: the metadata field most statements have among
 * those with few values (as facets.ts lists them), its most frequent value, and that value's
 * most frequent year.
 */
function facetChoice(
  sample: Statement[],
): { field: string; value: string; year: string } | undefined {
  const values = new Map<string, Map<string, number>>();
  for (const s of sample)
    for (const [key, value] of Object.entries(s.meta)) {
      if (RESERVED.has(key)) continue;
      if (!values.has(key)) values.set(key, new Map());
      const counts = values.get(key)!;
      counts.set(value, (counts.get(value) ?? 0) + 1);
    }
  const fields = [...values]
    .filter(([, counts]) => counts.size >= 2 && counts.size <= 250)
    .map(([field, counts]) => ({
      field,
      present: [...counts.values()].reduce((a, b) => a + b, 0),
    }))
    .sort((a, b) => b.present - a.present || (a.field < b.field ? -1 : 1));
  const field = fields[0]?.field ?? "source";
  const valueOf = (s: Statement) =>
    field === "source" ? s.source : s.meta[field];
  const value = mostFrequent(sample.map(valueOf));
  if (!value) return undefined;
  const year = mostFrequent(
    sample.filter((s) => valueOf(s) === value).map((s) => s.date?.slice(0, 4)),
  );
  return year ? { field, value, year } : undefined;
}
