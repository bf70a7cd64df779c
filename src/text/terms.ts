/**
 * The one tokenizer. Indexing calls `terms`, querying and highlighting `tokenize`; both read
 * words with `forEachWord` and fold them with `normalizeTerm`, so the word that matched is
 * always the word that lights up.
 */

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

// Letters that Unicode decomposition does not fold to an ASCII base.
const SPECIAL: Record<string, string> = {
  ı: "i",
  ə: "e",
  ø: "o",
  ł: "l",
  đ: "d",
  ð: "d",
  þ: "th",
  ß: "ss",
  æ: "ae",
  œ: "oe",
};
const SPECIAL_RE = /[ıəøłđðþßæœ]/g;
const MARKS = /\p{M}/gu;
const INVISIBLE = /[\p{Cf}]/gu;

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
 * Calls `fn` with each word WORD matches, in order. Most words are plain ASCII runs between
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
    if (
      fn(match[0], match.index, match.index + match[0].length, false) === false
    )
      return;
    i = match.index + match[0].length;
  }
}

function isAsciiAlnum(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x30 && c <= 0x39)
  );
}

/**
 * Folds one word to its index form: lower case, no diacritics (`Ağdam` → `agdam`), one
 * apostrophe, no possessive `'s`, no digit-group commas (`1,000` → `1000`).
 */
export function normalizeTerm(word: string): string {
  let plain = true;
  for (let i = 0; i < word.length && plain; i++)
    plain = isAsciiAlnum(word.charCodeAt(i));
  if (plain) return word.toLowerCase();
  let term = word.toLowerCase();
  // Keep Cyrillic й: decomposition would fold it into и, a different letter.
  term = term
    .normalize("NFD")
    .replace(/и\u0306/g, "й")
    .replace(MARKS, "")
    .replace(INVISIBLE, "")
    .replace(SPECIAL_RE, (c) => SPECIAL[c] ?? c)
    .replace(/[’ʼ]/g, "'");
  if (term.includes("'")) term = term.replace(/'s$/, "").replace(/'/g, "");
  if (term.includes(",")) term = term.replace(/,/g, "");
  // An abbreviation keeps its inner dots (`u.s`) so it stays apart from the word `us`.
  if (term.endsWith(".")) term = term.slice(0, -1);
  return term.normalize("NFC");
}

const VOWEL = /[aeiouy]/;
const DOUBLED = /([bdfgmnprt])\1$/;
// Words ending in -s that are not plurals of another word in statements.
const INVARIANT = new Set([
  "news",
  "series",
  "species",
  "means",
  "headquarters",
  "always",
  "perhaps",
  "whereas",
]);

/**
 * A light English stemmer for inflections only: plurals, -ed, -ing (`sanctions`,
 * `sanctioned`, `sanctioning` → `sanction`; `policies` → `policy`; `planned` → `plan`).
 * Derived words stay apart (`nation`, `national`), so a stem match is a close variant.
 * Words with digits, dots or non-Latin letters are left alone.
 */
export function stem(term: string): string {
  if (term.length <= 3 || INVARIANT.has(term) || !/^[a-z]+$/.test(term))
    return term;
  let s = term;
  if (s.endsWith("ies") && s.length > 4) s = s.slice(0, -3) + "y";
  else if (/(?:ss|sh|ch|x|z)es$/.test(s)) s = s.slice(0, -2);
  else if (s.endsWith("s") && !/(?:ss|us|is)$/.test(s)) s = s.slice(0, -1);
  if (s.endsWith("eed") && s.length > 4) s = s.slice(0, -1);
  else if (s.endsWith("ied") && s.length > 4) s = s.slice(0, -3) + "y";
  else if (s.endsWith("ed") && s.length > 4 && VOWEL.test(s.slice(0, -2)))
    s = undouble(s.slice(0, -2));
  else if (s.endsWith("ing") && s.length > 5 && VOWEL.test(s.slice(0, -3)))
    s = undouble(s.slice(0, -3));
  // `hope`, `hoped`, `hoping` all end as `hop`.
  if (s.endsWith("e") && s.length > 3) s = s.slice(0, -1);
  return s;
}

function undouble(s: string): string {
  return DOUBLED.test(s) ? s.slice(0, -1) : s;
}

/**
 * Whether two words are inflections of one base (`change`, `changes`, `changing`), judged by
 * their spelling alone. Sharing a stem is not enough: `chang` (a name) shares the stem of
 * `change` but no inflection of one spells the other.
 */
export function sameInflection(a: string, b: string): boolean {
  if (a === b) return true;
  const bases = new Set(possibleBases(a));
  return possibleBases(b).some((base) => bases.has(base));
}

// The words `word` could be an inflection of, itself included.
function possibleBases(word: string): string[] {
  const out = [word];
  const cut = (n: number) => word.slice(0, -n);
  if (/[^aeiou]ie[sd]$/.test(word)) out.push(cut(3) + "y");
  if (/(?:ss|sh|ch|x|z|o)es$/.test(word)) out.push(cut(2));
  if (/[^s]s$/.test(word)) out.push(cut(1));
  if (word.endsWith("ed")) out.push(cut(2), cut(1), undouble(cut(2)));
  if (word.endsWith("ing")) out.push(cut(3), cut(3) + "e", undouble(cut(3)));
  return out;
}
