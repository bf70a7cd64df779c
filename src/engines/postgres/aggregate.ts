import type { AggregateRequest, Aggregates, MatchPlan } from "../store.ts";
import { periodKey } from "../store.ts";
import { dayOfLocalDate } from "../../text/dates.ts";
import { all, compileFilters, fieldExpression, Sql } from "./compile.ts";
import { fanOut, prepared, type Shards } from "./shards.ts";
import { isNameField } from "../../query/fields.ts";

/** A pass over a plan's matches: the counts summed over the shards that answered, and those that did not. */
export interface Counted {
  counts: Aggregates;
  /** The total of each shard, by shard. */
  perShard: number[];
  missing: number[];
}

/**
 * Counts a plan's matches in one pass per shard with GROUPING SETS: the total, the count
 * before facet selections and echoes, the echoed ones, the groups of versions, each facet's
 * values (a facet ignores its own selection, so its other values stay visible), and the month
 * spans of the dates for the timeline.
 */
export async function aggregate(
  shards: Shards,
  match: (sql: Sql) => string,
  plan: MatchPlan,
  known: Set<string>,
  want: AggregateRequest,
): Promise<Counted> {
  const sql = new Sql();
  const where = match(sql);
  const echoes = plan.echoes ? "echoed" : "true";
  const selected = (except?: string) =>
    all([
      ...compileFilters(plan.filters, plan.years, known, sql, except),
      echoes,
    ]);
  const total = selected();
  // Name fields hold arrays: counted by their own pass (`countNames`), at the same time.
  const fields = (want.facets ?? []).filter((f) => !isNameField(f));
  const names = (want.facets ?? []).filter(isNameField);
  const named = Promise.all(
    names.map((field) => countNames(shards, match, plan, known, field)),
  );
  named.catch(() => undefined);
  const exprs = fields.map((f) => fieldExpression(f, sql));
  const counts = fields.map((f) => `count(*) FILTER (WHERE ${selected(f)})`);
  const month = (c: string) =>
    `(extract(year from ${c})::int * 12 + extract(month from ${c})::int - 1)`;
  const sets = [
    ...exprs.map((e) => `(${e})`),
    ...(want.facets ? ["(year)"] : []),
    ...(want.periods ? [`(${month("first_day")}, ${month("last_day")})`] : []),
    "()",
  ];
  const text = `
    SELECT
      ${exprs.map((e, i) => `GROUPING(${e}) AS g${i}, ${e} AS v${i}, ${counts[i]} AS c${i},`).join("\n")}
      ${want.facets ? `GROUPING(year) AS gy, year, count(*) FILTER (WHERE ${selected("year")}) AS cy,` : ""}
      ${want.periods ? `GROUPING(${month("first_day")}) AS gm, ${month("first_day")} AS fm, ${month("last_day")} AS lm,` : ""}
      count(*) AS unfaceted,
      count(*) FILTER (WHERE ${total}) AS total,
      count(*) FILTER (WHERE ${all(compileFilters(plan.filters, plan.years, known, sql))} AND echoed) AS echoed,
      ${want.groups ? `array_agg(DISTINCT group_id) FILTER (WHERE ${total} AND group_id IS NOT NULL) AS groups, count(*) FILTER (WHERE ${total} AND group_id IS NULL) AS alone,` : ""}
      min(first_day) FILTER (WHERE ${total}) AS first_day,
      max(last_day) FILTER (WHERE ${total}) AS last_day
    FROM statements WHERE ${where}
    GROUP BY GROUPING SETS (${sets.join(", ")})`;
  const { results, missing } = await fanOut(shards, (shard) =>
    shards.read(
      shard,
      async (client) => (await prepared(client, text, sql.values)).rows,
    ),
  );
  const out: Aggregates = {
    total: 0,
    unfaceted: 0,
    echoed: 0,
    facets: new Map(
      [...fields, ...(want.facets ? ["year"] : [])].map((f) => [f, new Map()]),
    ),
    periods: new Map(),
  };
  const perShard = results.map(() => 0);
  const groups = new Set<string>();
  let alone = 0;
  const add = <K>(m: Map<K, number>, key: K, n: number) =>
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
      } else if (want.facets && row.gy === 0) {
        if (row.year !== null)
          add(out.facets.get("year")!, String(row.year), Number(row.cy));
      } else if (want.periods && row.gm === 0) {
        if (row.fm !== null && Number(row.total) > 0)
          add(out.periods, periodKey(row.fm, row.lm), Number(row.total));
      } else {
        out.unfaceted += Number(row.unfaceted);
        out.total += Number(row.total);
        out.echoed += Number(row.echoed);
        perShard[shard] = Number(row.total);
        for (const g of row.groups ?? []) groups.add(g);
        alone += Number(row.alone ?? 0);
        const first = row.first_day
          ? dayOfLocalDate(new Date(row.first_day))
          : undefined;
        const last = row.last_day
          ? dayOfLocalDate(new Date(row.last_day))
          : undefined;
        if (first !== undefined && !(first >= (out.firstDay ?? Infinity)))
          out.firstDay = first;
        if (last !== undefined && !(last <= (out.lastDay ?? -Infinity)))
          out.lastDay = last;
      }
    }
  });
  if (want.groups) out.groups = groups.size + alone;
  const late = new Set(missing);
  (await named).forEach((counted, i) => {
    out.facets.set(names[i]!, counted.counts);
    for (const shard of counted.missing) late.add(shard);
  });
  return { counts: out, perShard, missing: [...late].sort((a, b) => a - b) };
}

/**
 * A name field's facet: each statement once per group of the forms it names (the plan's
 * `nameGroups`: only forms that are not their group's name are sent), ignoring the field's
 * own selection.
 */
async function countNames(
  shards: Shards,
  match: (sql: Sql) => string,
  plan: MatchPlan,
  known: Set<string>,
  field: string,
): Promise<{ counts: Map<string, number>; missing: number[] }> {
  const sql = new Sql();
  const renamed = [...(plan.nameGroups.get(field) ?? [])];
  const where = all([
    match(sql),
    ...compileFilters(plan.filters, plan.years, known, sql, field),
    plan.echoes ? "echoed" : undefined,
  ]);
  const text = `
    SELECT coalesce(m.grp, v.form) AS value, count(DISTINCT s.id) AS n
    FROM statements s CROSS JOIN LATERAL unnest(s.${field}) AS v(form)
    LEFT JOIN unnest(${sql.param(renamed.map((r) => r[0]))}::text[],
      ${sql.param(renamed.map((r) => r[1]))}::text[]) AS m(form, grp) ON m.form = v.form
    WHERE ${where}
    GROUP BY 1`;
  const { results, missing } = await fanOut(shards, (shard) =>
    shards.read(
      shard,
      async (client) => (await prepared(client, text, sql.values)).rows,
    ),
  );
  const counts = new Map<string, number>();
  for (const rows of results)
    for (const row of rows ?? [])
      counts.set(row.value, (counts.get(row.value) ?? 0) + Number(row.n));
  return { counts, missing };
}
