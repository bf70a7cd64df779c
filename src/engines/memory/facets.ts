import { derived, type Corpus } from "./corpus.ts";
import type { Facet } from "../../archive.ts";
import { filter, type Matches } from "./evaluate.ts";

/** A field with more distinct values than this is an identifier or a free text, not a facet. */
const MAX_VALUES = 250;
/** Values listed per facet; selected values are always listed. */
export const SHOWN_VALUES = 30;

/**
 * The fields worth faceting on: `source`, then metadata fields with at most 250 distinct
 * values that more than one statement shares, leaving out a field that only renames another
 * (`country_iso` beside `country`).
 */
function facetFields(corpus: Corpus): string[] {
  return derived(corpus, "facet-fields", () => {
    const candidates = [...corpus.fields]
      .filter(
        ([, f]) =>
          f.values.length <= MAX_VALUES && f.values.length < corpus.index.size,
      )
      .map(([name]) => name)
      .sort((a, b) =>
        a === "source" ? -1 : b === "source" ? 1 : a.localeCompare(b),
      );
    return candidates.filter(
      (name) =>
        !candidates.some(
          (other) => other !== name && renames(corpus, name, other),
        ),
    );
  });
}

// `a` renames `b` when their values pair one to one and `a`'s are the shorter (codes, not names).
function renames(corpus: Corpus, a: string, b: string): boolean {
  const fa = corpus.fields.get(a)!;
  const fb = corpus.fields.get(b)!;
  if (fa.values.length !== fb.values.length) return false;
  const meanLength = (values: string[]) =>
    values.reduce((n, v) => n + v.length, 0) / values.length;
  if (
    meanLength(fa.values) > meanLength(fb.values) ||
    (meanLength(fa.values) === meanLength(fb.values) && a < b)
  )
    return false;
  const pairs = new Map<number, number>();
  for (let doc = 0; doc < fa.byDoc.length; doc++) {
    const [va, vb] = [fa.byDoc[doc]!, fb.byDoc[doc]!];
    if (va < 0 && vb < 0) continue;
    if (va < 0 || vb < 0) return false;
    if ((pairs.get(va) ?? vb) !== vb) return false;
    pairs.set(va, vb);
  }
  return true;
}

/** Keeps matches that have, for every selected field, one of its selected values (and a selected year). */
export function applyFilters(
  corpus: Corpus,
  matches: Matches,
  filters: Record<string, string[]>,
  years: string[],
  except?: string,
): Matches {
  const tests: ((doc: number) => boolean)[] = [];
  for (const [name, values] of Object.entries(filters)) {
    const field = corpus.fields.get(name);
    if (name === except || !field) continue;
    const wanted = new Set(
      values.map((v) => field.lookup.get(v)).filter((v) => v !== undefined),
    );
    tests.push((doc) => wanted.has(field.byDoc[doc]!));
  }
  if (years.length && except !== "year") {
    const wanted = new Set(years.map(Number));
    tests.push((doc) => wanted.has(corpus.year[doc]!));
  }
  return tests.length
    ? filter(matches, (doc) => tests.every((test) => test(doc)))
    : matches;
}

/**
 * Counts for each facet among the matches. A facet's counts ignore its own selection, so its
 * other values stay visible (several values of one facet mean any of them).
 */
export function countFacets(
  corpus: Corpus,
  matches: Matches,
  filters: Record<string, string[]>,
  years: string[],
): Facet[] {
  const facets: Facet[] = [];
  for (const name of facetFields(corpus)) {
    const field = corpus.fields.get(name)!;
    const counts = new Int32Array(field.values.length);
    for (const doc of applyFilters(corpus, matches, filters, years, name).ids) {
      const v = field.byDoc[doc]!;
      if (v >= 0) counts[v]!++;
    }
    facets.push(
      facet(
        name,
        field.values,
        counts,
        filters[name] ?? [],
        collation(corpus, name),
      ),
    );
  }
  const yearCounts = new Map<number, number>();
  for (const doc of applyFilters(corpus, matches, filters, years, "year").ids) {
    const year = corpus.year[doc]!;
    if (year) yearCounts.set(year, (yearCounts.get(year) ?? 0) + 1);
  }
  const yearList = [...yearCounts.keys()].sort((a, b) => b - a);
  facets.push(
    facet(
      "year",
      yearList.map(String),
      Int32Array.from(yearList, (y) => yearCounts.get(y)!),
      years,
    ),
  );
  return facets.filter((f) => f.values.length > 0);
}

/**
 * Each value's place among its field's values in `localeCompare` order (ties in value order),
 * worked out once per corpus version, so ranking a facet compares integers.
 */
function collation(corpus: Corpus, name: string): Int32Array {
  return derived(corpus, `facet-collation:${name}`, () => {
    const { values } = corpus.fields.get(name)!;
    const sorted = values
      .map((_, i) => i)
      .sort((a, b) => values[a]!.localeCompare(values[b]!));
    const rank = new Int32Array(values.length);
    sorted.forEach((v, at) => (rank[v] = at));
    return rank;
  });
}

/**
 * The values to list: those counted or selected, by count then by `rank` (or in the given
 * order without one), the first SHOWN_VALUES and every selected one. Only those become objects.
 */
function facet(
  field: string,
  values: string[],
  counts: Int32Array,
  selected: string[],
  rank?: Int32Array,
): Facet {
  const chosen = new Set(selected);
  const listed: number[] = [];
  for (let i = 0; i < values.length; i++)
    if (counts[i]! > 0 || chosen.has(values[i]!)) listed.push(i);
  if (rank)
    listed.sort((a, b) => counts[b]! - counts[a]! || rank[a]! - rank[b]!);
  const shown = listed.filter(
    (v, i) => i < SHOWN_VALUES || chosen.has(values[v]!),
  );
  return {
    field,
    values: shown.map((i) => ({
      value: values[i]!,
      count: counts[i]!,
      selected: chosen.has(values[i]!),
    })),
  };
}
