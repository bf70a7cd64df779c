/**
 * What stands out in a set of matches (issue 26): the words and two- or three-word phrases
 * found in more of the matching statements than the rest of the archive leads one to expect.
 *
 * Counts are of statements, not occurrences (as Elasticsearch's `significant_terms` counts
 * documents), so one long statement repeating a word cannot carry it. The score is Dunning's
 * log-likelihood ratio G² of the 2×2 table (with/without the term × in the set/in the rest),
 * kept only where the set's rate is the higher. G² rather than a JLH-like score because it is
 * a significance measure with a known scale (chi-squared, one degree of freedom: above 10.83
 * is p < 0.001), it stays sound at small counts where JLH's ratio of rates makes a word found
 * in 2 of 3 matches and nowhere else outrank one in 300 of 400, and it is the keyness measure
 * of the corpus tools researchers know (AntConc, WordSmith).
 */
import { stopWords } from "../text/stopwords.ts";
import { tokenize } from "../text/terms.ts";

/** A word or phrase with the statements it is in: in the match set, and in the whole archive. */
export interface GramCounts {
  /** Folded words joined by one space (`climate finance`). */
  gram: string;
  inSet: number;
  inArchive: number;
}

/** A word or phrase that stands out, with its G² score. */
export interface Standout extends GramCounts {
  score: number;
}

/** Longest phrase counted, in words. */
export const LONGEST_GRAM = 3;

// A phrase does not run over sentence punctuation or a line break.
const BREAK = /[.!?;:\n]/;
const LETTER = /\p{L}/u;

/**
 * The distinct words and phrases of up to three words of one statement that can stand out:
 * no stop word of its language alone or at either end of a phrase (`the president`, `of
 * Ukraine`), no word without a letter at either end, no phrase across a sentence break, and
 * nothing touching a word `skip` marks (boilerplate, aligned with the text's words).
 */
export function statementGrams(
  text: string,
  lang?: string,
  skip?: Uint8Array,
): Set<string> {
  const stop = stopWords(lang);
  const tokens = tokenize(text);
  const edge = (i: number) =>
    !stop.has(tokens[i]!.term) && LETTER.test(tokens[i]!.term);
  const out = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    if (skip?.[i] || !edge(i)) continue;
    let gram = tokens[i]!.term;
    out.add(gram);
    for (let j = i + 1; j < i + LONGEST_GRAM && j < tokens.length; j++) {
      if (skip?.[j]) break;
      if (BREAK.test(text.slice(tokens[j - 1]!.end, tokens[j]!.start))) break;
      gram += " " + tokens[j]!.term;
      if (edge(j)) out.add(gram);
    }
  }
  return out;
}

/** Adds one statement's grams to running counts of statements per gram. */
export function tallyGrams(
  counts: Map<string, number>,
  grams: Iterable<string>,
): void {
  for (const gram of grams) counts.set(gram, (counts.get(gram) ?? 0) + 1);
}

/**
 * The grams of a match set worth looking up in the whole archive: those in at least
 * `minInSet` statements, the most frequent `max` of them (ties by gram). The archive's counts
 * are asked for these only, as `significant_terms` reads background counts per candidate.
 */
export function candidateGrams(
  counts: ReadonlyMap<string, number>,
  max: number,
  minInSet = 3,
): string[] {
  return [...counts]
    .filter(([, n]) => n >= minInSet)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, max)
    .map(([gram]) => gram);
}

/**
 * The grams that stand out in a set of `setSize` matching statements out of `archiveSize`,
 * best first (ties by gram), at most `limit`: each over-represented in the set, with G² of at
 * least `minScore` (10.83: p < 0.001). Nothing stands out when the set is the whole archive.
 */
export function standOut(
  grams: Iterable<GramCounts>,
  setSize: number,
  archiveSize: number,
  { limit = 50, minScore = 10.83 } = {},
): Standout[] {
  if (!(setSize >= 0 && archiveSize >= setSize))
    throw new Error(
      `significant: the set (${setSize}) must be part of the archive (${archiveSize})`,
    );
  const rest = archiveSize - setSize;
  const out: Standout[] = [];
  for (const g of grams) {
    if (g.inSet > setSize || g.inArchive < g.inSet || g.inArchive > archiveSize)
      throw new Error(
        `significant: counts for "${g.gram}" do not fit: ${g.inSet} of ${setSize} in the set, ${g.inArchive} of ${archiveSize} in the archive`,
      );
    const inRest = g.inArchive - g.inSet;
    if (rest === 0 || g.inSet * rest <= inRest * setSize) continue;
    const score = logLikelihood(
      g.inSet,
      setSize - g.inSet,
      inRest,
      rest - inRest,
    );
    if (score >= minScore) out.push({ ...g, score });
  }
  return out
    .sort((a, b) => b.score - a.score || (a.gram < b.gram ? -1 : 1))
    .slice(0, limit);
}

/**
 * Dunning's G² for the table [[a, b], [c, d]] (rows: set, rest; columns: with, without):
 * 2 Σ observed · ln(observed / expected).
 */
export function logLikelihood(
  a: number,
  b: number,
  c: number,
  d: number,
): number {
  const n = a + b + c + d;
  const g =
    xlogx(a) +
    xlogx(b) +
    xlogx(c) +
    xlogx(d) +
    xlogx(n) -
    xlogx(a + b) -
    xlogx(c + d) -
    xlogx(a + c) -
    xlogx(b + d);
  // Rounding can leave a hair below zero for a table with no association at all.
  return Math.max(0, 2 * g);
}

const xlogx = (x: number) => (x > 0 ? x * Math.log(x) : 0);
