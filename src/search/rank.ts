import type { Corpus } from "../corpus.ts";
import type { Sort } from "../query/params.ts";
import type { Matches } from "./evaluate.ts";
import { findPhrase } from "./positions.ts";
import { ranking } from "./ranking.ts";

/**
 * The order to show matches in, as indexes into `matches`. By relevance: score, then the
 * newer first; the best `ranking.proximityWindow` are re-ranked so that statements where
 * neighbouring query words stand together (`pairs`, as term ids) come before those where they
 * stand apart. By date: newest or oldest first, undated last, then score.
 */
export function order(
  corpus: Corpus,
  matches: Matches,
  sort: Sort,
  pairs: number[][],
): number[] {
  const { ids, scores } = matches;
  const date = (i: number) => corpus.dateKey[ids[i]!]!;
  const indexes = Array.from(ids, (_, i) => i);
  if (sort === "newest")
    return indexes.sort((a, b) => date(b) - date(a) || scores[b]! - scores[a]!);
  if (sort === "oldest") {
    const key = (i: number) => (date(i) === -Infinity ? Infinity : date(i));
    return indexes.sort((a, b) => key(a) - key(b) || scores[b]! - scores[a]!);
  }
  const byScore = (score: (i: number) => number) => (a: number, b: number) =>
    score(b) - score(a) || date(b) - date(a);
  indexes.sort(byScore((i) => scores[i]!));
  if (pairs.length === 0) return indexes;
  const top = indexes.slice(0, ranking.proximityWindow);
  const boosted = new Map(
    top.map((i) => [
      i,
      scores[i]! *
        (1 +
          ranking.proximityBoost * together(corpus.positions[ids[i]!]!, pairs)),
    ]),
  );
  top.sort(byScore((i) => boosted.get(i)!));
  return [...top, ...indexes.slice(ranking.proximityWindow)];
}

/** The share of word pairs that stand side by side, in order, somewhere in the statement. */
function together(positions: Uint32Array, pairs: number[][]): number {
  let found = 0;
  for (const pair of pairs)
    if (findPhrase(positions, pair, 0, positions.length, true).length > 0)
      found++;
  return found / pairs.length;
}
