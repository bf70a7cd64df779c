import type { SearchQuery } from "../query/params.ts";
import type { AggregateRequest, Aggregates, Store } from "../engines/store.ts";
import { Lru, type LruLimits } from "../runtime/lru.ts";
import type { Steps } from "../runtime/deadline.ts";
import { countsOf, matchQuery, type Matched } from "./match.ts";
import type { Facet, SearchPage, Timeline } from "./pages.ts";
import type { Line } from "./rank.ts";

/**
 * What a query's match set decides, whatever page, page size or order is shown: kept so that
 * paging, re-sorting and a repeated request do not search again. The parts after `counted`
 * are filled the first time a page needs them.
 */
export interface Answer extends Matched {
  /** The counts over the match set, and what they were asked for. */
  counts: Aggregates;
  counted: AggregateRequest;
  /** The spelling suggestion, checked once; null when there is none. */
  didYouMean?: SearchPage["didYouMean"] | null;
  facets?: Facet[];
  timeline?: Timeline | null;
  /** Result lines by grouping, order and depth, as `rank` returned them. */
  ranked: Map<string, Line[]>;
}

/** Default: enough for a few researchers paging and faceting; about 100 common words at 17,000 statements. */
export const DEFAULT_QUERY_CACHE: Required<LruLimits> = {
  entries: 256,
  bytes: 64 * 1024 * 1024,
};

/** Rankings kept per query (sorts × page depths). */
const RANKINGS = 8;

/**
 * The key of a query's match set: its text, the query as parsed (with the `words` choice
 * folded in) and everything that narrows what it matches (mode, dates, facet selections,
 * years, echoes), in a fixed order. Not the page, page size, sort or version grouping, which
 * only decide what of the match set is shown and how.
 */
export function queryKey(query: SearchQuery): string {
  const sorted = (o: Record<string, string[]>) =>
    Object.keys(o)
      .sort()
      .map((k) => [k, [...o[k]!].sort()]);
  return JSON.stringify([
    query.q,
    query.mode,
    query.words,
    query.parsed,
    sorted(query.filters),
    [...query.years].sort(),
    query.echoes,
    query.notes,
  ]);
}

/**
 * Answers of recent queries by `queryKey`, for one generation of the store: any change to the
 * archive (a file added, changed or removed) empties it on the next look-up. Bounded in
 * entries and in the bytes of match sets and rankings.
 */
export class QueryCache extends Lru<string, Answer> {
  constructor(limits: LruLimits = DEFAULT_QUERY_CACHE) {
    super(limits, sizeOf);
  }

  /** Keeps a ranking of a kept answer, at most `RANKINGS` of them. */
  ranked(key: string, answer: Answer, how: string, lines: Line[]): void {
    answer.ranked.set(how, lines);
    for (const old of answer.ranked.keys()) {
      if (answer.ranked.size <= RANKINGS) break;
      answer.ranked.delete(old);
    }
    this.recount(key);
  }
}

// Match sets and rankings dominate; small objects (facets, notes) are left out of the count.
function sizeOf(answer: Answer): number {
  let bytes = answer.set?.bytes ?? 0;
  for (const lines of answer.ranked.values()) bytes += lines.length * 32;
  return bytes + 1024;
}

/**
 * The answer kept for this query, or a new one found now and kept. An answer found while the
 * archive changed is not kept: it may hold statements of the generation before. A kept answer
 * counted for less than `want` is counted again (its matches are not found again).
 */
export function* answerOf(
  store: Store,
  query: SearchQuery,
  want: AggregateRequest,
  cache?: QueryCache,
): Steps<{ answer: Answer; key: string }> {
  const generation = store.generation();
  const caching = cache && generation !== undefined;
  const key = caching ? queryKey(query) : "";
  const kept = caching ? cache.get(generation, key) : undefined;
  if (kept) {
    if (kept.set && !covers(kept.counted, want)) {
      const facets = [
        ...new Set([...(kept.counted.facets ?? []), ...(want.facets ?? [])]),
      ];
      const top = Math.max(kept.counted.top ?? Infinity, want.top ?? Infinity);
      const both = {
        ...(kept.counted.facets || want.facets ? { facets } : {}),
        ...(top < Infinity ? { top } : {}),
        periods: kept.counted.periods || want.periods,
        groups: kept.counted.groups || want.groups,
      };
      kept.counts = yield* store.aggregate(kept.set, both);
      kept.counted = both;
    }
    return { answer: kept, key };
  }
  const matched = yield* matchQuery(store, query, want);
  const answer: Answer = {
    ...matched,
    counts: countsOf(matched),
    counted: want,
    ranked: new Map(),
  };
  if (caching && store.generation() === generation)
    cache.set(generation, key, answer);
  return { answer, key };
}

function covers(had: AggregateRequest, want: AggregateRequest): boolean {
  return (
    (had.periods || !want.periods) &&
    (had.groups || !want.groups) &&
    (had.top === undefined || (want.top ?? Infinity) <= had.top) &&
    (!want.facets ||
      (had.facets !== undefined &&
        want.facets.every((f) => had.facets!.includes(f))))
  );
}
