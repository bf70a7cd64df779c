import type { Hit, SearchPage } from "../../archive.ts";
import { highlight, snippet } from "../../search/highlight.ts";
import type { QueryNode, TermNode } from "../../query/ast.ts";
import { withText, type SearchQuery } from "../../query/params.ts";
import { anyOf, positives } from "../../query/tree.ts";
import { expand, type Variant } from "../../search/expand.ts";
import {
  matchSpecOf,
  specMarker,
  variantsOf as listVariants,
  type MatchSpec,
} from "../../search/marker.ts";
import { ranking } from "../../search/ranking.ts";
import { correctQuery } from "../../search/spelling.ts";
import { formatDate } from "../../text/dates.ts";
import {
  aggregate,
  facetsOf,
  timelineOf,
  type Aggregate,
} from "./aggregate.ts";
import {
  candidateLimits,
  readCandidates,
  readHits,
  type HitRow,
} from "./candidates.ts";
import type { Catalog } from "./catalog.ts";
import {
  all,
  compileDates,
  compileFilters,
  compileMatch,
  Sql,
} from "./compile.ts";
import { fieldLexeme } from "./rows.ts";
import { Scorer, together, wordPairs, type Candidate } from "./score.ts";
import { fanOut, type Shards } from "./shards.ts";
import {
  expansionNeeds,
  fetchVocabulary,
  spellingNeeds,
  type FetchedVocabulary,
} from "./vocabulary.ts";

/** A query finding fewer results than this gets a spelling suggestion (as the memory engine). */
const FEW = 3;

/** What a search reads besides the query: the shards and the archive's catalog. */
export interface Context {
  shards: Shards;
  catalog: Catalog;
}

/** A query made ready to run: its words expanded, its SQL condition, its scorer. */
export interface Prepared {
  query: SearchQuery;
  notes: string[];
  searched: boolean;
  /** The tree that was matched (any-word when relaxed or mode=any). */
  tree: QueryNode | undefined;
  relaxed: boolean;
  vocabulary: FetchedVocabulary;
  variantsOf: (node: TermNode) => Variant[];
  aggregate: Aggregate;
  /** The SQL condition of the matches within the dates and facet selections. */
  where: (sql: Sql) => string;
  /** Every lexeme whose positions scoring reads. */
  lexemes: string[];
  scorer: Scorer;
  spec: MatchSpec;
  missing: Set<number>;
}

/**
 * Runs a query's counting pass: expands its words, counts matches, facets and timeline, and
 * falls back to any word (relaxed) as the memory engine's find does.
 */
export async function prepare(
  ctx: Context,
  query: SearchQuery,
  facets = true,
  /** Hears the match condition and lexemes as soon as they are known, before counting. */
  early?: (e: Pick<Prepared, "where" | "lexemes">) => void,
): Promise<Prepared> {
  const { shards, catalog } = ctx;
  const notes = [...query.notes];
  const { root, dates } = query.parsed;
  const asked =
    root !== undefined || dates.from !== undefined || dates.to !== undefined;
  const searched =
    asked || Object.keys(query.filters).length > 0 || query.years.length > 0;
  if (!asked && query.q && notes.length === 0)
    notes.push(`“${query.q}” has no words to search for.`);
  const vocabulary = await fetchVocabulary(shards, expansionNeeds(root));
  const variantsOf = (node: TermNode) => expand(vocabulary, node, notes);
  const known = new Set(catalog.fields);
  const matchOf = (tree: QueryNode | undefined) => (sql: Sql) =>
    all([compileMatch(tree, variantsOf, sql), ...compileDates(dates, sql)]);
  const count = (tree: QueryNode | undefined) =>
    searched
      ? aggregate(
          shards,
          matchOf(tree),
          query.filters,
          query.years,
          catalog.facetFields,
          known,
          facets,
        )
      : Promise.resolve(emptyAggregate());
  let tree = query.mode === "any" ? anyOf(root) : root;
  const whereOf = (tree: QueryNode | undefined) => {
    const match = matchOf(tree);
    return (sql: Sql) =>
      all([
        match(sql),
        ...compileFilters(query.filters, query.years, known, sql),
      ]);
  };
  if (searched)
    early?.({ where: whereOf(tree), lexemes: lexemesOf(tree, variantsOf) });
  let counted = await count(tree);
  let relaxed = false;
  if (
    counted.unfaceted === 0 &&
    query.mode === "all" &&
    positives(root).length > 1
  ) {
    const loose = await count(anyOf(root));
    if (loose.unfaceted > 0)
      [tree, counted, relaxed] = [anyOf(root), loose, true];
  }
  return {
    query,
    notes,
    searched,
    tree,
    relaxed,
    vocabulary,
    variantsOf,
    aggregate: counted,
    where: whereOf(tree),
    lexemes: lexemesOf(tree, variantsOf),
    scorer: new Scorer(catalog.stats, vocabulary, variantsOf),
    spec: matchSpecOf(root, variantsOf),
    missing: new Set([...vocabulary.missing, ...counted.missing]),
  };
}

