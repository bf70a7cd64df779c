import type { PoolClient } from "pg";
import Cursor from "pg-cursor";
import { PART_CHARS } from "../../text/parts.ts";
import type { Sort } from "../../query/params.ts";
import type { Sql } from "./compile.ts";
import { occurrencesOf, type Candidate } from "./score.ts";
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

interface CandidateRow {
  id: string;
  title_words: number;
  body_words: number;
  date_key: number | null;
  occ: string;
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
  order: string,
  limit: string,
): string {
  return `
    SELECT c.id, c.title_words, c.body_words, c.date_key,
      ts_filter(setweight(c.tv, 'C', ${lexemes}::text[]), '{c}')::text AS occ
    FROM (
      SELECT id, title_words, body_words, date_key, tv FROM statements
      WHERE ${where} ${order} ${limit}
    ) c`;
}

function toCandidate(row: CandidateRow, shard: number): Candidate {
  return {
    id: row.id,
    shard,
    titleWords: row.title_words,
    bodyWords: row.body_words,
    dateKey: row.date_key ?? -Infinity,
    occurrences: occurrencesOf(row.occ, row.title_words),
    score: 0,
  };
}

/**
 * A shard's candidates for a page needing its first `wanted` results: every match when there
 * are at most `candidateLimits.perShard` (or `wanted`) of them, otherwise the newest; in a
 * date order, the first `wanted` and some ties. The bound is applied whatever the count, so
 * the candidates can be read while the matches are being counted (`searchPage`).
 */
export async function readCandidates(
  client: PoolClient,
  shard: number,
  sql: Sql,
  where: string,
  lexemes: string[],
  sort: Sort,
  wanted: number,
): Promise<Candidate[]> {
  const l = sql.param(lexemes);
  let order: string;
  let limit: string;
  if (sort === "relevance") {
    order = "ORDER BY date_key DESC NULLS LAST, id";
    limit = `LIMIT ${Math.max(candidateLimits.perShard, wanted)}`;
  } else {
    order =
      sort === "newest"
        ? "ORDER BY date_key DESC NULLS LAST, id"
        : "ORDER BY date_key ASC NULLS LAST, id";
    limit = `LIMIT ${wanted + candidateLimits.ties}`;
  }
  const { rows } = await prepared<CandidateRow>(
    client,
    candidateSql(where, l, order, limit),
    sql.values,
  );
  return rows.map((r) => toCandidate(r, shard));
}

/** Every match of a shard, a batch at a time through a server-side cursor (exports). */
export async function* allCandidates(
  client: PoolClient,
  shard: number,
  sql: Sql,
  where: string,
  lexemes: string[],
  batch = 1000,
): AsyncGenerator<Candidate[]> {
  const l = sql.param(lexemes);
  const cursor = client.query(
    new Cursor<CandidateRow>(candidateSql(where, l, "", ""), sql.values),
  );
  try {
    for (;;) {
      const rows = await cursor.read(batch);
      if (rows.length === 0) return;
      yield rows.map((r) => toCandidate(r, shard));
    }
  } finally {
    await cursor.close();
  }
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
}

export async function readHits(
  client: PoolClient,
  ids: string[],
): Promise<Map<string, HitRow>> {
  if (ids.length === 0) return new Map();
  const { rows } = await prepared<HitRow>(
    client,
    // A snippet is looked for in the first part of a huge statement only (src/parts.ts).
    `SELECT id, title, left(body, ${PART_CHARS}) AS body, date, source, url, lang
     FROM statements WHERE id = ANY($1)`,
    [ids],
  );
  return new Map(rows.map((r) => [r.id, r]));
}
