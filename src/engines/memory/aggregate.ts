import type {
  AggregateRequest,
  Aggregates,
  MatchPlan,
  Matches,
} from "../store.ts";
import { keepMatches as keep } from "../matches.ts";
import { periodKey } from "../store.ts";
import type { DateRange } from "../../query/ast.ts";
import { dateOfDay, dayNumber } from "../../text/dates.ts";
import { derived, type Corpus } from "./corpus.ts";
import { groupColumns } from "./segment.ts";

/** What a plan matched in the corpus, narrowed step by step, as the counts need it. */
export interface Narrowed {
  /** Matches within the dates, before facet selections and echoes: what tells whether to relax. */
  dated: Matches;
  /** Within the dates (and echoes, when asked for), before facet selections: what facets count. */
  unfaceted: Matches;
  /** Within every selection: the total. */
  matches: Matches;
  /** Matches before the echoes filter whose text more than one source published. */
  echoed: number;
}

/** Narrows the matches of a plan's tree by its dates, facet selections and echoes. */
export function narrow(
  corpus: Corpus,
  scored: Matches,
  plan: MatchPlan,
): Narrowed {
  const dated = withinDates(corpus, scored, plan.dates);
  const faceted = applyFilters(corpus, dated, plan.filters, plan.years);
  const { echoed } = groupColumns(corpus);
  const isEcho = (doc: number) => echoed[doc] === 1;
  const echoes = keep(faceted, isEcho);
  return {
    dated,
    unfaceted: plan.echoes ? keep(dated, isEcho) : dated,
    matches: plan.echoes ? echoes : faceted,
    echoed: echoes.ids.length,
  };
}

/** The counts `want` asks for over narrowed matches. */
export function aggregate(
  corpus: Corpus,
  n: Narrowed,
  plan: MatchPlan,
  want: AggregateRequest,
): Aggregates {
  const facets = new Map<string, Map<string, number>>();
  if (want.facets) {
    for (const name of want.facets)
      facets.set(name, countField(corpus, n.unfaceted, plan, name));
    facets.set("year", countYears(corpus, n.unfaceted, plan));
  }
  return {
    total: n.matches.ids.length,
    unfaceted: n.dated.ids.length,
    echoed: n.echoed,
    ...(want.groups ? { groups: countGroups(corpus, n.matches.ids) } : {}),
    facets,
    ...(want.periods ? spans(corpus, n.matches.ids) : { periods: new Map() }),
  };
}

/**
 * Keeps statements whose dates overlap the range; a year-only date covers its whole year.
 * `undated` keeps those without a date instead (their first day is NaN).
 */
function withinDates(
  corpus: Corpus,
  matches: Matches,
  { from, to, undated }: DateRange,
): Matches {
  if (undated)
    return keep(matches, (doc) => Number.isNaN(corpus.firstDay[doc]));
  if (!from && !to) return matches;
  const start = from ? dayNumber(from) : -Infinity;
  const end = to ? dayNumber(to) : Infinity;
  return keep(
    matches,
    (doc) => corpus.lastDay[doc]! >= start && corpus.firstDay[doc]! <= end,
  );
}

/** Keeps matches that have, for every selected field, one of its selected values (and a selected year). */
function applyFilters(
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
    ? keep(matches, (doc) => tests.every((test) => test(doc)))
    : matches;
}

// A facet's counts ignore its own selection, so its other values stay visible.
function countField(
  corpus: Corpus,
  matches: Matches,
  plan: MatchPlan,
  name: string,
): Map<string, number> {
  const field = corpus.fields.get(name);
  const out = new Map<string, number>();
  if (!field) return out;
  const counts = new Int32Array(field.values.length);
  const ids = applyFilters(corpus, matches, plan.filters, plan.years, name).ids;
  for (const doc of ids) {
    const v = field.byDoc[doc]!;
    if (v >= 0) counts[v]!++;
  }
  counts.forEach((n, v) => n > 0 && out.set(field.values[v]!, n));
  return out;
}

function countYears(
  corpus: Corpus,
  matches: Matches,
  plan: MatchPlan,
): Map<string, number> {
  const counts = new Map<number, number>();
  const ids = applyFilters(
    corpus,
    matches,
    plan.filters,
    plan.years,
    "year",
  ).ids;
  for (const doc of ids) {
    const year = corpus.year[doc]!;
    if (year) counts.set(year, (counts.get(year) ?? 0) + 1);
  }
  return new Map([...counts].map(([y, n]) => [String(y), n]));
}

/** Result lines among these matches, each group of versions counted once. */
function countGroups(corpus: Corpus, ids: Int32Array): number {
  const { key } = groupColumns(corpus);
  const keys = new Set<number>();
  for (const doc of ids) keys.add(key[doc]!);
  return keys.size;
}

/**
 * Each statement's first and last month (months since year 0), worked out once per corpus
 * generation, so a timeline adds up integers instead of making dates for every match.
 */
function months(corpus: Corpus) {
  return derived(corpus, "timeline-months", () => {
    const n = corpus.firstDay.length;
    const first = new Int32Array(n);
    const last = new Int32Array(n);
    for (let doc = 0; doc < n; doc++) {
      const day = corpus.firstDay[doc]!;
      if (Number.isNaN(day)) continue;
      const a = dateOfDay(day);
      const b = dateOfDay(corpus.lastDay[doc]!);
      first[doc] = a.getUTCFullYear() * 12 + a.getUTCMonth();
      last[doc] = b.getUTCFullYear() * 12 + b.getUTCMonth();
    }
    return { first, last };
  });
}

/** The matches by the months their dates cover, and the first and last day covered. */
function spans(
  corpus: Corpus,
  ids: Int32Array,
): Pick<Aggregates, "periods" | "firstDay" | "lastDay"> {
  const { first, last } = months(corpus);
  const periods = new Map<number, number>();
  let firstDay = Infinity;
  let lastDay = -Infinity;
  for (const doc of ids) {
    const day = corpus.firstDay[doc]!;
    if (Number.isNaN(day)) continue;
    if (day < firstDay) firstDay = day;
    if (corpus.lastDay[doc]! > lastDay) lastDay = corpus.lastDay[doc]!;
    const key = periodKey(first[doc]!, last[doc]!);
    periods.set(key, (periods.get(key) ?? 0) + 1);
  }
  return firstDay === Infinity ? { periods } : { periods, firstDay, lastDay };
}