function emptyAggregate(): Aggregate {
  return {
    unfaceted: 0,
    total: 0,
    perShard: [],
    facets: new Map(),
    months: new Map(),
    missing: [],
  };
}

/** One page of results, as the memory engine's search returns it. */
export async function searchPage(
  ctx: Context,
  query: SearchQuery,
): Promise<SearchPage> {
  const started = performance.now();
  // A first page in relevance order reads each shard's candidates while the matches are
  // counted: the candidates do not depend on the count (they are bounded either way), so
  // the two passes run at once. Any other page waits for the count, which may move it.
  const wanted = query.page * query.size;
  let early: ReturnType<typeof readAll> | undefined;
  const speculate =
    query.sort === "relevance" && wanted <= candidateLimits.perShard;
  const p = await prepare(
    ctx,
    query,
    true,
    speculate
      ? (e) => {
          early = readAll(ctx, e, query.sort, wanted);
          early.catch(() => undefined);
        }
      : undefined,
  );
  const { notes } = p;
  const total = p.aggregate.total;
  const pageCount = Math.max(1, Math.ceil(total / query.size));
  const page = Math.min(query.page, pageCount);
  if (page < query.page)
    notes.push(
      `There are only ${pageCount} pages of results; showing page ${page}.`,
    );
  let ranked: Candidate[] = [];
  if (p.searched && total > 0) {
    const read =
      early && !p.relaxed && page === query.page ? await early : undefined;
    ranked = read
      ? scoreAndOrder(p, read, page * query.size)
      : await rank(ctx, p, page * query.size);
  } else await early?.catch(() => undefined);
  const hits = await toHits(
    ctx,
    ranked.slice((page - 1) * query.size, page * query.size),
    p,
  );
  const { root, dates } = query.parsed;
  let didYouMean: SearchPage["didYouMean"];
  if (root && total < FEW) {
    const vocabulary = await fetchVocabulary(ctx.shards, spellingNeeds(root));
    const corrected = correctQuery(vocabulary, query.q, root);
    if (corrected) {
      const better = await countOf(
        ctx,
        withText(query, corrected, ctx.catalog.fields),
      );
      if (better > total) didYouMean = { q: corrected, total: better };
    }
  }
  const timeline = p.searched ? timelineOf(p.aggregate) : undefined;
  if (query.echoes)
    notes.push(
      "Statements published by several sources cannot be picked out on this archive (PostgreSQL); all matches are shown.",
    );
  const missing = [...p.missing].sort((a, b) => a - b);
  if (missing.length)
    notes.push(
      `Part of the archive did not answer (${missing.map((s) => ctx.shards.label(s)).join(", ")}): these results are from the rest of it.`,
    );
  return {
    q: query.q,
    mode: query.mode,
    sort: query.sort,
    description: query.description,
    parsed: { ...(root ? { root } : {}), dates },
    filters: query.filters,
    years: query.years,
    searched: p.searched,
    total,
    page,
    size: query.size,
    pageCount,
    relaxed: p.relaxed,
    // Near-duplicate grouping and echoes are the memory engine's (src/versions): on
    // PostgreSQL every statement is its own result.
    grouping: "all",
    groups: total,
    echoes: false,
    echoed: 0,
    tookMs: Math.round((performance.now() - started) * 10) / 10,
    notes,
    variants: listVariants(p.spec),
    ...(didYouMean ? { didYouMean } : {}),
    facets: p.searched
      ? facetsOf(
          p.aggregate.facets,
          ctx.catalog.facetFields,
          query.filters,
          query.years,
        )
      : [],
    ...(timeline ? { timeline } : {}),
    hits,
    ...(missing.length
      ? {
          partial: true as const,
          unavailable: missing.map((s) => ctx.shards.label(s)),
        }
      : {}),
  };
}

/** How many statements a query matches with its facet selections (relaxing as `find` does). */
export async function countOf(
  ctx: Context,
  query: SearchQuery,
): Promise<number> {
  return (await prepare(ctx, query, false)).aggregate.total;
}

/**
 * The first `wanted` matches in the page's order: each shard's candidates scored with the
 * archive's statistics, merged, then ordered as the memory engine's order.ts does (by
 * relevance, the best `ranking.proximityWindow` re-ranked by whether the query's words stand
 * together).
 */
export async function rank(
  ctx: Context,
  p: Prepared,
  wanted: number,
): Promise<Candidate[]> {
  const read = await readAll(ctx, p, p.query.sort, wanted, (shard) =>
    Boolean(p.aggregate.perShard[shard]),
  );
  return scoreAndOrder(p, read, wanted);
}

