/**
 * Phrase and proximity checks over a sequence of words, as term ids (phrase verification) or
 * as term strings (highlighting). Pure; ranges are [from, to) indexes into the sequence. The
 * scans jump from one occurrence to the next with indexOf, which typed arrays run natively:
 * a statement is thousands of words, a phrase's first word occurs in a few places.
 */

/** What both arrays of terms and typed arrays of term ids offer. */
export interface Sequence<T> {
  readonly length: number;
  readonly [index: number]: T;
  indexOf(value: T, from?: number): number;
}

/** Where `phrase` occurs in order and adjacent: the index of each occurrence's first word. */
export function findPhrase<T>(
  seq: Sequence<T>,
  phrase: readonly T[],
  from = 0,
  to = seq.length,
  first = false,
): number[] {
  const found: number[] = [];
  const last = to - phrase.length;
  for (
    let i = seq.indexOf(phrase[0]!, from);
    i >= 0 && i <= last;
    i = seq.indexOf(phrase[0]!, i + 1)
  ) {
    let j = 1;
    while (j < phrase.length && seq[i + j] === phrase[j]) j++;
    if (j === phrase.length) {
      found.push(i);
      if (first) break;
    }
  }
  return found;
}

/**
 * Windows where every one of `words` occurs, in any order, with at most `slop` other words
 * among them (`"peace treaty"~5`: up to five words between). Returns [start, end] index
 * pairs, inclusive, each a smallest such window.
 */
export function findNear<T>(
  seq: Sequence<T>,
  words: readonly T[],
  slop: number,
  from = 0,
  to = seq.length,
  first = false,
): [number, number][] {
  const distinct = [...new Set(words)];
  const span = slop + words.length - 1;
  // Every occurrence of every word, merged in order: [position, which word].
  const hits: [number, number][] = [];
  distinct.forEach((word, w) => {
    for (
      let i = seq.indexOf(word, from);
      i >= 0 && i < to;
      i = seq.indexOf(word, i + 1)
    )
      hits.push([i, w]);
  });
  if (hits.length < distinct.length) return [];
  hits.sort((a, b) => a[0] - b[0]);
  const found: [number, number][] = [];
  const count = new Array<number>(distinct.length).fill(0);
  let present = 0;
  let lo = 0;
  for (let hi = 0; hi < hits.length; hi++) {
    if (count[hits[hi]![1]]!++ === 0) present++;
    while (present === distinct.length) {
      const [start] = hits[lo]!;
      const [end] = hits[hi]!;
      if (end - start <= span) {
        found.push([start, end]);
        if (first) return found;
      }
      if (--count[hits[lo]![1]]! === 0) present--;
      lo++;
    }
  }
  return found;
}
