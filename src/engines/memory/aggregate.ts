import type {
  AggregateRequest,
  Aggregates,
  MatchPlan,
  Matches,
  NameFilter,
} from "../store.ts";
import { isNameField, NAME_FIELDS } from "../../query/fields.ts";
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
  const dated = withinDates(
    corpus,
    withNames(corpus, scored, plan.names),
    plan.dates,
  );
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
      facets.set(name, countField(corpus, n.unfaceted, plan, name, want.top));
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
 * The forms each statement names per name field (`Statement.entities`), numbered: worked out
 * once per corpus generation, so filters and counts read numbers.
 */
export function nameLists(corpus: Corpus) {
  return derived(corpus, "name-lists", () => {
    const out = new Map<
      string,
      {
        values: string[];
        lookup: Map<string, number>;
        byDoc: (Int32Array | undefined)[];
      }
    >();
    for (const field of NAME_FIELDS) {
      const values: string[] = [];
      const lookup = new Map<string, number>();
      const byDoc: (Int32Array | undefined)[] = [];
      corpus.statements.forEach((s, doc) => {
        const forms = s?.entities?.[field];
        if (!forms?.length) return;
        byDoc[doc] = Int32Array.from(new Set(forms), (form) => {
          let v = lookup.get(form);
          if (v === undefined) lookup.set(form, (v = values.push(form) - 1));
          return v;
        });
      });
      if (values.length) out.set(field, { values, lookup, byDoc });
    }
    return out;
  });
}

// Whether a statement names one of the forms (numbered as `nameLists` numbers them).
function namesAny(
  corpus: Corpus,
  field: string,
  forms: readonly string[],
): (doc: number) => boolean {
  const list = nameLists(corpus).get(field);
  if (!list) return () => false;
  const wanted = new Set(
    forms.map((f) => list.lookup.get(f)).filter((v) => v !== undefined),
  );
  return (doc) => {
    const have = list.byDoc[doc];
    if (!have) return false;
    for (const v of have) if (wanted.has(v)) return true;
    return false;
  };
}

/** Keeps statements that name what each of the query's names asks (or do not, for `not`). */
function withNames(
  corpus: Corpus,
  matches: Matches,
  names: readonly NameFilter[],
): Matches {
  if (!names.length) return matches;
  const tests = names.map((n) => {
    const test = namesAny(corpus, n.field, n.forms);
    return n.not ? (doc: number) => !test(doc) : test;
  });
  return keep(matches, (doc) => tests.every((test) => test(doc)));
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
    if (name === except) continue;
    if (isNameField(name)) {
      tests.push(namesAny(corpus, name, values));
      continue;
    }
    const field = corpus.fields.get(name);
    if (!field) continue;
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
  top?: number,
): Map<string, number> {
  if (isNameField(name)) return countNames(corpus, matches, plan, name, top);
  const field = corpus.fields.get(name);
  if (!field) return new Map();
  const counts = new Int32Array(field.values.length);
  const ids = applyFilters(corpus, matches, plan.filters, plan.years, name).ids;
  for (const doc of ids) {
    const v = field.byDoc[doc]!;
    if (v >= 0) counts[v]!++;
  }
  const selected = (plan.filters[name] ?? []).map((v) => field.lookup.get(v));
  return countsOf(counts, field.values, selected, top);
}

/**
 * The values with a count, by name: the `top` most counted (ties included) and the
 * `selected` ones when `top` is given, else all of them. `counted` lists the values counted
 * at least once, when the caller kept it: a name field has hundreds of thousands of values
 * and a page's matches touch a few thousand.
 */
function countsOf(
  counts: Int32Array,
  names: readonly string[],
  selected: (number | undefined)[],
  top?: number,
  counted?: readonly number[],
): Map<string, number> {
  const values = counted ?? [...counts.keys()];
  const least =
    top === undefined ? 1 : Math.max(1, nthLargest(counts, values, top));
  const out = new Map<string, number>();
  for (const v of values)
    if (counts[v]! >= least) out.set(names[v]!, counts[v]!);
  for (const v of selected)
    if (v !== undefined && counts[v]! > 0) out.set(names[v]!, counts[v]!);
  return out;
}

