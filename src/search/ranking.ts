/**
 * Every ranking decision in one literal, with the reason for each value. Changes here are
 * measured with `npm run eval` (see docs/testing.md, "Measured relevance").
 */
export const ranking = {
  /** A match in the title counts this many times a match in the body. */
  fieldBoost: [2, 1] as readonly number[],
  /** BM25 parameters: term-frequency saturation k, length normalization b. */
  bm25: { k: 1.2, b: 0.75 },
  /**
   * Weight of a match on a variant of the word typed, against 1 for the word itself: another
   * form of it, a word it begins, one it nearly spells, the same name in another script.
   */
  weights: { stem: 0.7, prefix: 0.5, fuzzy: 0.45, name: 0.6 },
  /** At most this many words stand for one `word*` or `word~`; the most frequent are kept. */
  maxExpansions: 64,
  /**
   * All the `*` and `~` words of one query share this many expansions (but each keeps at
   * least `minExpansions`): two such words get 64 each, 64 of them get 4 each, so a query of
   * 64 two-letter prefixes scores hundreds of posting lists, not 4,096.
   */
  maxQueryExpansions: 256,
  minExpansions: 4,
  /** How many of the best results are re-ranked by whether the query's words stand together. */
  proximityWindow: 200,
  /** Score factor for a result where every pair of neighbouring query words stands together. */
  proximityBoost: 0.5,
};
