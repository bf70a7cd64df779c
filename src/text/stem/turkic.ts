/**
 * Turkish and Azerbaijani case, plural and possessive endings, on folded terms. Snowball's
 * Turkish stemmer checks vowel harmony on ı, ö, ü, which folding has turned into i, o, u
 * (`gözler` → `gozler` keeps its ending there), and no Snowball stemmer exists for
 * Azerbaijani; after folding the two languages share these endings.
 */

// Longest first; chains (`evlerinden` = ev + ler + in + den) come off one ending at a time.
const ENDINGS = [
  "lerinden",
  "larindan",
  "lerinde",
  "larinda",
  "ndan",
  "nden",
  "nin",
  "nun",
  "dan",
  "den",
  "tan",
  "ten",
  "nda",
  "nde",
  "ler",
  "lar",
  "yla",
  "yle",
  "imiz",
  "iniz",
  "umuz",
  "unuz",
  "si",
  "su",
  "da",
  "de",
  "ta",
  "te",
  "in",
  "un",
  "ya",
  "ye",
  "yi",
  "yu",
  "na",
  "ne",
  "ni",
  "nu",
  "a",
  "e",
  "i",
  "u",
];
const VOWEL = /[aeiou]/;

/** The stem of a folded Turkish or Azerbaijani word: at least three letters, with a vowel. */
export function stemTurkic(term: string): string {
  if (!/^[a-z]+$/.test(term)) return term;
  let s = term;
  for (let layer = 0; layer < 4; layer++) {
    const ending = ENDINGS.find(
      (e) =>
        s.endsWith(e) &&
        s.length - e.length >= 3 &&
        VOWEL.test(s.slice(0, -e.length)),
    );
    if (!ending) break;
    s = s.slice(0, -ending.length);
  }
  return s;
}
