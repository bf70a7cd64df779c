/**
 * What the shared search core (expansions, spelling, completions) asks of an engine's index
 * of words. The memory engine's `TermIndex` is one; another engine brings its own.
 */
export interface Vocabulary {
  /** Statements holding the term in any field. */
  frequency(term: string): number;
  /** Every indexed term that starts with `prefix`, with its frequency, in the index's order. */
  withPrefix(prefix: string): Iterable<[string, number]>;
  /** Indexed terms within `distance` edits of `term`, with their frequency and distance. */
  near(term: string, distance: number): [string, number, number][];
}
