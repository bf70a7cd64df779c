import type { Facet, Timeline } from "../../archive.ts";
import { countsMonths, timelineBars } from "../../search/timeline.ts";
import { all, compileFilters, fieldExpression, Sql } from "./compile.ts";
import { fanOut, prepared, type Shards } from "./shards.ts";

/** Values listed per facet; selected values are always listed (as the memory engine's facets.ts). */
const SHOWN_VALUES = 30;

/** What one pass over a query's matches counts, summed over the shards that answered. */
export interface Aggregate {
  /** Matches before facet selections. */
  unfaceted: number;
  /** Matches within the facet selections: the total. */
  total: number;
  /** The total of each shard, by shard. */
  perShard: number[];
  /** Per facet field, value → count, each ignoring its own selection. */
  facets: Map<string, Map<string, number>>;
  /** `first month|last month` (months since year 0) → statements. */
  months: Map<string, number>;
  firstDay?: number;
  lastDay?: number;
  missing: number[];
}

/**
 * Counts a query's matches in one pass per shard with GROUPING SETS: the total, the count
 * before facet selections, each facet's values (a facet ignores its own selection, so its
 * other values stay visible), and the month spans of the dates for the timeline.
 */
export async function aggregate(
  shards: Shards,
  match: (sql: Sql) => string,
  filters: Record<string, string[]>,
  years: string[],
  facetFields: string[],
  known: Set<string>,
  facetsWanted: boolean,
): Promise<Aggregate> {
  const sql = new Sql();
  const where = match(sql);
  const allFilters = all(compileFilters(filters, years, known, sql));
  const fields = facetsWanted ? facetFields : [];
  const exprs = fields.map((f) => fieldExpression(f, sql));
  const counts = fields.map(
    (f) =>
      `count(*) FILTER (WHERE ${all(compileFilters(filters, years, known, sql, f))})`,
  );
  const yearCount = `count(*) FILTER (WHERE ${all(compileFilters(filters, years, known, sql, "year"))})`;
  const month = (c: string) =>
    `(extract(year from ${c})::int * 12 + extract(month from ${c})::int - 1)`;
  const sets = [
    ...exprs.map((e) => `(${e})`),
    ...(facetsWanted
      ? ["(year)", `(${month("first_day")}, ${month("last_day")})`]
      : []),
    "()",
  ];
  const text = `
    SELECT
      ${exprs.map((e, i) => `GROUPING(${e}) AS g${i}, ${e} AS v${i}, ${counts[i]} AS c${i},`).join("\n")}
      ${facetsWanted ? `GROUPING(year) AS gy, year, ${yearCount} AS cy, GROUPING(${month("first_day")}) AS gm, ${month("first_day")} AS fm, ${month("last_day")} AS lm,` : ""}
      count(*) AS unfaceted,
      count(*) FILTER (WHERE ${allFilters}) AS total,
      min(first_day) FILTER (WHERE ${allFilters}) AS first_day,
      max(last_day) FILTER (WHERE ${allFilters}) AS last_day
    FROM statements WHERE ${where}
    GROUP BY GROUPING SETS (${sets.join(", ")})`;
  const { results, missing } = await fanOut(shards, (shard) =>
    shards.read(
      shard,
      async (client) => (await prepared(client, text, sql.values)).rows,
    ),
  );
  const out: Aggregate = {
    unfaceted: 0,
    total: 0,
    perShard: results.map(() => 0),
    facets: new Map(
      [...fields, ...(facetsWanted ? ["year"] : [])].map((f) => [f, new Map()]),
    ),
    months: new Map(),
    missing,
  };
  const add = (m: Map<string, number>, key: string, n: number) =>
    m.set(key, (m.get(key) ?? 0) + n);
  results.forEach((rows, shard) => {
    for (const row of rows ?? []) {
      const set = fields.findIndex((_, i) => row[`g${i}`] === 0);
      if (set >= 0) {
        if (row[`v${set}`] !== null)
          add(
            out.facets.get(fields[set]!)!,
            String(row[`v${set}`]),
            Number(row[`c${set}`]),
          );
      } else if (facetsWanted && row.gy === 0) {
        if (row.year !== null)
          add(out.facets.get("year")!, String(row.year), Number(row.cy));
      } else if (facetsWanted && row.gm === 0) {
        if (row.fm !== null)
          add(out.months, `${row.fm}|${row.lm}`, Number(row.total));
      } else {
        out.unfaceted += Number(row.unfaceted);
        out.total += Number(row.total);
        out.perShard[shard] = Number(row.total);
        const first = row.first_day ? day(row.first_day) : undefined;
        const last = row.last_day ? day(row.last_day) : undefined;
        if (
          first !== undefined &&
          (out.firstDay === undefined || first < out.firstDay)
        )
          out.firstDay = first;
        if (
          last !== undefined &&
          (out.lastDay === undefined || last > out.lastDay)
        )
          out.lastDay = last;
      }
    }
  });
  return out;
}

// node-postgres reads a date as local midnight; the day number is what was stored.
function day(value: Date | string): number {
  const d = value instanceof Date ? value : new Date(value);
  return Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()) / 86_400_000;
}

/** The facets of a page, listed as the memory engine lists them. */
export function facetsOf(
  counts: Map<string, Map<string, number>>,
  facetFields: string[],
  filters: Record<string, string[]>,
  years: string[],
): Facet[] {
  const out: Facet[] = [];
  for (const field of facetFields) {
    const m = counts.get(field) ?? new Map<string, number>();
    out.push(facet(field, m, filters[field] ?? [], true));
  }
  const yearCounts = counts.get("year") ?? new Map<string, number>();
  out.push(facet("year", yearCounts, years, false));
  return out.filter((f) => f.values.length > 0);
}

function facet(
  field: string,
  counts: Map<string, number>,
  selected: string[],
  byCount: boolean,
): Facet {
  const chosen = new Set(selected);
  const values = [...counts.keys()];
  for (const s of selected)
    if (!counts.has(s) && field !== "year") values.push(s);
  let listed = values
    .map((value) => ({
      value,
      count: counts.get(value) ?? 0,
      selected: chosen.has(value),
    }))
    .filter((v) => v.count > 0 || v.selected);
  if (byCount)
    listed.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  else listed = listed.sort((a, b) => Number(b.value) - Number(a.value));
  return {
    field,
    values: listed.filter((v, i) => i < SHOWN_VALUES || v.selected),
  };
}

/** The timeline from month spans, as the memory engine's timeline.ts draws it. */
export function timelineOf(a: Aggregate): Timeline | undefined {
  if (a.firstDay === undefined || a.lastDay === undefined) return undefined;
  const byMonth = countsMonths(a.firstDay, a.lastDay);
  const monthOf = (d: number) => {
    const date = new Date(d * 86_400_000);
    return date.getUTCFullYear() * 12 + date.getUTCMonth();
  };
  const key = (month: number) => (byMonth ? month : Math.floor(month / 12));
  const counts = new Map<number, number>();
  let spread = 0;
  for (const [span, n] of a.months) {
    const [fm, lm] = span.split("|").map(Number) as [number, number];
    if (key(lm) > key(fm)) spread += n;
    for (let k = key(fm); k <= key(lm); k++)
      counts.set(k, (counts.get(k) ?? 0) + n);
  }
  return timelineBars(
    byMonth,
    key(monthOf(a.firstDay)),
    key(monthOf(a.lastDay)),
    (k) => counts.get(k) ?? 0,
    spread,
  );
}