// The n-th largest count of `values` (0 when fewer are above 0), by a histogram: no sort.
function nthLargest(
  counts: Int32Array,
  values: readonly number[],
  n: number,
): number {
  let most = 0;
  for (const v of values) if (counts[v]! > most) most = counts[v]!;
  const many = new Int32Array(most + 1);
  for (const v of values) if (counts[v]! > 0) many[counts[v]!]!++;
  for (let c = most, seen = 0; c > 0; c--)
    if ((seen += many[c]!) >= n) return c;
  return 0;
}

// Each statement once per group of the forms it names (`plan.nameGroups`).
function countNames(
  corpus: Corpus,
  matches: Matches,
  plan: MatchPlan,
  name: string,
  top?: number,
): Map<string, number> {
  const list = nameLists(corpus).get(name);
  if (!list) return new Map();
  const { groups, groupOf, starts, named } = groupNumbers(
    list,
    corpus.statements.length,
    plan.nameGroups.get(name),
  );
  const counts = new Int32Array(groups.length);
  const ids = applyFilters(corpus, matches, plan.filters, plan.years, name).ids;
  const counted: number[] = [];
  for (const doc of ids)
    for (let i = starts[doc]!, end = starts[doc + 1]!; i < end; i++) {
      const g = named[i]!;
      if (counts[g]!++ === 0) counted.push(g);
    }
  const selected = (plan.filters[name] ?? []).map((form) => {
    const v = list.lookup.get(form);
    return v === undefined ? undefined : groupOf[v];
  });
  return countsOf(counts, groups, selected, top, counted);
}

// Each form's group, numbered, and the groups each statement names, each once: made once per
// list of forms and grouping, as both stay the same until the archive changes. A large
// archive has hundreds of thousands of forms, and a count over every match read each
// statement's forms through their groups, skipping a group met twice (a quarter of a
// results page's search on the 17,208 statements); it now reads one array in order.
const numbered = new WeakMap<
  NameList,
  {
    renamed?: Map<string, string>;
    groups: string[];
    groupOf: Int32Array;
    /** Statement `doc`'s groups: `named[starts[doc]]` up to `named[starts[doc + 1]]`. */
    starts: Int32Array;
    named: Int32Array;
  }
>();
type NameList = NonNullable<ReturnType<ReturnType<typeof nameLists>["get"]>>;
function groupNumbers(
  list: NameList,
  capacity: number,
  renamed?: Map<string, string>,
) {
  const kept = numbered.get(list);
  if (kept && kept.renamed === renamed) return kept;
  const groups: string[] = [];
  const numbers = new Map<string, number>();
  const groupOf = Int32Array.from(list.values, (form) => {
    const group = renamed?.get(form) ?? form;
    let g = numbers.get(group);
    if (g === undefined) numbers.set(group, (g = groups.push(group) - 1));
    return g;
  });
  const starts = new Int32Array(capacity + 1);
  const named: number[] = [];
  for (let doc = 0; doc < capacity; doc++) {
    starts[doc] = named.length;
    const have = list.byDoc[doc];
    if (have)
      for (const g of new Set(have.map((v) => groupOf[v]!))) named.push(g);
  }
  starts[capacity] = named.length;
  const made = {
    ...(renamed ? { renamed } : {}),
    groups,
    groupOf,
    starts,
    named: Int32Array.from(named),
  };
  numbered.set(list, made);
  return made;
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
  // Years are four digits: an array of counts, not a map updated per match (any other
  // year, were there one, is counted in the map).
  const perYear = new Int32Array(10_000);
  for (const doc of ids) {
    const year = corpus.year[doc]!;
    if (year > 0 && year < 10_000) perYear[year]!++;
    else if (year) counts.set(year, (counts.get(year) ?? 0) + 1);
  }
  perYear.forEach((n, year) => n > 0 && counts.set(year, n));
  return new Map([...counts].map(([y, n]) => [String(y), n]));
}

/** Result lines among these matches, each group of versions counted once. */
function countGroups(corpus: Corpus, ids: Int32Array): number {
  const { key } = groupColumns(corpus);
  // A mark per statement number, not a set: 30,000 matches took 6 ms as a set.
  const seen = new Uint8Array(key.length);
  let groups = 0;
  for (const doc of ids) {
    const k = key[doc]!;
    if (!seen[k]) ((seen[k] = 1), groups++);
  }
  return groups;
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
