import type { Corpus } from "./corpus.ts";
import type { QueryNode } from "../../query/ast.ts";
import type { SearchQuery, Sort } from "../../query/params.ts";
import { positives } from "../../query/tree.ts";
import type { Found } from "./find.ts";
import type { Matches } from "./evaluate.ts";
import { findPhrase } from "../../search/positions.ts";
import { ranking } from "../../search/ranking.ts";

/** The order to show what `find` found in, as indexes into `found.matches`: the first `limit`. */
export function order(
  corpus: Corpus,
  found: Found,
  query: SearchQuery,
  limit = Infinity,
): number[] {
  return orderMatches(
    corpus,
    found.matches,
    query.sort,
    wordPairs(corpus, query.parsed.root),
    limit,
  );
}

/**
 * The first `limit` matches in the order to show them, as indexes into `matches`. By
 * relevance: score, then the newer first; the best `ranking.proximityWindow` are re-ranked so
 * that statements where neighbouring query words stand together (`pairs`, as term ids) come
 * before those where they stand apart. By date: newest or oldest first, undated last, then
 * score. A page needs only its first few: they are selected without sorting every match.
 */
function orderMatches(
  corpus: Corpus,
  matches: Matches,
  sort: Sort,
  pairs: number[][],
  limit = Infinity,
): number[] {
  const { ids, scores } = matches;
  const date = (i: number) => corpus.dateKey[ids[i]!]!;
  if (sort === "newest")
    return best(
      ids.length,
      limit,
      (a, b) => date(b) - date(a) || scores[b]! - scores[a]!,
    );
  if (sort === "oldest") {
    const key = (i: number) => (date(i) === -Infinity ? Infinity : date(i));
    return best(
      ids.length,
      limit,
      (a, b) => key(a) - key(b) || scores[b]! - scores[a]!,
    );
  }
  const byScore = (score: (i: number) => number) => (a: number, b: number) =>
    score(b) - score(a) || date(b) - date(a);
  const window = pairs.length
    ? Math.max(limit, ranking.proximityWindow)
    : limit;
  const ranked = best(
    ids.length,
    window,
    byScore((i) => scores[i]!),
  );
  if (pairs.length === 0) return ranked;
  const top = ranked.slice(0, ranking.proximityWindow);
  const boosted = new Map(
    top.map((i) => [
      i,
      scores[i]! *
        (1 +
          ranking.proximityBoost * together(corpus.positions[ids[i]!]!, pairs)),
    ]),
  );
  top.sort(byScore((i) => boosted.get(i)!));
  return [...top, ...ranked.slice(ranking.proximityWindow)].slice(0, limit);
}

/**
 * The `k` first of 0…n-1 under `compare`, in order: a sort when most are wanted, otherwise a
 * heap of k that keeps the worst kept one on top, O(n log k).
 */
export function best(
  n: number,
  k: number,
  compare: (a: number, b: number) => number,
): number[] {
  if (k >= n / 4)
    return Array.from({ length: n }, (_, i) => i)
      .sort(compare)
      .slice(0, k);
  const heap: number[] = [];
  const worse = (a: number, b: number) => compare(a, b) > 0;
  const down = (at: number) => {
    for (;;) {
      const l = 2 * at + 1;
      const r = l + 1;
      let top = at;
      if (l < heap.length && worse(heap[l]!, heap[top]!)) top = l;
      if (r < heap.length && worse(heap[r]!, heap[top]!)) top = r;
      if (top === at) return;
      [heap[at], heap[top]] = [heap[top]!, heap[at]!];
      at = top;
    }
  };
  for (let i = 0; i < n; i++) {
    if (heap.length < k) {
      heap.push(i);
      for (let at = heap.length - 1; at > 0;) {
        const parent = (at - 1) >> 1;
        if (!worse(heap[at]!, heap[parent]!)) break;
        [heap[at], heap[parent]] = [heap[parent]!, heap[at]!];
        at = parent;
      }
    } else if (k > 0 && compare(i, heap[0]!) < 0) {
      heap[0] = i;
      down(0);
    }
  }
  return heap.sort(compare);
}

/** The share of word pairs that stand side by side, in order, somewhere in the statement. */
function together(positions: Uint32Array, pairs: number[][]): number {
  let found = 0;
  for (const pair of pairs)
    if (findPhrase(positions, pair, 0, positions.length, true).length > 0)
      found++;
  return found / pairs.length;
}

/** Neighbouring plain words of the query, as term ids, for the proximity re-rank. */
function wordPairs(corpus: Corpus, root: QueryNode | undefined): number[][] {
  const words = positives(root).flatMap((n) =>
    n.type === "term" && !n.field ? [corpus.vocabulary.get(n.term)] : [],
  );
  const pairs: number[][] = [];
  for (let i = 1; i < words.length; i++) {
    const [a, b] = [words[i - 1], words[i]];
    if (a !== undefined && b !== undefined) pairs.push([a, b]);
  }
  return pairs;
}
