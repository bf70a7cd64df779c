/**
 * Word breaking for scripts written without spaces between words: Chinese, Japanese, Thai,
 * Lao, Khmer, Myanmar (and Korean, whose spaced words the segmenter keeps whole). The
 * tokenizer's word pattern takes a run of such letters for one word; `Intl.Segmenter`, built
 * into Node with ICU's dictionaries, cuts it into the words a reader sees.
 */

// Letters of those scripts (by Script, not Script_Extensions: ʼ and · list Hangul among
// their extensions).
const UNSPACED =
  /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}\p{sc=Thai}\p{sc=Lao}\p{sc=Khmer}\p{sc=Myanmar}]/u;
// From an unspaced letter on: such letters with their marks, joiners and the prolonged sound
// mark ー, and anything that is no letter or digit (punctuation, spaces). The segmenter
// is called once per stretch rather than once per clause: each call costs as much as some
// ten words.
const STRETCH =
  /(?:[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}\p{sc=Thai}\p{sc=Lao}\p{sc=Khmer}\p{sc=Myanmar}\p{M}\p{Cf}\u30fc]|[^\p{L}\p{N}])*/uy;

// The dictionaries are chosen by script, not by locale: one segmenter serves every language.
const segmenter = new Intl.Segmenter("zh", { granularity: "word" });

/**
 * Where the first letter of a script written without spaces stands in `word`, or -1. Every
 * such letter lies at or above U+0E00 (Thai), so words of Latin, Cyrillic, Arabic or Indic
 * letters are told apart by one comparison per character.
 */
export function firstUnspaced(word: string): number {
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c < 0x0e00) continue;
    // A high surrogate: the whole character is tested.
    const char = c >= 0xd800 && c < 0xdc00 ? word.slice(i, i + 2) : word[i]!;
    if (UNSPACED.test(char)) return i;
  }
  return -1;
}

/**
 * Calls `fn` with each word the segmenter finds in the stretch of `text` that starts at
 * `from` (an unspaced letter) and returns where the stretch ends, or -1 when `fn` stopped it
 * by returning false.
 */
export function segmentStretch(
  text: string,
  from: number,
  fn: (word: string, start: number, end: number) => void | boolean,
): number {
  STRETCH.lastIndex = from;
  STRETCH.exec(text);
  const end = Math.max(STRETCH.lastIndex, from + 1);
  return segmentRun(text.slice(from, end), from, fn) ? end : -1;
}

// ICU's dictionary breaking takes time growing faster than the text (20,000 characters of
// Chinese without punctuation: 0.6 s). A long stretch is cut in pieces; the last word of a
// piece may go on past its end, so the next piece starts at that word.
const PIECE = 512;

function segmentRun(
  run: string,
  offset: number,
  fn: (word: string, start: number, end: number) => void | boolean,
): boolean {
  let from = 0;
  while (from < run.length) {
    let to = Math.min(run.length, from + PIECE);
    // Never between the halves of a surrogate pair.
    const last = run.charCodeAt(to - 1);
    if (to < run.length && last >= 0xd800 && last < 0xdc00) to--;
    const pieces = [...segmenter.segment(run.slice(from, to))];
    const held =
      to < run.length && pieces.length > 1 ? pieces.pop()! : undefined;
    for (const piece of pieces) {
      if (!piece.isWordLike) continue;
      const start = offset + from + piece.index;
      if (fn(piece.segment, start, start + piece.segment.length) === false)
        return false;
    }
    from = held ? from + held.index : to;
  }
  return true;
}
