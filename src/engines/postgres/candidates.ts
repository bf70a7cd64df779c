import type { PoolClient } from "pg";
import Cursor from "pg-cursor";
import type { QueryNode, TermNode } from "../../query/ast.ts";
import { PART_CHARS } from "../../text/parts.ts";
import type { Order, StatementRow, Variant } from "../store.ts";
import type { Sql } from "./compile.ts";
import type { CandidateRow } from "./segment.ts";
import { prepared } from "./shards.ts";

/**
 * Matches a shard ranks at most for a results page. BM25 needs each match's vector, read
 * from the table (PostgreSQL's known ranking cost): past this many matches on a shard, the
 * newest this many are ranked. Exports rank every match.
 */
export const candidateLimits = {
  perShard: 2000,
  /** Extra rows read past the page in a date order, so ties on a date are ordered by score. */
  ties: 200,
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
): string {
  return `
    SELECT c.id, c.title_words, c.body_words, c.date_key, c.group_id,
      ts_filter(setweight(c.tv, 'C', ${lexemes}::text[]), '{c}')::text AS occ
      ${fields ? ", jsonb_build_object('source', c.source, 'lang', c.lang, 'meta', c.meta) AS fields" : ""}
    FROM (
      SELECT id, title_words, body_words, date_key, group_id, tv
        ${fields ? ", source, lang, meta" : ""}
      FROM statements
      WHERE ${where} ${order} ${limit}
    ) c`;
}

/**
 * A shard's candidates for a page needing its first `wanted` results: every match when there
 * are at most `candidateLimits.perShard` (or `wanted`) of them, otherwise the newest; in a
 * date order, the first `wanted` and some ties. The bound does not depend on the count, so
 * the candidates can be read while the matches are being counted. Also says whether it read
 * every match of the shard.
 */
export async function readCandidates(
  client: PoolClient,
  sql: Sql,
  where: string,
  wanted: Wanted,
  order: Order,
  count: number,
): Promise<{ rows: CandidateRow[]; all: boolean }> {
  const l = sql.param(wanted.lexemes);
  const limit =
    order === "relevance"
      ? Math.max(candidateLimits.perShard, count)
      : count + candidateLimits.ties;
  const by =
    order === "oldest"
      ? "ORDER BY date_key ASC NULLS LAST, id"
      : "ORDER BY date_key DESC NULLS LAST, id";
  const { rows } = await prepared<CandidateRow>(
    client,
    candidateSql(where, l, wanted.fields, by, `LIMIT ${limit}`),
    sql.values,
  );
  return { rows, all: rows.length < limit };
}

/** Every match of a shard, a batch at a time through a server-side cursor (exports). */
export async function* allCandidates(
  client: PoolClient,
  sql: Sql,
  where: string,
  wanted: Wanted,
  batch = 1000,
): AsyncGenerator<CandidateRow[]> {
  const l = sql.param(wanted.lexemes);
  const cursor = client.query(
    new Cursor<CandidateRow>(
      candidateSql(where, l, wanted.fields, "", ""),
      sql.values,
    ),
  );
  try {
    for (;;) {
      const rows = await cursor.read(batch);
      if (rows.length === 0) return;
      yield rows;
    }
  } finally {
    await cursor.close();
  }
}

/** The columns a result line shows, by id, from one shard. */
interface HitRow {
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
  return new Map(
    rows.map((r) => [
      r.id,
      {
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
      },
    ]),
  );
}
