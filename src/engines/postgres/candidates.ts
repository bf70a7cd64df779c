import type { PoolClient } from "pg";
import type { QueryNode, TermNode } from "../../query/ast.ts";
import { PART_CHARS } from "../../text/parts.ts";
import type { Ceiling, Order, StatementRow, Variant } from "../store.ts";
import type { Sql } from "./compile.ts";
import type { CandidateRow } from "./segment.ts";
import { quoteLexeme } from "./rows.ts";
import { prepared } from "./shards.ts";

/**
 * Candidates a shard hands over per round of a results page in relevance order (the best by
 * their ceiling; see `readBest`), the extra rows read past the page in a date order, so
 * ties on a date are ordered by score, and the rows an export reads at a time.
 */
export const candidateLimits = {
  perShard: 200,
  ties: 200,
  /** Rows an export's cursor reads from a shard at a time. */
  exportBatch: 2000,
};

/** What a candidate query reads of a tree: the lexemes whose positions scoring needs, the fields it names. */
export interface Wanted {
  lexemes: string[];
  fields: boolean;
}

/** The lexemes whose positions scoring and phrase checks read, and whether any metadata field is named. */
export function wantedOf(
  root: QueryNode | undefined,
  variants: (node: TermNode) => Variant[],
): Wanted {
  const lexemes = new Set<string>();
  let fields = false;
  const visit = (node: QueryNode): void => {
    switch (node.type) {
      case "term":
        for (const v of variants(node)) lexemes.add(v.term);
        return;
      case "phrase":
        for (const t of node.terms) lexemes.add(t);
        return;
      case "field":
        fields = true;
        return;
      case "not":
        return visit(node.child);
      default:
        return node.children.forEach(visit);
    }
  };
  if (root) visit(root);
  return { lexemes: [...lexemes], fields };
}

/**
 * The SQL reading candidates: a match's word counts and the positions of the query's lexemes.
 * The positions come from `ts_filter(setweight(tv, 'C', lexemes), '{c}')`: the vector cut
 * down to the query's lexemes in C, ten times cheaper than unnesting every lexeme of it (the
 * weight C is used for nothing else; title and body are told apart by position).
 */
function candidateSql(
  where: string,
  lexemes: string,
  fields: boolean,
  order: string,
  limit: string,
  hits = false,
): string {
  return `
    SELECT c.id, c.title_words, c.body_words, c.date_key, c.group_id,
      ts_filter(setweight(c.tv, 'C', ${lexemes}::text[]), '{c}')::text AS occ
      ${fields ? FIELDS_COLUMN : ""}
      ${hits ? HIT_COLUMNS : ""}
    FROM (
      SELECT id, title_words, body_words, date_key, group_id, tv
        ${innerColumns(fields, hits)}
      FROM statements
      WHERE ${where} ${order} ${limit}
    ) c ${order}`;
}

/** The fields a query names, as `CandidateRow.fields`. */
const FIELDS_COLUMN =
  ", jsonb_build_object('source', c.source, 'lang', c.lang, 'meta', c.meta) AS fields";

/** What a result line shows of a statement, read with it when an export streams (`CandidateRow.hit`). */
const HIT_COLUMNS = ", c.title, c.body, c.date, c.source, c.url, c.lang";

/** The columns a candidate query reads besides its own: a named field's, a result line's. */
function innerColumns(fields: boolean, hits: boolean): string {
  return [
    ...(fields || hits ? ["source", "lang"] : []),
    ...(fields ? ["meta"] : []),
    // A snippet is looked for in the first part of a huge statement only (src/parts.ts).
    ...(hits
      ? ["title", `left(body, ${PART_CHARS}) AS body`, "date", "url"]
      : []),
  ]
    .map((c) => `, ${c}`)
    .join("");
}

/** How a date order sorts a shard's matches, ties by id. */
function byDate(order: Exclude<Order, "relevance">): string {
  return order === "oldest"
    ? "ORDER BY date_key ASC NULLS LAST, id"
    : "ORDER BY date_key DESC NULLS LAST, id";
}

/**
 * A shard's candidates for a page in a date order needing its first `count` results: the
 * first `count` by date, and some ties. Also says whether it read every match of the shard.
 */
