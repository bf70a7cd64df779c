import { withText, type SearchQuery } from "../query/params.ts";
import type {
  AggregateRequest,
  Candidates,
  MatchSet,
  Order,
  Store,
} from "../engines/store.ts";
import type { Steps } from "../runtime/deadline.ts";
import type { Statement } from "../ingest/statement.ts";
import { answerOf, type Answer, type QueryCache } from "./answers.ts";
import { facetFields, listFacets, SHOWN_VALUES } from "./facets.ts";
import { hitOf, otherVersions } from "./hits.ts";
import type { MatchSpec } from "./marker.ts";
import { variantsOf } from "./marker.ts";
import { COUNT_ONLY, matchQuery, countsOf } from "./match.ts";
import type { Hit, SearchPage } from "./pages.ts";
import { rank, wordPairs, type Line } from "./rank.ts";
import { ranking } from "./ranking.ts";
import { correctQuery } from "./spelling.ts";
import { timelineOf } from "./timeline.ts";
import { withWords } from "./words.ts";

/** A query finding fewer results than this gets a spelling suggestion, when one helps. */
const FEW = 3;

/**
 * One page of results for a query, with facets, timeline, did-you-mean and notes, yielding
 * between units of work and while the store answers (see `Steps`). With a `cache`, what the
 * query's match set decides is reused when the same query was answered before at this
 * generation of the store; only the page's hits are made again.
 */
export function* searchSteps(
  store: Store,
  query: SearchQuery,
  cache?: QueryCache,
): Steps<SearchPage> {
  const started = performance.now();
  const grouped = query.grouping === "group";
  const want: AggregateRequest = {
    facets: yield* facetFields(store),
    top: SHOWN_VALUES,
    periods: true,
    groups: grouped,
    next: {
      order: query.sort,
      wanted: query.page * query.size * (grouped ? 2 : 1),
    },
  };
  const { answer, key } = yield* answerOf(store, query, want, cache);
  const { prepared: p, counts } = answer;
  const unavailable = new Set([
    ...p.unavailable,
    ...(answer.set?.unavailable ?? []),
  ]);
  const notes = [...p.notes];
  const total = counts.total;
  const groups = grouped ? (counts.groups ?? total) : total;
  const pageCount = Math.max(1, Math.ceil(groups / query.size));
  const page = Math.min(query.page, pageCount);
  if (page < query.page)
    notes.push(
      `There are only ${pageCount} pages of results; showing page ${page}.`,
    );
  const wanted = page * query.size;
  const lines =
    answer.set && total > 0
      ? yield* linesOf(store, answer, query, wanted, unavailable, () =>
          cache?.recount(key),
        )
      : [];
  const hits = yield* hitsOf(
    store,
    lines.slice((page - 1) * query.size, wanted),
    p.spec,
    grouped,
    unavailable,
  );
  const { root, dates } = query.parsed;
  if (answer.didYouMean === undefined)
    answer.didYouMean = yield* didYouMean(store, query, total, unavailable);
  if (p.searched && !answer.facets) {
    answer.facets = listFacets(
      counts.facets,
      want.facets ?? [],
      store.fieldValues(),
      query.filters,
      query.years,
    );
    answer.timeline = timelineOf(counts) ?? null;
  }
  const missing = [...unavailable].sort();
  if (missing.length)
    notes.push(
      `Part of the archive did not answer (${missing.join(", ")}): these results are from the rest of it.`,
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
    relaxed: answer.relaxed,
    grouping: query.grouping,
    groups,
    echoes: query.echoes,
    echoed: counts.echoed,
    tookMs: Math.round((performance.now() - started) * 10) / 10,
    notes,
    variants: variantsOf(p.spec),
    ...(answer.didYouMean ? { didYouMean: answer.didYouMean } : {}),
    facets: p.searched ? answer.facets! : [],
    ...(p.searched && answer.timeline ? { timeline: answer.timeline } : {}),
    hits,
    ...(missing.length ? { partial: true as const, unavailable: missing } : {}),
  };
}

/**
 * How many statements match with every word (0 when only some words are found): a batch
 * line, and the seam's `count`.
 */
export function* countSteps(
  store: Store,
  query: SearchQuery,
  cache?: QueryCache,
): Steps<number> {
  const { answer } = yield* answerOf(store, query, COUNT_ONLY, cache);
  return answer.relaxed ? 0 : answer.counts.total;
}

/**
 * The first `wanted` result lines in the query's order, as a page shows them. Grouped, each
 * group of versions is one line (its best-ranked member): ranked deeper until the page is full
 * or every candidate is ranked.
 */
