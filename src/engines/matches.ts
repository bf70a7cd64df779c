import type { Matches } from "./store.ts";

/** The matches whose doc passes `test`, in order, with their scores. */
export function keepMatches(
  m: Matches,
  test: (doc: number) => boolean,
): Matches {
  const ids: number[] = [];
  const scores: number[] = [];
  for (let i = 0; i < m.ids.length; i++) {
    if (test(m.ids[i]!)) {
      ids.push(m.ids[i]!);
      scores.push(m.scores[i]!);
    }
  }
  return { ids: Int32Array.from(ids), scores: Float64Array.from(scores) };
}