export async function readByDate(
  client: PoolClient,
  sql: Sql,
  where: string,
  wanted: Wanted,
  order: Exclude<Order, "relevance">,
  count: number,
): Promise<{ rows: CandidateRow[]; all: boolean }> {
  const limit = count + candidateLimits.ties;
  const { rows } = await prepared<CandidateRow>(
    client,
    datedSql(sql, where, wanted, order, limit),
    sql.values,
  );
  return { rows, all: rows.length < limit };
}

/** The SQL of a shard's matches in a date order, the first `limit` or all. */
export function datedSql(
  sql: Sql,
  where: string,
  wanted: Wanted,
  order: Exclude<Order, "relevance">,
  limit?: number,
  hits = false,
): string {
  const l = sql.param(wanted.lexemes);
  return candidateSql(
    where,
    l,
    wanted.fields,
    byDate(order),
    limit === undefined ? "" : `LIMIT ${limit}`,
    hits,
  );
}

/** Where a shard's best-first reading stopped: the last row handed over, in the order read. */
export interface Mark {
  ceiling: number;
  /** Its date key, -Infinity when undated. */
  dk: number;
  id: string;
}

/**
 * A shard's next `limit` matches by their ceiling (the plan's bound of their score, worked
 * out here from each vector's counts of the query's words: `ceilingSql`), best first, then
 * newest, after `after`. Only these rows' vectors go to Node to be scored; no match left on
 * the shard scores above the last one's ceiling, so the pipeline knows when it has the top k.
 */
export async function readBest(
  client: PoolClient,
  sql: Sql,
  where: string,
  wanted: Wanted,
  ceiling: Ceiling,
  limit: number,
  after?: Mark,
): Promise<{ rows: CandidateRow[]; all: boolean; last?: Mark }> {
  const { rows } = await prepared<CandidateRow & Mark>(
    client,
    bestSql(sql, where, wanted, ceiling, limit, after),
    sql.values,
  );
  const last = rows.at(-1);
  return {
    rows,
    all: rows.length < limit,
    ...(last
      ? { last: { ceiling: last.ceiling, dk: last.dk, id: last.id } }
      : {}),
  };
}

/** The SQL of a shard's matches best first by ceiling, then newest: the next `limit` after `after`, or all. */
export function bestSql(
  sql: Sql,
  where: string,
  wanted: Wanted,
  ceiling: Ceiling,
  limit?: number,
  after?: Mark,
  hits = false,
): string {
  const l = sql.param(wanted.lexemes);
  const bound = ceilingSql(ceiling, sql);
  let from = `(SELECT *, ${bound.total} AS ceiling FROM (
      SELECT id, title_words, body_words, date_key, group_id, tv,
        coalesce(date_key, '-Infinity') AS dk ${bound.columns}
        ${innerColumns(wanted.fields, hits)}
      FROM statements WHERE ${where}) t) b`;
  if (after) {
    const [c, d, i] = [after.ceiling, after.dk, after.id].map((v) =>
      sql.param(v),
    );
    from = `(SELECT * FROM ${from} WHERE ceiling < ${c}::float8 OR (ceiling = ${c}::float8
      AND (dk < ${d}::float8 OR (dk = ${d}::float8 AND id > ${i}::text)))) a`;
  }
  return `SELECT c.id, c.title_words, c.body_words, c.date_key, c.group_id, c.ceiling, c.dk,
      ts_filter(setweight(c.tv, 'C', ${l}::text[]), '{c}')::text AS occ
      ${wanted.fields ? FIELDS_COLUMN : ""}
      ${hits ? HIT_COLUMNS : ""}
    FROM (SELECT * FROM ${from} ORDER BY ceiling DESC, dk DESC, id
      ${limit === undefined ? "" : `LIMIT ${limit}`}) c
    ORDER BY c.ceiling DESC, c.dk DESC, c.id`;
}

/**
 * Vector reads per row at most for a ceiling: a long query's parts are bounded in groups, as
 * each read decompresses the whole vector.
 */
export const CEILING_READS = 6;

type Part = Ceiling["parts"][number];

