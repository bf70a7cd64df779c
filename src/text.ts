/**
 * The one tokenizer. Indexing, querying and highlighting all call `tokenize`, so the word
 * that matched is always the word that lights up.
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
const ASCII_WORD = /^[a-z0-9]+$/;

/** Splits a text into words, each with its normalized term and its offsets. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(WORD)) {
    const term = normalizeTerm(match[0]);
    if (term)
      tokens.push({
        term,
        start: match.index,
        end: match.index + match[0].length,
      });
  }
  return tokens;
}

/** The normalized terms of a text, in order: what MiniSearch indexes. */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(WORD)) {
    const term = normalizeTerm(match[0]);
    if (term) out.push(term);
  }
  return out;
}

/**
 * Folds one word to its index form: lower case, no diacritics (`Ağdam` → `agdam`), one
 * apostrophe, no possessive `'s`, no digit-group commas (`1,000` → `1000`).
 */
export function normalizeTerm(word: string): string {
  let term = word.toLowerCase();
  if (ASCII_WORD.test(term)) return term;
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
