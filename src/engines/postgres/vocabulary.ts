import type { PoolClient } from "pg";
import type {
  TermCounts,
  VocabularyAnswer,
  VocabularyRequest,
} from "../store.ts";
import { fanOut, partName, prepared, type Shards } from "./shards.ts";

/** A vocabulary row: a term and its statement counts. */
interface Counted {
  term: string;
  df: number;
  title: number;
  body: number;
}

/** Words read under one sound key at most (names.ts verifies a few thousand per word). */
const KEY_TERMS = 3000;

/**
 * Reads what a query asks of the vocabulary from every shard and sums it: the counts of
 * terms, the most frequent terms under prefixes, the terms a few edits away, the words filed
 * under sound keys (names across scripts), with the counts of every term returned.
 */
export async function lookup(
  shards: Shards,
  request: VocabularyRequest,
): Promise<VocabularyAnswer> {
  const { results, missing } = await fanOut(shards, (shard) =>
    shards.read(shard, async (client) => {
      const listed = await readListed(client, request);
      const near: (readonly [string, Counted[]])[] = [];
      for (const [term, d] of request.near)
        near.push([`${term}\u0000${d}`, await nearTerms(client, term, d)]);
      return { ...listed, near };
    }),
  );
  const counts = new Map<string, TermCounts>();
  const count = (r: Counted) => {
    const c = counts.get(r.term) ?? { df: 0, title: 0, body: 0 };
    c.df += r.df;
    c.title += r.title;
    c.body += r.body;
    counts.set(r.term, c);
  };
  const prefixes = new Map<string, Map<string, number>>();
  const nearby = new Map<string, Map<string, number>>();
  const keys = new Map<string, Set<string>>(
    request.soundKeys.map((k) => [k, new Set()]),
  );
  const tally = (
    into: Map<string, Map<string, number>>,
    key: string,
    r: Counted,
  ) => {
    const m = into.get(key) ?? new Map<string, number>();
    m.set(r.term, (m.get(r.term) ?? 0) + r.df);
    into.set(key, m);
  };
  for (const result of results) {
    if (!result) continue;
    // A term is counted once per shard, however many lists name it.
    const seen = new Set<string>();
    const once = (r: Counted) => {
      if (seen.has(r.term)) return;
      seen.add(r.term);
      count(r);
    };
    for (const r of result.terms) once(r);
    for (const [prefix, rows] of result.prefixes)
      for (const r of rows) {
        tally(prefixes, prefix, r);
        once(r);
      }
    for (const [key, rows] of result.near)
      for (const r of rows) {
        tally(nearby, key, r);
        once(r);
      }
    for (const [key, rows] of result.keys)
      for (const r of rows) {
        keys.get(key)?.add(r.term);
        once(r);
      }
  }
  const sorted = (m: Map<string, number>): [string, number][] =>
    [...m].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return {
    counts,
    prefixes: new Map(
      request.prefixes.map(([p]) => [p, sorted(prefixes.get(p) ?? new Map())]),
    ),
    near: new Map(
      request.near.map(([term, d]) => {
        const key = `${term}\u0000${d}`;
        return [
          key,
          sorted(nearby.get(key) ?? new Map()).map(
            ([t, f]) =>
              [t, f, levenshtein(term, t)] as [string, number, number],
          ),
        ];
      }),
    ),
    soundKeys: new Map([...keys].map(([k, words]) => [k, [...words].sort()])),
    unavailable: missing.map(partName),
  };
}

/**
 * The counts of terms, every prefix's terms and the words under sound keys, in one round
 * trip. Per prefix, the terms under it are read first, by a range of the primary key (OFFSET
 * 0 keeps that subquery as it is), and only then the most frequent of them: else the planner
 * may walk every term by frequency.
 */
async function readListed(client: PoolClient, request: VocabularyRequest) {
  const empty =
    !request.terms.length &&
    !request.prefixes.length &&
    !request.soundKeys.length;
  const { rows } = empty
    ? { rows: [] }
    : await prepared<Counted & { kind: string; tag: string | null }>(
        client,
        `SELECT 't' AS kind, NULL AS tag, term, df, df_title AS title, df_body AS body
         FROM vocabulary WHERE term = ANY($1)
         UNION ALL
         SELECT 'p', q.i::text, t.term, t.df, t.title, t.body
         FROM unnest($2::text[], $3::int[]) WITH ORDINALITY AS q(prefix, lim, i)
         CROSS JOIN LATERAL (
           SELECT * FROM (
             SELECT term, df, df_title AS title, df_body AS body FROM vocabulary
             WHERE term >= q.prefix AND term < q.prefix || chr(1114111)
               AND starts_with(term, q.prefix)
             OFFSET 0
           ) under ORDER BY df DESC, term LIMIT q.lim
         ) t
         UNION ALL
         SELECT 'k', k.key, v.term, v.df, v.df_title, v.df_body
         FROM unnest($4::text[]) AS q(key)
         CROSS JOIN LATERAL (
           SELECT key, term FROM name_keys WHERE key = q.key LIMIT ${KEY_TERMS}
         ) k
         JOIN vocabulary v ON v.term = k.term`,
        [
          request.terms,
          request.prefixes.map(([prefix]) => prefix),
          request.prefixes.map(([, limit]) => limit),
          request.soundKeys,
        ],
      );
  const terms: Counted[] = [];
  const prefixes = request.prefixes.map(
    ([prefix]) => [prefix, [] as Counted[]] as const,
  );
  const keys = new Map<string, Counted[]>();
  for (const { kind, tag, ...row } of rows) {
    if (kind === "t") terms.push(row);
    else if (kind === "p") prefixes[Number(tag) - 1]![1].push(row);
    else keys.set(tag!, [...(keys.get(tag!) ?? []), row]);
  }
  return { terms, prefixes, keys };
}

/**
 * Terms within `distance` edits of `term`. pg_trgm finds candidates: a term within d edits
 * shares all but at most 3d of the word's trigrams, so its similarity is at least
 * (n − 3d) / (n + 3d) for n trigrams, a bound that loses nothing. Where that bound is zero
 * (short words), terms of about the same length are read instead. Edits are counted here.
 */
async function nearTerms(
  client: PoolClient,
  term: string,
  distance: number,
): Promise<Counted[]> {
  const { rows: shown } = await client.query<{ n: number }>(
    "SELECT cardinality(show_trgm($1)) AS n",
    [term],
  );
  const n = shown[0]?.n ?? 0;
  const bound = (n - 3 * distance) / (n + 3 * distance);
  const plain = /^[\p{L}\p{N}]+$/u.test(term);
  const { rows } =
    plain && bound > 0
      ? await client.query<Counted>(
          `SELECT term, df, df_title AS title, df_body AS body FROM vocabulary
           WHERE term % $1 AND similarity(term, $1) >= $2 AND abs(length(term) - length($1)) <= $3`,
          [term, bound - 1e-6, distance],
        )
      : await client.query<Counted>(
          `SELECT term, df, df_title AS title, df_body AS body FROM vocabulary WHERE length(term) BETWEEN $1 AND $2 LIMIT 200000`,
          [[...term].length - distance, [...term].length + distance],
        );
  return rows.filter((r) => levenshtein(term, r.term) <= distance);
}

/** Edits (insert, delete, replace one character) from a to b: MiniSearch's fuzzy distance. */
export function levenshtein(a: string, b: string): number {
  const s = [...a];
  const t = [...b];
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const current = [i];
    for (let j = 1; j <= t.length; j++)
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (s[i - 1] === t[j - 1] ? 0 : 1),
      );
    previous = current;
  }
  return previous[t.length]!;
}