export function* linesOf(
  store: Store,
  answer: Answer,
  query: SearchQuery,
  wanted: number,
  unavailable: Set<string>,
  ranked?: () => void,
): Steps<Line[]> {
  const grouped = query.grouping === "group";
  const how = `${query.grouping}:${query.sort}:${wanted}`;
  const kept = answer.ranked.get(how);
  if (kept) return kept;
  const pairs = wordPairs(query.parsed.root, answer.prepared.known);
  let want = grouped ? wanted * 2 : wanted;
  // With pairs, the best `proximityWindow` by score are re-ranked: all of them must be found.
  const deep = pairs.length > 0 && query.sort === "relevance";
  const read = (n: number) =>
    gather(store, answer.set!, query.sort, n, deep, unavailable);
  let found = yield* read(want);
  let lines = grouped ? [] : rank(found, query.sort, pairs, wanted);
  for (let limit = want; grouped; limit *= 4) {
    const size = found.reduce((n, c) => n + c.matches.ids.length, 0);
    lines = collapse(rank(found, query.sort, pairs, limit), wanted);
    if (lines.length === wanted) break;
    if (limit >= size) {
      // Every candidate is ranked: read more when the store held some back.
      if (found.every((c) => c.complete) || size >= answer.counts.total) break;
      want = limit * 4;
      found = yield* read(want);
    }
    yield;
  }
  answer.ranked.set(how, lines);
  ranked?.();
  return lines;
}

/** The first `wanted` matching statements in the query's order, as stored: what the analysis views read. */
export function* topStatements(
  store: Store,
  answer: Answer,
  query: SearchQuery,
  wanted: number,
  unavailable: Set<string>,
): Steps<Statement[]> {
  const lines = yield* linesOf(store, answer, query, wanted, unavailable);
  return yield* store.statements(lines.map((l) => l.segment.id(l.doc)));
}

/**
 * Candidates for the first `wanted` in `order`: the store's first answer, and for a store
 * reading best-first, more until no candidate left could reach the `wanted`-th place by score,
 * or (`deep`) the last place the proximity re-rank reorders: `rank` then sees what it would see
 * with every match.
 */
function* gather(
  store: Store,
  set: MatchSet,
  order: Order,
  wanted: number,
  deep: boolean,
  unavailable: Set<string>,
): Steps<Candidates[]> {
  const need = deep ? Math.max(wanted, ranking.proximityWindow) : wanted;
  const pages = [yield* store.candidates(set, order, need)];
  for (;;) {
    const last = pages.at(-1)!;
    for (const part of last.unavailable) unavailable.add(part);
    if (!last.more) return pages;
    let above = 0;
    for (const page of pages)
      for (const score of page.matches.scores)
        if (score >= last.more.bound) above++;
    if (above >= need) return pages;
    pages.push(yield* last.more.next());
  }
}

/** The first `want` lines with each group of versions kept once, as its best-ranked member. */
function collapse(lines: Line[], want: number): Line[] {
  const seen = new Set<number | string>();
  const out: Line[] = [];
  for (const line of lines) {
    if (out.length === want) break;
    const group = line.segment.group(line.doc);
    if (seen.has(group)) continue;
    seen.add(group);
    out.push(line);
  }
  return out;
}

/** Result lines as hits: their statements read, marked, and with their other versions when grouped. */
export function* hitsOf(
  store: Store,
  lines: readonly Line[],
  spec: MatchSpec,
  grouped: boolean,
  unavailable: Set<string>,
): Steps<Hit[]> {
  if (lines.length === 0) return [];
  const read = yield* store.rows(lines);
  for (const part of read.unavailable) unavailable.add(part);
  const hits: Hit[] = [];
  for (let i = 0; i < lines.length; i++) {
    const row = read.rows[i];
    if (row) hits.push(hitOf(row, lines[i]!.score, spec));
    // A hit's snippet reads its whole body: a unit of work each, not a batch's worth at once.
    yield;
  }
  if (!grouped) return hits;
  const groups = yield* store.versions(
    hits.filter((h) => h.group).map((h) => h.id),
  );
  return hits.map((hit) => {
    const versions = otherVersions(groups.get(hit.id), hit.id);
    return versions.length ? { ...hit, versions } : hit;
  });
}

/** A corrected query, when this one finds fewer than `FEW` and the correction finds more. */
function* didYouMean(
  store: Store,
  query: SearchQuery,
  total: number,
  unavailable: Set<string>,
): Steps<SearchPage["didYouMean"] | null> {
  const { root } = query.parsed;
  if (!root || total >= FEW) return null;
  const corrected = yield* withWords(store, function* (words) {
    return correctQuery(words, query.q, root);
  });
  for (const part of corrected.unavailable) unavailable.add(part);
  if (!corrected.value) return null;
  const better = countsOf(
    yield* matchQuery(
      store,
      withText(query, corrected.value, store.fields()),
      COUNT_ONLY,
    ),
  ).total;
  return better > total ? { q: corrected.value, total: better } : null;
}
