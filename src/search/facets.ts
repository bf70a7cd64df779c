import type { Store } from "../engines/store.ts";
import type { Steps } from "../runtime/deadline.ts";
import type { Facet } from "./pages.ts";
import { isNameField, NAME_FIELDS } from "../query/fields.ts";

/** A field with more distinct values than this is an identifier or a free text, not a facet. */
export const MAX_VALUES = 250;
/** Values listed per facet; selected values are always listed. */
export const SHOWN_VALUES = 30;
/**
 * A field with at least this many values, nearly all (`ID_SHARE`) held by one statement
 * each, names statements rather than groups them (`parallel_id`): a facet of it would list
 * counts of 1. Fewer values than this say too little to tell (a small archive's `country`).
 */
export const ID_MIN_VALUES = 20;
export const ID_SHARE = 0.8;

/**
 * The fields worth faceting on: `source`, then metadata fields with at most `MAX_VALUES`
 * distinct values, leaving out identifiers (`namesEach`) and a field that only renames
 * another (`country_iso` beside `country`); then the name fields the archive has (`person`,
 * `place`, `org`), however many values, as each page lists only the most named.
 */
export function* facetFields(store: Store): Steps<string[]> {
  const values = store.fieldValues();
  let fields = chosen.get(values);
  if (!fields) {
    fields = yield* chooseFields(store, values);
    fields.push(...NAME_FIELDS.filter((f) => values.has(f)));
    chosen.set(values, fields);
  }
  return fields;
}

// The choice reads every pair of fields with as many values: made once for each set of
// values the store gives (in memory they change with the archive, on PostgreSQL with its
// catalog).
const chosen = new WeakMap<Map<string, Map<string, number>>, string[]>();

function* chooseFields(
  store: Store,
  values: Map<string, Map<string, number>>,
): Steps<string[]> {
  const statements = store.statistics().statements;
  const candidates = [...values]
    .filter(
      ([name, v]) =>
        !isNameField(name) &&
        v.size <= MAX_VALUES &&
        v.size < statements &&
        !namesEach(v),
    )
    .map(([name]) => name)
    .sort((a, b) =>
      a === "source" ? -1 : b === "source" ? 1 : a.localeCompare(b),
    );
  const out: string[] = [];
  for (const name of candidates) {
    let renamed = false;
    for (const other of candidates)
      if (other !== name && (yield* renames(store, values, name, other)))
        renamed = true;
    if (!renamed) out.push(name);
  }
  return out;
}

// Nearly every value held by one statement alone: an identifier, not a grouping.
function namesEach(values: Map<string, number>): boolean {
  if (values.size < ID_MIN_VALUES) return false;
  let single = 0;
  for (const count of values.values()) if (count === 1) single++;
  return single >= ID_SHARE * values.size;
}

// `a` renames `b` when their values pair one to one and `a`'s are the shorter (codes, not names).
function* renames(
  store: Store,
  values: Map<string, Map<string, number>>,
  a: string,
  b: string,
): Steps<boolean> {
  const va = [...values.get(a)!.keys()];
  const vb = [...values.get(b)!.keys()];
  if (va.length !== vb.length) return false;
  const mean = (v: string[]) => v.reduce((n, s) => n + s.length, 0) / v.length;
  if (mean(va) > mean(vb) || (mean(va) === mean(vb) && a < b)) return false;
  const pairs = new Map<string, string>();
  for (const [x, y] of yield* store.fieldPairs(a, b)) {
    if (x === null && y === null) continue;
    if (x === null || y === null) return false;
    if ((pairs.get(x) ?? y) !== y) return false;
    pairs.set(x, y);
  }
  return true;
}

const collator = new Intl.Collator();

/**
 * The facets of a page: each facet field's values among the matches (`counts`, each ignoring
 * the field's own selection), then the years. Listed: the values counted, and the selected
 * ones the archive has (a selected value no statement has is not offered back); by count
 * (years newest first), the first `SHOWN_VALUES` and every selected one.
 */
export function listFacets(
  counts: Map<string, Map<string, number>>,
  fields: string[],
  archive: Map<string, Map<string, number>>,
  filters: Record<string, string[]>,
  years: string[],
): Facet[] {
  const facets = fields.map((field) =>
    listFacet(
      field,
      counts.get(field) ?? new Map(),
      filters[field] ?? [],
      (v) => archive.get(field)?.has(v) ?? false,
      (a, b) => b.count - a.count || collator.compare(a.value, b.value),
    ),
  );
  facets.push(
    listFacet(
      "year",
      counts.get("year") ?? new Map(),
      years,
      () => false,
      (a, b) => Number(b.value) - Number(a.value),
    ),
  );
  return facets.filter((f) => f.values.length > 0);
}

function listFacet(
  field: string,
  counts: Map<string, number>,
  selected: string[],
  known: (value: string) => boolean,
  order: (a: Facet["values"][number], b: Facet["values"][number]) => number,
): Facet {
  const chosen = new Set(selected);
  const values: Facet["values"] = [];
  // Only the first SHOWN_VALUES unselected values are kept, in order, as the counts are read:
  // sorting every value (the names in 30,000 matches, tens of thousands) took a second a page.
  const top: Facet["values"] = [];
  for (const [value, count] of counts) {
    if (!(count > 0)) continue;
    const entry = { value, count, selected: chosen.has(value) };
    if (entry.selected) {
      values.push(entry);
      continue;
    }
    if (top.length === SHOWN_VALUES && order(entry, top.at(-1)!) >= 0) continue;
    // After the values it ties with, as a stable sort would put it.
    let lo = 0;
    let hi = top.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (order(top[mid]!, entry) <= 0) lo = mid + 1;
      else hi = mid;
    }
    top.splice(lo, 0, entry);
    if (top.length > SHOWN_VALUES) top.pop();
  }
  for (const value of chosen)
    if (!(counts.get(value)! > 0) && known(value))
      values.push({ value, count: 0, selected: true });
  values.push(...top);
  values.sort(order);
  return {
    field,
    values: values.filter((v, i) => i < SHOWN_VALUES || v.selected),
  };
}
