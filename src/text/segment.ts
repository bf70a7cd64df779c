/**
 * Word breaking for scripts written without spaces between words: Chinese, Japanese, Thai,
 * Lao, Khmer, Myanmar (and Korean, whose spaced words the segmenter keeps whole). The
 * tokenizer's word pattern takes a run of such letters for one word; `Intl.Segmenter`, built
 * into Node with ICU's dictionaries, cuts it into the words a reader sees.
 */

// Letters of those scripts (by Script, not Script_Extensions: ʼ and · list Hangul among
// their extensions), then in a run also marks, joiners and the prolonged sound mark ー.
const UNSPACED =
  /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}\p{sc=Thai}\p{sc=Lao}\p{sc=Khmer}\p{sc=Myanmar}]/u;
const RUN =
  /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}\p{sc=Thai}\p{sc=Lao}\p{sc=Khmer}\p{sc=Myanmar}][\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}\p{sc=Thai}\p{sc=Lao}\p{sc=Khmer}\p{sc=Myanmar}\p{M}\p{Cf}\u30fc]*/gu;

// The dictionaries are chosen by script, not by locale: one segmenter serves every language.
const segmenter = new Intl.Segmenter("zh", { granularity: "word" });

/**
 * Whether a word holds letters of a script written without spaces. Every such letter lies at
 * or above U+0E00 (Thai), so words of Latin, Cyrillic, Arabic or Indic letters are told apart
 * by one comparison per character.
 */
export function isUnspaced(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    if (word.charCodeAt(i) >= 0x0e00 && UNSPACED.test(word)) return true;
  }
  return false;
}

/**
 * Calls `fn` with each word of `word` (a match of the word pattern starting at `offset`):
 * runs of unspaced letters cut by the segmenter, the rest (`COVID` in `COVID疫情`) as they
 * stand. `fn` returns false to stop; then so does this, returning false.
 */
export function forEachSegment(
  word: string,
  offset: number,
  fn: (word: string, start: number, end: number) => void | boolean,
): boolean {
  let at = 0;
  RUN.lastIndex = 0;
  for (let run = RUN.exec(word); run; run = RUN.exec(word)) {
    if (run.index > at) {
      if (
        fn(word.slice(at, run.index), offset + at, offset + run.index) === false
      )
        return false;
    }
    for (const piece of segmenter.segment(run[0])) {
      if (!piece.isWordLike) continue;
      const start = offset + run.index + piece.index;
      if (fn(piece.segment, start, start + piece.segment.length) === false)
        return false;
    }
    at = run.index + run[0].length;
  }
  if (at < word.length)
    return fn(word.slice(at), offset + at, offset + word.length) !== false;
  return true;
}
