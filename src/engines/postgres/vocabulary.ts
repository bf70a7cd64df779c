import type { PoolClient } from "pg";
import type { QueryNode, TermNode } from "../../query/ast.ts";
import type { Vocabulary } from "../../search/vocabulary.ts";
import { inflectionHeads } from "../../search/expand.ts";
import { fanOut, prepared, type Shards } from "./shards.ts";

/** A term's statement counts: in any field, in the title, in the body. */
export interface TermCounts {
  df: number;
  title: number;
  body: number;
}

/** What one query asks of the vocabulary, gathered before asking the shards. */
export interface VocabularyNeeds {
  /** Terms whose counts are wanted. */
  terms: Set<string>;
  /** Prefixes whose terms are wanted, with how many at most (in the order of the terms). */
  prefixes: Map<string, number>;
  /** Terms within N edits: `term\u0000N`. */
  near: Set<string>;
}

/** A vocabulary row: a term and its statement counts. */
interface Counted {
  term: string;
  df: number;
  title: number;
  body: number;
}

/** Inflections are looked for among this many terms sharing their beginning (expand.ts). */
const STEM_SCAN = 2000;
/** Terms read under one prefix at most; past this, a `word*` note counts only these. */
const PREFIX_TERMS = 5000;

export function emptyNeeds(): VocabularyNeeds {
  return { terms: new Set(), prefixes: new Map(), near: new Set() };
}

/**
 * What `expand` (search/expand.ts) will ask for the query's words: their own counts, and the
 * terms that begin like them (`*`, inflections) or nearly spell them (`~`).
 */
export function expansionNeeds(
  root: QueryNode | undefined,
  needs = emptyNeeds(),
): VocabularyNeeds {
  const visit = (node: QueryNode): void => {
    switch (node.type) {
      case "term":
        needs.terms.add(node.term);
        if (node.exact) return;
        if (node.prefix) addPrefix(needs, node.term, PREFIX_TERMS);
        else if (node.fuzzy) needs.near.add(`${node.term}\u0000${node.fuzzy}`);
        else
          for (const head of inflectionHeads(node.term))
            addPrefix(needs, head, STEM_SCAN + 1);
        return;
      case "phrase":
        for (const t of node.terms) needs.terms.add(t);
        return;
      case "field":
        return;
      case "not":
        return visit(node.child);
      case "and":
      case "or":
        return node.children.forEach(visit);
    }
  };
  if (root) visit(root);
  return needs;
}

function addPrefix(needs: VocabularyNeeds, prefix: string, limit: number) {
  needs.prefixes.set(prefix, Math.max(limit, needs.prefixes.get(prefix) ?? 0));
}

/**
 * The vocabulary as one query needs it, read from every shard and summed: answers the shared
 * search core's questions (`Vocabulary`) synchronously, and the counts BM25 needs.
 */
export class FetchedVocabulary implements Vocabulary {
  constructor(
    private readonly counts: Map<string, TermCounts>,
    private readonly prefixes: Map<string, [string, number][]>,
    private readonly nearby: Map<string, [string, number, number][]>,
    /** Shards that did not answer: the counts are theirs short. */
    readonly missing: number[],
  ) {}

  frequency(term: string): number {
    return this.counts.get(term)?.df ?? 0;
  }

  /** Statements holding the term in these fields (both when none is named). */
  fieldFrequency(term: string, field?: "title" | "body"): number {
    const c = this.counts.get(term);
    if (!c) return 0;
    return field === "title" ? c.title : field === "body" ? c.body : c.df;
  }

  *withPrefix(prefix: string): Iterable<[string, number]> {
    const own = this.prefixes.get(prefix);
    if (own) return yield* own;
    // A longer prefix than one read: its terms are among those of the shorter one.
    for (const [known, list] of this.prefixes)
      if (prefix.startsWith(known) && list.length < PREFIX_TERMS)
        return yield* list.filter(([t]) => t.startsWith(prefix));
  }

  near(term: string, distance: number): [string, number, number][] {
    return this.nearby.get(`${term}\u0000${distance}`) ?? [];
  }
}

