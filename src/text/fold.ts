/**
 * Folding one word to its index form. The rule is the reader's: letters a reader of the
 * language takes for the same letter fold together (`é` and `e` for a search, `ё` and `е`,
 * `ς` and `σ`, the Arabic alef forms), letters a reader tells apart stay apart (Ukrainian
 * `ї`, `й`, `є`; kana with and without voicing marks; Tamil or Sinhala vowel signs).
 */

// Letters that Unicode decomposition does not fold to a base letter of the same script.
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
  ς: "σ",
  // Arabic: taa marbuta is written for haa at a word's end, alef maksura for yaa; the
  // Persian forms of kaf and yaa are the same letters in an Arabic-script name.
  ة: "ه",
  ى: "ي",
  ی: "ي",
  ک: "ك",
  ٱ: "ا",
};
const SPECIAL_RE = /[ıəøłđðþßæœςةىیکٱ]/g;

// Scripts whose combining marks are accents on a letter, not letters of their own: they are
// dropped after these (and after digits). Elsewhere (kana voicing, Indic vowel signs, Thai)
// a mark changes the letter, so it stays.
const ACCENTED =
  /([\p{sc=Latin}\p{sc=Greek}\p{sc=Cyrillic}\p{sc=Arabic}\p{sc=Hebrew}\p{N}])\p{M}+/gu;
// Cyrillic letters written with a mark that readers take for letters of their own:
// й, ў (breve) and Ukrainian ї (diaeresis). ё is not among them: Russian writes е for it.
const CYRILLIC_LETTER = /([иу])\u0306|і\u0308/g;
const INVISIBLE = /[\p{Cf}\u0640]/gu;
const MARK = /\p{M}/u;
// Arabic-Indic and Persian digits read as the digits they are.
const EASTERN_DIGIT = /[\u0660-\u0669\u06f0-\u06f9]/g;

/**
 * Folds one word to its index form: lower case, without accents (`Ağdam` → `agdam`,
 * `Ελλάδας` → `ελλαδασ`), Arabic letters in one form (`أ`/`إ`/`آ` → `ا`, `ة` → `ه`, no
 * tatweel or vowel marks), one apostrophe, no possessive `'s`, no digit-group commas
 * (`1,000` → `1000`).
 */
export function normalizeTerm(word: string): string {
  let plain = true;
  let ascii = true;
  for (let i = 0; i < word.length && ascii; i++) {
    const c = word.charCodeAt(i);
    plain &&= isAsciiAlnum(c);
    ascii = c < 0x80;
  }
  if (plain) return word.toLowerCase();
  // ASCII words with an apostrophe, a dot or a comma (`don't`, `U.S.`, `1,000`): nothing
  // to decompose, and most of an English text's other words.
  if (ascii) return punctuation(word.toLowerCase());
  if (isKanaHanHangul(word)) return word;
  let term = word.toLowerCase().normalize("NFD");
  // Each pass only where its letters occur: most words have none of them.
  if (MARK.test(term))
    term = term
      .replace(CYRILLIC_LETTER, (_m, base?: string) =>
        base === "и" ? "й" : base === "у" ? "ў" : "ї",
      )
      .replace(ACCENTED, "$1");
  term = term
    .replace(INVISIBLE, "")
    .replace(SPECIAL_RE, (c) => SPECIAL[c] ?? c)
    .replace(EASTERN_DIGIT, (d) => String((d.charCodeAt(0) - 0x660) % 0x90))
    .replace(/[’ʼ]/g, "'");
  return punctuation(term).normalize("NFC");
}

// One apostrophe, no possessive 's, no digit-group commas, no final dot of an abbreviation.
function punctuation(term: string): string {
  if (term.includes("'")) term = term.replace(/'s$/, "").replace(/'/g, "");
  if (term.includes(",")) term = term.replace(/,/g, "");
  // An abbreviation keeps its inner dots (`u.s`) so it stays apart from the word `us`.
  if (term.endsWith(".")) term = term.slice(0, -1);
  return term;
}

// Kana, Han and Hangul syllables have no case and nothing to fold; decomposition takes kana
// voicing marks and Hangul syllables apart and composition puts them back as they were.
function isKanaHanHangul(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    const ok =
      (c >= 0x3041 && c <= 0x30fa) ||
      (c >= 0x3400 && c <= 0x9fff) ||
      (c >= 0xac00 && c <= 0xd7a3);
    if (!ok) return false;
  }
  return true;
}

/** Whether a UTF-16 code unit is an ASCII letter or digit. */
export function isAsciiAlnum(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x30 && c <= 0x39)
  );
}
