import { anyOf, positives } from "../query/tree.ts";
import type { SearchQuery } from "../query/params.ts";
import type {
  AggregateRequest,
  Aggregates,
  MatchSet,
  Store,
} from "../engines/store.ts";
import type { Steps } from "../runtime/deadline.ts";
import { planOf, prepare, type Prepared } from "./plan.ts";

/** A query's matches: none when it asks for nothing (`set` undefined). */
export interface Matched {
  prepared: Prepared;
  set?: MatchSet;
  /** True when no statement had every word and the matches hold some of them. */
  relaxed: boolean;
}

/** Counts of no statement: a request that searches for nothing. */
export const NOTHING: Aggregates = {
  total: 0,
  unfaceted: 0,
  echoed: 0,
  groups: 0,
  facets: new Map(),
  periods: new Map(),
};

/** Only the number of matches. */
export const COUNT_ONLY: AggregateRequest = { periods: false, groups: false };

/**
 * Runs a query: what it matches, counted as `want` asks. With mode `all` and no statement
 * holding every word, falls back to any word and says so (`relaxed`).
 */
export function* matchQuery(
  store: Store,
  query: SearchQuery,
  want: AggregateRequest,
): Steps<Matched> {
  const prepared = yield* prepare(store, query);
  if (!prepared.searched) return { prepared, relaxed: false };
  const root = prepared.tree;
  let set = yield* store.match(
    planOf(prepared, query.mode === "any" ? anyOf(root) : root, store),
    want,
  );
  let relaxed = false;
  if (
    set.counts.unfaceted === 0 &&
    query.mode === "all" &&
    positives(root).length > 1
  ) {
    const loose = yield* store.match(
      planOf(prepared, anyOf(root), store),
      want,
    );
    if (loose.counts.unfaceted > 0) [set, relaxed] = [loose, true];
  }
  return { prepared, set, relaxed };
}

/** The counts of a query's matches (none when it asks for nothing). */
export function countsOf(matched: Matched): Aggregates {
  return matched.set?.counts ?? NOTHING;
}
