/**
 * Phrase and proximity checks over a sequence of words, as term ids (phrase verification) or
 * as term strings (highlighting). Pure; ranges are [from, to) indexes into the sequence.
 */

/** Where `phrase` occurs in order and adjacent: the index of each occurrence's first word. */
export function findPhrase<T>(
  seq: ArrayLike<T>,
  phrase: readonly T[],
  from = 0,
  to = seq.length,
  first = false,
): number[] {
  const found: number[] = [];
  const last = to - phrase.length;
  outer: for (let i = from; i <= last; i++) {
    if (seq[i] !== phrase[0]) continue;
    for (let j = 1; j < phrase.length; j++)
      if (seq[i + j] !== phrase[j]) continue outer;
    found.push(i);
    if (first) break;
  }
  return found;
}

/**
 * Windows where every one of `words` occurs, in any order, with at most `slop` other words
 * among them (`"peace treaty"~5`: up to five words between). Returns [start, end] index
 * pairs, inclusive, each a smallest such window.
 */
export function findNear<T>(
  seq: ArrayLike<T>,
  words: readonly T[],
  slop: number,
  from = 0,
  to = seq.length,
  first = false,
): [number, number][] {
  const wanted = new Map<T, number>();
  words.forEach((w, i) => wanted.set(w, i));
  const k = wanted.size;
  const span = slop + words.length - 1;
  const hits: [number, number][] = [];
  for (let i = from; i < to; i++) {
    const w = wanted.get(seq[i]!);
    if (w !== undefined) hits.push([i, w]);
  }
  const found: [number, number][] = [];
  const count = new Array<number>(words.length).fill(0);
  let distinct = 0;
  let lo = 0;
  for (let hi = 0; hi < hits.length; hi++) {
    if (count[hits[hi]![1]]!++ === 0) distinct++;
    while (distinct === k) {
      const [start] = hits[lo]!;
      const [end] = hits[hi]!;
      if (end - start <= span) {
        found.push([start, end]);
        if (first) return found;
      }
      if (--count[hits[lo]![1]]! === 0) distinct--;
      lo++;
    }
  }
  return found;
}
