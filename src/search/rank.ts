import type { QueryNode } from "../query/ast.ts";
import { positives } from "../query/tree.ts";
import type { Candidates, Order, Segment } from "../engines/store.ts";
import { findPhrase } from "./positions.ts";
import { ranking } from "./ranking.ts";

/** A match in the order shown: which statement of which segment, and its score. */
export interface Line {
  segment: Segment;
  doc: number;
  score: number;
}

/**
 * The first `limit` candidates in the order to show them. By relevance: score, then the newer
 * first; the best `ranking.proximityWindow` are re-ranked so that statements where
 * neighbouring query words stand together (`pairs`) come before those where they stand apart.
 * By date: newest or oldest first, undated last, then score. A page needs only its first few:
 * they are selected without sorting every candidate.
 */
export function rank(
  found: readonly Candidates[],
  order: Order,
  pairs: readonly [string, string][],
  limit = Infinity,
): Line[] {
  const proximity = order === "relevance" && pairs.length > 0;
  const window = proximity ? Math.max(limit, ranking.proximityWindow) : limit;
  const lines = found.flatMap(({ segment, matches }) =>
    best(matches.ids.length, window, compareIn(segment, matches, order)).map(
      (i) => ({ segment, doc: matches.ids[i]!, score: matches.scores[i]! }),
    ),
  );
  if (found.length > 1) lines.sort(compareLines(order, (l) => l.score));
  if (!proximity) return lines.slice(0, limit);
  return [
    ...closeFirst(lines.slice(0, ranking.proximityWindow), pairs),
    ...lines.slice(ranking.proximityWindow),
  ].slice(0, limit);
}

/**
 * The best lines by score (at most `ranking.proximityWindow`), re-ranked so that those where
 * neighbouring query words stand together come first.
 */
export function closeFirst(
  top: Line[],
  pairs: readonly [string, string][],
): Line[] {
  const boosted = new Map(
    top.map((line) => [
      line,
      line.score * (1 + ranking.proximityBoost * together(line, pairs)),
    ]),
  );
  return [...top].sort(compareLines("relevance", (l) => boosted.get(l)!));
}

/** Indexes into one segment's matches, compared in the order wanted. */
function compareIn(
  segment: Segment,
  { ids, scores }: Candidates["matches"],
  order: Order,
): (a: number, b: number) => number {
  const date = (i: number) => segment.dateKey(ids[i]!);
  if (order === "newest")
    return (a, b) => date(b) - date(a) || scores[b]! - scores[a]!;
  if (order === "oldest") {
    const key = (i: number) => (date(i) === -Infinity ? Infinity : date(i));
    return (a, b) => key(a) - key(b) || scores[b]! - scores[a]!;
  }
  return (a, b) => scores[b]! - scores[a]! || date(b) - date(a);
}

export function compareLines(
  order: Order,
  score: (line: Line) => number,
): (a: Line, b: Line) => number {
  const date = (l: Line) => l.segment.dateKey(l.doc);
  if (order === "newest")
    return (a, b) => date(b) - date(a) || b.score - a.score;
  if (order === "oldest") {
    const key = (l: Line) => (date(l) === -Infinity ? Infinity : date(l));
    return (a, b) => key(a) - key(b) || b.score - a.score;
  }
  return (a, b) => score(b) - score(a) || date(b) - date(a);
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
function together(line: Line, pairs: readonly [string, string][]): number {
  const positions = line.segment.positions(line.doc);
  if (!positions) return 0;
  let found = 0;
  for (const pair of pairs) {
    const ids = pair.map((t) => line.segment.termId(t));
    if (ids[0] === undefined || ids[1] === undefined) continue;
    if (findPhrase(positions, ids, 0, positions.length, true).length > 0)
      found++;
  }
  return found / pairs.length;
}

/** Neighbouring plain words of the query that the archive holds, for the proximity re-rank. */
export function wordPairs(
  root: QueryNode | undefined,
  known: (term: string) => boolean,
): [string, string][] {
  const words = positives(root).flatMap((n) =>
    n.type === "term" && !n.field ? [known(n.term) ? n.term : undefined] : [],
  );
  const pairs: [string, string][] = [];
  for (let i = 1; i < words.length; i++) {
    const [a, b] = [words[i - 1], words[i]];
    if (a !== undefined && b !== undefined) pairs.push([a, b]);
  }
  return pairs;
}
