/**
 * The one tokenizer. Indexing calls `terms`, querying and highlighting `tokenize`; both read
 * words with `forEachWord` and fold them with `normalizeTerm`, so the word that matched is
 * always the word that lights up. Words are cut by one pattern (with a fast path for plain
 * ASCII), runs of Chinese, Japanese, Thai … letters by the segmenter (`segment.ts`), and
 * folded per script (`fold.ts`).
 */

import { normalizeTerm } from "./fold.ts";
import { firstUnspaced, segmentStretch } from "./segment.ts";

export { normalizeTerm } from "./fold.ts";

/** A word of a text: its normalized term and where it stands in the original string. */
export interface Token {
  term: string;
  /** UTF-16 offset of the first character in the original text. */
  start: number;
  /** UTF-16 offset just past the last character. */
  end: number;
}

// An abbreviation written with dots (U.S., e.g.) or a word: letters and digits, with
// apostrophes, invisible joiners (soft hyphen, word joiner) and digit separators inside.
// Hyphens are not inside a word, so `Nagorno-Karabakh` is two words, found joined or apart.
const WORD =
  /\p{L}(?:\.\p{L})+\.?(?![\p{L}\p{N}])|[\p{L}\p{N}][\p{L}\p{M}\p{N}\p{Cf}]*(?:(?:['’ʼ]|[.,](?=\p{N}))[\p{L}\p{M}\p{N}\p{Cf}]+)*/gu;

/** Splits a text into words, each with its normalized term and its offsets. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  forEachWord(text, (word, start, end) => {
    const term = normalizeTerm(word);
    if (term) tokens.push({ term, start, end });
  });
  return tokens;
}

/** The normalized terms of a text, in order: what MiniSearch indexes. */
export function terms(text: string): string[] {
  const out: string[] = [];
  forEachWord(text, (word, _start, _end, plain) => {
    const term = plain ? word.toLowerCase() : normalizeTerm(word);
    if (term) out.push(term);
  });
  return out;
}

/**
 * Where the words `from` to `to` (inclusive, counted as `terms` counts them) stand in `text`,
 * reading no further: with the terms known from the index, a snippet needs only these.
 */
export function wordOffsets(
  text: string,
  from: number,
  to: number,
): [number, number][] {
  const out: [number, number][] = [];
  let n = 0;
  forEachWord(text, (word, start, end, plain) => {
    if (!plain && !normalizeTerm(word)) return;
    if (n >= from) out.push([start, end]);
    return ++n <= to;
  });
  return out;
}

/**
 * Calls `fn` with each word WORD matches, in order, a run of unspaced script cut into its
 * words (`segment.ts`). Most words are plain ASCII runs between
 * plain ASCII separators; those are cut out directly, which is several times faster than the
 * regular expression. Anything else (a dot, comma or apostrophe next to the run, any non-ASCII
 * character) goes to WORD itself from that point, so the result is always WORD's. `plain`
 * says a word is ASCII letters and digits only, so lower-casing is all it needs. `fn` returns
 * false to stop.
 */
export function forEachWord(
  text: string,
  fn: (
    word: string,
    start: number,
    end: number,
    plain: boolean,
  ) => void | boolean,
): void {
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isAsciiAlnum(c)) {
      let j = i + 1;
      while (j < n && isAsciiAlnum(text.charCodeAt(j))) j++;
      const next = j < n ? text.charCodeAt(j) : 32;
      if (next < 0x80 && next !== 0x2e && next !== 0x2c && next !== 0x27) {
        if (fn(text.slice(i, j), i, j, true) === false) return;
        i = j + 1;
        continue;
      }
    } else if (c < 0x80) {
      i++;
      continue;
    }
    WORD.lastIndex = i;
    const match = WORD.exec(text);
    if (!match) return;
    const word = match[0];
    const cut = firstUnspaced(word);
    if (cut < 0) {
      if (fn(word, match.index, match.index + word.length, false) === false)
        return;
      i = match.index + word.length;
      continue;
    }
    // Letters before the unspaced ones (`COVID` in `COVID疫情`) are a word as they stand.
    if (
      cut > 0 &&
      fn(word.slice(0, cut), match.index, match.index + cut, false) === false
    )
      return;
    i = segmentStretch(text, match.index + cut, (piece, start, end) =>
      fn(piece, start, end, false),
    );
    if (i < 0) return;
  }
}

// Kept beside the loop that calls it for every character, where it is inlined.
function isAsciiAlnum(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x30 && c <= 0x39)
  );
}