/** Reads what `needs` names from every shard's vocabulary. */
export async function fetchVocabulary(
  shards: Shards,
  needs: VocabularyNeeds,
): Promise<FetchedVocabulary> {
  const { results, missing } = await fanOut(shards, (shard) =>
    shards.read(shard, async (client) => {
      // The counts and every prefix's terms in one round trip. Per prefix, the terms under it
      // are read first, by a range of the primary key (OFFSET 0 keeps that subquery as it
      // is), and only then the most frequent of them: else the planner may walk every term
      // by frequency.
      const prefixList = [...needs.prefixes];
      const { rows } =
        needs.terms.size || prefixList.length
          ? await prepared<Counted & { p: number | null }>(
              client,
              `SELECT NULL::int AS p, term, df, df_title AS title, df_body AS body
               FROM vocabulary WHERE term = ANY($1)
               UNION ALL
               SELECT q.i::int, t.term, t.df, t.title, t.body
               FROM unnest($2::text[], $3::int[]) WITH ORDINALITY AS q(prefix, lim, i)
               CROSS JOIN LATERAL (
                 SELECT * FROM (
                   SELECT term, df, df_title AS title, df_body AS body FROM vocabulary
                   WHERE term >= q.prefix AND term < q.prefix || chr(1114111)
                     AND starts_with(term, q.prefix)
                   OFFSET 0
                 ) under ORDER BY df DESC, term LIMIT q.lim
               ) t`,
              [
                [...needs.terms],
                prefixList.map(([prefix]) => prefix),
                prefixList.map(([, limit]) => limit),
              ],
            )
          : { rows: [] };
      const counts: Counted[] = [];
      const underPrefix: Counted[][] = prefixList.map(() => []);
      for (const { p, ...row } of rows)
        if (p === null) counts.push(row);
        else underPrefix[p - 1]!.push(row);
      const prefixes = prefixList.map(
        ([prefix], i) => [prefix, underPrefix[i]!] as const,
      );
      const near: (readonly [string, Counted[]])[] = [];
      for (const key of needs.near) {
        const [term, d] = key.split("\u0000") as [string, string];
        near.push([key, await nearTerms(client, term, Number(d))]);
      }
      return { counts, prefixes, near };
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
  for (const result of results) {
    if (!result) continue;
    // A term is counted once per shard, however many lists name it.
    const seen = new Set<string>();
    const once = (r: Counted) => {
      if (seen.has(r.term)) return;
      seen.add(r.term);
      count(r);
    };
    for (const r of result.counts) once(r);
    for (const [prefix, rows] of result.prefixes) {
      const m = prefixes.get(prefix) ?? new Map<string, number>();
      for (const r of rows) {
        m.set(r.term, (m.get(r.term) ?? 0) + r.df);
        once(r);
      }
      prefixes.set(prefix, m);
    }
    for (const [key, rows] of result.near) {
      const m = nearby.get(key) ?? new Map<string, number>();
      for (const r of rows) {
        m.set(r.term, (m.get(r.term) ?? 0) + r.df);
        once(r);
      }
      nearby.set(key, m);
    }
  }
  const sorted = (m: Map<string, number>): [string, number][] =>
    [...m].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return new FetchedVocabulary(
    counts,
    new Map([...prefixes].map(([p, m]) => [p, sorted(m)])),
    new Map(
      [...nearby].map(([key, m]) => {
        const term = key.split("\u0000")[0]!;
        return [
          key,
          sorted(m).map(
            ([t, f]) =>
              [t, f, levenshtein(term, t)] as [string, number, number],
          ),
        ];
      }),
    ),
    missing,
  );
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
          `SELECT term, df, df_title AS title, df_body AS body FROM vocabulary WHERE length(term) BETWEEN $2 AND $3 LIMIT 200000`,
          [term, [...term].length - distance, [...term].length + distance],
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

/** The positive words of a query, for spelling: their counts and their near neighbours. */
export function spellingNeeds(root: QueryNode | undefined): VocabularyNeeds {
  const needs = emptyNeeds();
  const visit = (node: QueryNode): void => {
    if (node.type === "term") {
      if (node.prefix) return;
      needs.terms.add(node.term);
      if (node.term.length >= 3 && !/\d/.test(node.term))
        needs.near.add(`${node.term}\u0000${node.term.length >= 6 ? 2 : 1}`);
    } else if (node.type === "and" || node.type === "or")
      node.children.forEach(visit);
  };
  if (root) visit(root);
  return needs;
}

export type { TermNode };