/**
 * A ceiling as SQL over a row of `statements`. Each group of parts (one part each, for a
 * query of up to `CEILING_READS` parts) reads its words' weighted count `t` from the vector
 * with `ts_rank_cd` (with one-position covers, the sum of the positions' weights: title
 * positions are `A`, body ones `D`), as columns `t0`, `t1` …. A group of `n` parts on the
 * same fields, whose words stand in at most `m` of its parts, scores at most
 * `factor × n × sat(m t / n)`: saturation is concave, so parts sharing a count score most
 * when they share it evenly (for one part, exactly its `factor × sat(t)`).
 */
export function ceilingSql(
  ceiling: Ceiling,
  sql: Sql,
): { columns: string; total: string } {
  const { k, b, boosts } = ceiling;
  const groups = groupsOf(ceiling.parts);
  if (groups.length === 0) return { columns: "", total: "0::float8" };
  const p = (v: number) => `${sql.param(v)}::float8`;
  const columns = groups.map((group, i) => {
    const { fields } = group[0]!;
    const boost = (f: number) => (fields.includes(f) ? (boosts[f] ?? 1) : 0);
    const top = Math.max(boost(0), boost(1));
    // {D, C, B, A}, each at most 1: scaled by the largest boost and multiplied back.
    const weights = [boost(1) / top, 0, 0, boost(0) / top];
    const terms = [...new Set(group.flatMap((part) => part.terms))];
    const query = terms.map(quoteLexeme).join(" | ");
    return `, ${p(top)} * ts_rank_cd(${sql.param(weights)}::float4[], tv, ${sql.param(query)}::tsquery, 0) AS t${i}`;
  });
  const total = groups.map((group, i) => {
    const { fields, average } = group[0]!;
    const length = fields
      .map(
        (f) =>
          `${p(boosts[f] ?? 1)} * ${f === 0 ? "title_words" : "body_words"}`,
      )
      .join(" + ");
    const uses = new Map<string, number>();
    for (const part of group)
      for (const term of part.terms) uses.set(term, (uses.get(term) ?? 0) + 1);
    const m = Math.max(...uses.values());
    const factor = Math.max(...group.map((part) => part.factor));
    const t = `(${p(m)} * t${i})`;
    return `${p(factor)} * ${t} * ${p(k + 1)} / (${t} / ${p(group.length)} + ${p(k)} * (${p(1 - b)} + ${p(b)} * (${length}) / ${p(average > 0 ? average : 1)}))`;
  });
  return { columns: columns.join(""), total: total.join(" + ") };
}

/** Parts in at most about `CEILING_READS` groups, each of parts on the same fields. */
function groupsOf(parts: readonly Part[]): Part[][] {
  if (parts.length <= CEILING_READS) return parts.map((part) => [part]);
  const byFields = new Map<string, Part[]>();
  for (const part of parts) {
    const key = part.fields.join(",");
    byFields.set(key, [...(byFields.get(key) ?? []), part]);
  }
  const size = Math.ceil(parts.length / CEILING_READS);
  return [...byFields.values()].flatMap((same) =>
    Array.from({ length: Math.ceil(same.length / size) }, (_, i) =>
      same.slice(i * size, (i + 1) * size),
    ),
  );
}

/** The columns a result line shows, by id, from one shard. */
export interface HitRow {
  id: string;
  title: string;
  body: string;
  date: string | null;
  source: string | null;
  url: string | null;
  lang: string | null;
  group_id: string | null;
}

export async function readHits(
  client: PoolClient,
  ids: string[],
): Promise<Map<string, StatementRow>> {
  if (ids.length === 0) return new Map();
  const { rows } = await prepared<HitRow>(
    client,
    // A snippet is looked for in the first part of a huge statement only (src/parts.ts).
    `SELECT id, title, left(body, ${PART_CHARS}) AS body, date, source, url, lang, group_id
     FROM statements WHERE id = ANY($1)`,
    [ids],
  );
  return new Map(rows.map((r) => [r.id, statementRowOf(r)]));
}

/** A result line's statement from its columns. */
export function statementRowOf(r: HitRow): StatementRow {
  return {
    statement: {
      id: r.id,
      title: r.title,
      body: r.body,
      ...(r.date ? { date: r.date } : {}),
      ...(r.source ? { source: r.source } : {}),
      ...(r.url ? { url: r.url } : {}),
      ...(r.lang ? { lang: r.lang } : {}),
    },
    ...(r.group_id ? { group: r.group_id } : {}),
  };
}