/** Every shard's candidates (of the shards `wanted` names), and the shards that did not answer. */
function readAll(
  ctx: Context,
  p: Pick<Prepared, "where" | "lexemes">,
  sort: SearchQuery["sort"],
  wanted: number,
  asked: (shard: number) => boolean = () => true,
) {
  const { shards } = ctx;
  return fanOut(shards, (shard) =>
    asked(shard)
      ? shards.read(shard, async (client) => {
          const sql = new Sql();
          const where = p.where(sql);
          return readCandidates(
            client,
            shard,
            sql,
            where,
            p.lexemes,
            sort,
            wanted,
          );
        })
      : Promise.resolve([]),
  );
}

/** Scores the candidates read (of shards with matches) and keeps the first `wanted` in order. */
function scoreAndOrder(
  p: Prepared,
  read: { results: (Candidate[] | undefined)[]; missing: number[] },
  wanted: number,
): Candidate[] {
  for (const m of read.missing) p.missing.add(m);
  // A shard that matched nothing, or did not answer the count, has no candidates.
  const candidates = read.results.flatMap((r, shard) =>
    r && p.aggregate.perShard[shard] ? r : [],
  );
  for (const c of candidates) c.score = p.scorer.score(p.tree, c) ?? 0;
  return orderCandidates(candidates, p, wanted);
}

/** Orders scored candidates as order.ts does, and keeps the first `limit`. */
export function orderCandidates(
  candidates: Candidate[],
  p: Pick<Prepared, "query" | "vocabulary">,
  limit: number,
): Candidate[] {
  const sort = p.query.sort;
  if (sort === "newest")
    return candidates
      .sort((a, b) => b.dateKey - a.dateKey || b.score - a.score)
      .slice(0, limit);
  if (sort === "oldest") {
    const key = (c: Candidate) =>
      c.dateKey === -Infinity ? Infinity : c.dateKey;
    return candidates
      .sort((a, b) => key(a) - key(b) || b.score - a.score)
      .slice(0, limit);
  }
  const byScore =
    (score: (c: Candidate) => number) => (a: Candidate, b: Candidate) =>
      score(b) - score(a) || b.dateKey - a.dateKey;
  candidates.sort(byScore((c) => c.score));
  const pairs = wordPairs(p.query.parsed.root, p.vocabulary);
  if (pairs.length === 0) return candidates.slice(0, limit);
  const top = candidates.slice(0, ranking.proximityWindow);
  const boosted = new Map(
    top.map((c) => [
      c,
      c.score * (1 + ranking.proximityBoost * (c.near ?? together(c, pairs))),
    ]),
  );
  top.sort(byScore((c) => boosted.get(c)!));
  return [...top, ...candidates.slice(ranking.proximityWindow)].slice(0, limit);
}

/** Result lines for ranked candidates: their rows read from their shards, marked. */
export async function toHits(
  ctx: Context,
  ranked: Candidate[],
  p: Prepared,
): Promise<Hit[]> {
  const byShard = new Map<number, string[]>();
  for (const c of ranked)
    byShard.set(c.shard, [...(byShard.get(c.shard) ?? []), c.id]);
  const rows = new Map<string, HitRow>();
  const { missing } = await fanOut(ctx.shards, async (shard) => {
    const ids = byShard.get(shard);
    if (!ids) return;
    const found = await ctx.shards.read(shard, (client) =>
      readHits(client, ids),
    );
    for (const [id, row] of found) rows.set(id, row);
  });
  for (const m of missing) p.missing.add(m);
  return ranked.flatMap((c) => {
    const row = rows.get(c.id);
    return row ? [hitOf(row, c.score, p.spec)] : [];
  });
}

export function hitOf(row: HitRow, score: number, spec: MatchSpec): Hit {
  const hit: Hit = {
    id: row.id,
    title: row.title,
    titleHtml: highlight(row.title, specMarker(spec, "title")),
    score: Math.round(score * 1000) / 1000,
    snippet: snippet(row.body, specMarker(spec, "body")),
  };
  if (row.date)
    Object.assign(hit, { date: row.date, dateLabel: formatDate(row.date) });
  if (row.source) hit.source = row.source;
  if (row.url) hit.url = row.url;
  if (row.lang) hit.lang = row.lang;
  return hit;
}

/** The lexemes whose positions scoring and phrase checks read. */
function lexemesOf(
  root: QueryNode | undefined,
  variantsOf: (node: TermNode) => Variant[],
): string[] {
  const out = new Set<string>();
  const visit = (node: QueryNode): void => {
    switch (node.type) {
      case "term":
        for (const v of variantsOf(node)) out.add(v.term);
        return;
      case "phrase":
        for (const t of node.terms) out.add(t);
        return;
      case "field":
        for (const t of node.terms) out.add(fieldLexeme(node.field, t));
        return;
      case "not":
        return visit(node.child);
      default:
        return node.children.forEach(visit);
    }
  };
  if (root) visit(root);
  return [...out];
}
