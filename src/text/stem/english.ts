/**
 * English inflections only: plurals, -ed, -ing. Snowball's English stemmer also folds derived
 * words (`national` → `nation`, `united` → `unit`), which would make them "forms of one word"
 * ranked just below it; Readout keeps those apart.
 */

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
 * their spelling and, given `known`, the words that exist. Sharing a stem is not enough:
 * `chang` (a name) shares the stem of `change` but no inflection of one spells the other.
 * `united` spells `unit` + `ed` as well as `unite` + `d`; where `unite` is a known word,
 * `united` and `uniting` are taken for its forms, not `unit`'s (so `noted` is not `not`'s),
 * unless the consonant before the ending is doubled (`programmed` is `program`'s). Spelling
 * cannot tell `suited` (suit + ed) from `united` (unite + d): `suited` loses `suit`.
 */
export function sameInflection(
  a: string,
  b: string,
  known?: (word: string) => boolean,
): boolean {
  if (a === b) return true;
  const bases = new Set(possibleBases(a, known));
  return possibleBases(b, known).some((base) => bases.has(base));
}

// The words `word` could be an inflection of, itself included.
function possibleBases(
  word: string,
  known?: (word: string) => boolean,
): string[] {
  const out = [word];
  const cut = (n: number) => word.slice(0, -n);
  if (/[^aeiou]ie[sd]$/.test(word)) out.push(cut(3) + "y");
  if (/(?:ss|sh|ch|x|z|o)es$/.test(word)) out.push(cut(2));
  if (/[^s]s$/.test(word)) out.push(cut(1));
  // A doubled consonant before the ending (`programmed`) belongs to the short base.
  if (word.endsWith("ed")) {
    const eWord = cut(1);
    if (known?.(eWord) && !DOUBLED.test(cut(2))) out.push(eWord);
    else out.push(cut(2), eWord, undouble(cut(2)));
  }
  if (word.endsWith("ing")) {
    const eWord = cut(3) + "e";
    if (known?.(eWord) && !DOUBLED.test(cut(3))) out.push(eWord);
    else out.push(cut(3), eWord, undouble(cut(3)));
  }
  return out;
}
