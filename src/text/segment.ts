/**
 * Word breaking for scripts written without spaces between words. The tokenizer's word
 * pattern takes a run of such letters for one word; this module cuts it.
 *
 * Chinese and Japanese (Han, kana) are cut into overlapping pairs of characters, as
 * Elasticsearch's CJK analyzer does (`外交部发言` → 外交 交部 部发 发言; a character standing
 * alone is a word of its own). A dictionary segmenter cuts a run by its context, so a quoted
 * run searched alone was cut elsewhere than in the statement and did not match it; pairs
 * are the same wherever the characters stand, so a run matches wherever those characters
 * stand in that order, in both engines.
 *
 * Thai, Lao, Khmer, Myanmar (and Korean, whose spaced words the segmenter keeps whole) go to
 * `Intl.Segmenter`, built into Node with ICU's dictionaries.
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
  // Runs of Han and kana are paired; what lies between them goes to the segmenter.
  let at = from;
  while (at < end) {
    const run = pairedRun(text, at, end);
    if (run) {
      if (!pairs(text, run[0], run[1], fn)) return -1;
      at = run[1];
      continue;
    }
    let to = at + 1;
    while (to < end && !pairedRun(text, to, end)) to++;
    if (!segmentRun(text.slice(at, to), at, fn)) return -1;
    at = to;
  }
  return end;
}

// Han, kana, the prolonged sound mark ー and the iteration mark 々: the characters paired.
const PAIRED = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\u30fc\u3005]/uy;
// A paired character with the marks and joiners after it (a voicing mark belongs to its kana).
const PAIRED_UNIT =
  /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\u30fc\u3005][\p{M}\p{Cf}]*/uy;

/** The run of paired characters that starts at `at`, as [start, end), or undefined. */
function pairedRun(
  text: string,
  at: number,
  end: number,
): [number, number] | undefined {
  PAIRED.lastIndex = at;
  if (!PAIRED.test(text)) return undefined;
  let to = at;
  PAIRED_UNIT.lastIndex = at;
  while (to < end && PAIRED_UNIT.test(text)) to = PAIRED_UNIT.lastIndex;
  return [at, Math.min(to, end)];
}

// Every two neighbouring characters of a run (with their marks), or the lone character.
function pairs(
  text: string,
  start: number,
  end: number,
  fn: (word: string, start: number, end: number) => void | boolean,
): boolean {
  const units: number[] = [];
  PAIRED_UNIT.lastIndex = start;
  while (PAIRED_UNIT.lastIndex < end && PAIRED_UNIT.test(text))
    units.push(PAIRED_UNIT.lastIndex);
  let from = start;
  if (units.length === 1)
    return fn(text.slice(start, end), start, end) !== false;
  for (let i = 0; i + 1 < units.length; i++) {
    const to = units[i + 1]!;
    if (fn(text.slice(from, to), from, to) === false) return false;
    from = units[i]!;
  }
  return true;
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
